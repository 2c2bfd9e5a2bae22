"""Reservations over HTTP: services, available slots and bookings.

A new organisation's catalogue is seeded on first use: a 30-minute "Consultation" and a
60-minute "Follow-up appointment", both served by two resources, bookable 09:00-17:00 UTC.
"""

from __future__ import annotations

from typing import Any

import pytest

T0_STAMP = "2026-04-25T19:00:00.000Z"  # conftest's FROZEN_AT
DAY = "2031-05-05"


def at(hhmm: str) -> str:
    return f"{DAY}T{hhmm}:00.000Z"


class Catalogue:
    """The organisation's services (consultation, follow-up) and resources (first, second)."""

    def __init__(self, apex) -> None:
        self.apex = apex
        services = apex.ok("GET", "/reservation-services")["data"]
        self.consultation, self.follow_up = (s["id"] for s in services)
        slots = self.slots(self.consultation, ("$limit", "2"))["data"]
        self.first, self.second = (slot["resource_id"] for slot in slots)

    def slot_params(self, service_id: int, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
        return [("service_id", str(service_id)), ("date", DAY),
                ("organization_id", str(self.apex.organization_id)), *pairs]

    def slots(self, service_id: int, *pairs: tuple[str, str]) -> dict[str, Any]:
        return self.apex.ok("GET", "/reservation-available-slots",
                            params=self.slot_params(service_id, *pairs))

    def free(self, service_id: int, *pairs: tuple[str, str]) -> set[tuple[int, str]]:
        data = self.slots(service_id, ("$limit", "50"), *pairs)["data"]
        return {(slot["resource_id"], slot["start_time"][11:16]) for slot in data}

    def book(self, start: str, end: str, service_id: int | None = None, **fields: Any):
        return self.apex.post("/reservations", json={
            "organization_id": self.apex.organization_id,
            "service_id": service_id or self.consultation, "start_time": at(start),
            "end_time": at(end), **fields})


@pytest.fixture
def catalogue(apex) -> Catalogue:
    return Catalogue(apex)


@pytest.fixture
def user_id(apex) -> int:
    return apex.create_assistant()["created_by_user_id"]


# --- services -------------------------------------------------------------------------------

def test_a_new_organization_has_the_seeded_services(apex, clock):
    page = apex.ok("GET", "/reservation-services")
    first = page["data"][0]["id"]
    assert page == {"total": 2, "limit": 10, "skip": 0, "data": [
        {"id": first, "organization_id": apex.organization_id, "name": "Consultation",
         "description": "A first 30-minute consultation.", "duration_minutes": 30,
         "created_at": T0_STAMP, "updated_at": T0_STAMP},
        {"id": first + 1, "organization_id": apex.organization_id,
         "name": "Follow-up appointment", "description": "A 60-minute follow-up meeting.",
         "duration_minutes": 60, "created_at": T0_STAMP, "updated_at": T0_STAMP}]}


def test_services_speak_the_query_language(apex):
    page = apex.ok("GET", "/reservation-services", params={"$sort[duration_minutes]": "-1",
                                                           "duration_minutes[$gte]": "30"})
    assert [s["name"] for s in page["data"]] == ["Follow-up appointment", "Consultation"]


# --- available slots ------------------------------------------------------------------------

def test_slots_are_every_resources_back_to_back_slots_of_the_day(catalogue):
    page = catalogue.slots(catalogue.consultation, ("$limit", "3"))
    assert page == {"total": 32, "limit": 3, "skip": 0, "data": [
        {"service_id": catalogue.consultation, "resource_id": catalogue.first,
         "start_time": at("09:00"), "end_time": at("09:30")},
        {"service_id": catalogue.consultation, "resource_id": catalogue.second,
         "start_time": at("09:00"), "end_time": at("09:30")},
        {"service_id": catalogue.consultation, "resource_id": catalogue.first,
         "start_time": at("09:30"), "end_time": at("10:00")}]}


def test_a_longer_service_has_fewer_slots(catalogue):
    page = catalogue.slots(catalogue.follow_up, ("$limit", "50"))
    assert page["total"] == 16
    assert page["data"][-1]["end_time"] == at("17:00")


def test_slots_of_one_resource(catalogue):
    page = catalogue.slots(catalogue.consultation, ("resource_id", str(catalogue.second)))
    assert page["total"] == 16
    assert {slot["resource_id"] for slot in page["data"]} == {catalogue.second}


def test_a_booking_takes_its_slot_and_a_cancellation_frees_it(apex, catalogue):
    booked = catalogue.book("10:00", "10:30", resource_id=catalogue.first).json()
    assert (catalogue.first, "10:00") not in catalogue.free(catalogue.consultation)
    assert (catalogue.second, "10:00") in catalogue.free(catalogue.consultation)
    apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "cancelled"})
    assert (catalogue.first, "10:00") in catalogue.free(catalogue.consultation)


def test_a_resource_booked_for_one_service_is_busy_for_the_other(catalogue):
    catalogue.book("09:00", "10:00", catalogue.follow_up, resource_id=catalogue.first)
    free = catalogue.free(catalogue.consultation, ("resource_id", str(catalogue.first)))
    assert {(catalogue.first, "09:00"), (catalogue.first, "09:30")}.isdisjoint(free)
    assert (catalogue.first, "10:00") in free


def test_slots_of_an_unknown_service_answer_404(apex, catalogue, feathers):
    response = apex.get("/reservation-available-slots",
                        params=catalogue.slot_params(987654321))
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_slots_of_an_unknown_resource_answer_404(apex, catalogue, feathers):
    response = apex.get("/reservation-available-slots", params=catalogue.slot_params(
        catalogue.consultation, ("resource_id", "987654321")))
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_slots_of_another_organization_answer_404(apex, apex_as, catalogue, feathers):
    other = apex_as().organization_id
    response = apex.get("/reservation-available-slots", params={
        "service_id": catalogue.consultation, "date": DAY, "organization_id": other})
    assert (response.status_code, response.json()) == (404, feathers.not_found(other))


def test_slots_of_another_organizations_service_answer_404(apex, apex_as, feathers):
    theirs = Catalogue(apex_as()).consultation
    response = apex.get("/reservation-available-slots", params={
        "service_id": theirs, "date": DAY, "organization_id": apex.organization_id})
    assert (response.status_code, response.json()) == (404, feathers.not_found(theirs))


def test_slots_need_service_date_and_organization(apex, feathers, ajv_error):
    response = apex.get("/reservation-available-slots")
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(*(
        ajv_error("query", "", "#/required", "required", {"missingProperty": name},
                  f"must have required property '{name}'")
        for name in ("service_id", "date", "organization_id"))))


def test_slots_refuse_a_day_that_does_not_exist(apex, catalogue, feathers, ajv_error):
    params = catalogue.slot_params(catalogue.consultation)
    params[1] = ("date", "2031-02-30")
    response = apex.get("/reservation-available-slots", params=params)
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/date", "#/properties/date/format", "format", {"format": "date"},
                  'must match format "date"')))


# --- reservations ---------------------------------------------------------------------------

def test_create_answers_201_with_the_full_reservation(apex, catalogue, clock):
    response = catalogue.book("09:00", "09:30", contact_id=77, notes="First visit")
    booked = response.json()
    assert (response.status_code, booked) == (201, {
        "id": booked["id"], "organization_id": apex.organization_id,
        "service_id": catalogue.consultation, "resource_id": catalogue.first,
        "contact_id": 77, "start_time": at("09:00"), "end_time": at("09:30"),
        "status": "pending", "notes": "First visit", "cancelled_at": None, "cancelled_by": None,
        "created_at": T0_STAMP, "updated_at": T0_STAMP})


def test_create_normalises_times_to_utc(catalogue):
    booked = catalogue.apex.ok("POST", "/reservations", 201, json={
        "organization_id": catalogue.apex.organization_id, "service_id": catalogue.consultation,
        "start_time": f"{DAY}T11:00:00+02:00", "end_time": f"{DAY}T09:30:00Z"})
    assert (booked["start_time"], booked["end_time"]) == (at("09:00"), at("09:30"))


def test_create_assigns_the_first_free_resource(catalogue):
    first = catalogue.book("09:00", "09:30").json()
    second = catalogue.book("09:00", "09:30").json()
    assert (first["resource_id"], second["resource_id"]) == (catalogue.first, catalogue.second)


def test_double_booking_is_refused(apex, catalogue, feathers):
    catalogue.book("09:00", "09:30")
    catalogue.book("09:00", "09:30")
    response = catalogue.book("09:15", "09:45")
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        f"The slot from {at('09:15')} to {at('09:45')} is already booked"))
    assert apex.ok("GET", "/reservations")["total"] == 2


def test_double_booking_a_named_resource_is_refused(catalogue, feathers):
    catalogue.book("09:00", "09:30", resource_id=catalogue.second)
    response = catalogue.book("09:00", "09:30", resource_id=catalogue.second)
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        f"The slot from {at('09:00')} to {at('09:30')} is already booked"))


def test_back_to_back_bookings_do_not_overlap(catalogue):
    catalogue.book("09:00", "09:30", resource_id=catalogue.first)
    assert catalogue.book("09:30", "10:00", resource_id=catalogue.first).status_code == 201


def test_a_cancelled_booking_frees_the_slot_for_a_new_one(apex, catalogue):
    booked = catalogue.book("09:00", "09:30", resource_id=catalogue.first).json()
    apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "cancelled"})
    assert catalogue.book("09:00", "09:30", resource_id=catalogue.first).status_code == 201


@pytest.mark.parametrize("end", ["09:00", "08:30"])
def test_an_end_not_after_the_start_is_refused(catalogue, feathers, end):
    response = catalogue.book("09:00", end)
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        "end_time must be after start_time"))


def test_a_time_outside_what_utc_can_write_is_refused(apex, catalogue, feathers):
    response = apex.post("/reservations", json={
        "organization_id": apex.organization_id, "service_id": catalogue.consultation,
        "start_time": "0001-01-01T00:00:00+01:00", "end_time": "0001-01-01T00:30:00Z"})
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        "start_time is out of range"))


def test_create_for_an_unknown_service_answers_404(apex, feathers):
    response = apex.post("/reservations", json={
        "organization_id": apex.organization_id, "service_id": 987654321,
        "start_time": at("09:00"), "end_time": at("09:30")})
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_create_for_an_unknown_resource_answers_404(catalogue, feathers):
    response = catalogue.book("09:00", "09:30", resource_id=987654321)
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_create_in_another_organization_answers_404(apex, apex_as, catalogue, feathers):
    other = apex_as().organization_id
    response = apex.post("/reservations", json={
        "organization_id": other, "service_id": catalogue.consultation,
        "start_time": at("09:00"), "end_time": at("09:30")})
    assert (response.status_code, response.json()) == (404, feathers.not_found(other))


def test_create_validates_the_body(apex, feathers, ajv_error):
    response = apex.post("/reservations", json={
        "organization_id": apex.organization_id, "service_id": 1, "start_time": "9am",
        "status": "done"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/start_time", "#/allOf/1/properties/start_time/format", "format",
                  {"format": "date-time"}, 'must match format "date-time"'),
        ajv_error("body", "/status", "#/allOf/1/properties/status/enum", "enum",
                  {"allowedValues": ["pending", "confirmed", "cancelled", "completed",
                                     "no_show"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "", "#/required", "required", {"missingProperty": "end_time"},
                  "must have required property 'end_time'")))


def test_get_and_list_answer_the_reservation(apex, catalogue):
    booked = catalogue.book("09:00", "09:30").json()
    assert apex.ok("GET", f"/reservations/{booked['id']}") == booked
    assert apex.ok("GET", "/reservations", params={"status": "pending"})["data"] == [booked]
    assert apex.ok("GET", "/reservations", params={"status": "confirmed"})["total"] == 0


def test_cancelling_sets_cancelled_at_and_cancelled_by(apex, catalogue, user_id, clock):
    booked = catalogue.book("09:00", "09:30").json()
    cancelled = apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "cancelled"})
    assert cancelled == {**booked, "status": "cancelled", "cancelled_at": T0_STAMP,
                         "cancelled_by": user_id, "updated_at": "2026-04-25T19:00:00.001Z"}


def test_cancelled_by_sent_with_the_cancellation_is_kept(apex, catalogue):
    booked = catalogue.book("09:00", "09:30").json()
    cancelled = apex.ok("PATCH", f"/reservations/{booked['id']}",
                        json={"status": "cancelled", "cancelled_by": 4242})
    assert cancelled["cancelled_by"] == 4242


def test_cancelled_by_on_an_active_reservation_is_refused(apex, catalogue, feathers):
    booked = catalogue.book("09:00", "09:30").json()
    response = apex.patch(f"/reservations/{booked['id']}", json={"cancelled_by": 4242})
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        "cancelled_by can only be set on a cancelled reservation"))


def test_reopening_clears_the_cancellation(apex, catalogue):
    booked = catalogue.book("09:00", "09:30").json()
    apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "cancelled"})
    reopened = apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "confirmed"})
    assert (reopened["status"], reopened["cancelled_at"], reopened["cancelled_by"]) == (
        "confirmed", None, None)


def test_reopening_into_a_slot_booked_meanwhile_is_refused(apex, catalogue, feathers):
    booked = catalogue.book("09:00", "09:30", resource_id=catalogue.first).json()
    apex.ok("PATCH", f"/reservations/{booked['id']}", json={"status": "cancelled"})
    catalogue.book("09:00", "09:30", resource_id=catalogue.first)
    response = apex.patch(f"/reservations/{booked['id']}", json={"status": "pending"})
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        f"The slot from {at('09:00')} to {at('09:30')} is already booked"))


def test_patch_moves_a_reservation(apex, catalogue):
    booked = catalogue.book("09:00", "09:30").json()
    moved = apex.ok("PATCH", f"/reservations/{booked['id']}", json={
        "start_time": at("14:00"), "end_time": at("14:30"), "notes": "Moved"})
    assert (moved["start_time"], moved["end_time"], moved["notes"]) == (
        at("14:00"), at("14:30"), "Moved")


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"notes": "x"})])
def test_an_unknown_reservation_answers_404(apex, feathers, method, body):
    response = apex.request(method, "/reservations/987654321", json=body)
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_a_reservation_cannot_be_deleted_only_cancelled(apex, catalogue, feathers):
    booked = catalogue.book("09:00", "09:30").json()
    response = apex.delete(f"/reservations/{booked['id']}")
    assert (response.status_code, response.json()) == (405,
                                                       feathers.method_not_allowed("remove"))
    assert response.headers["allow"] == "GET, PATCH"
