"""ReservationServices and Reservations: catalogue, free slots, bookings and cancellations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.query import FeathersQuery, parse_query
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.reservations import (
    RESERVATION_FIELD_TYPES,
    Reservations,
    ReservationServices,
)

NOW = "2026-05-01T12:00:00.000Z"
DAY = "2026-06-01"
ALL = FeathersQuery(limit=1000)  # every slot of a day, past Feathers' default page


@pytest.fixture
def services(store: Store) -> ReservationServices:
    return ReservationServices(store)


@pytest.fixture
def reservations(store: Store) -> Reservations:
    return Reservations(store)


def at(clock: str) -> str:
    return f"{DAY}T{clock}:00.000Z"


def booking(caller: Caller, start: str, end: str, **fields: Any) -> dict[str, Any]:
    """A reservation of the seeded 30-minute Consultation (service 1) from ``start``-``end``."""
    return {"organization_id": caller.organization_id, "service_id": 1,
            "start_time": at(start), "end_time": at(end), **fields}


def slots(services: ReservationServices, caller: Caller, service_id: int = 1,
          resource_id: int | None = None) -> list[tuple[str, int | None]]:
    page = services.available_slots(caller, service_id, DAY, resource_id, query=ALL)
    return [(slot["start_time"][11:16], slot["resource_id"]) for slot in page["data"]]


def status_of(call: Any, *args: Any, **kwargs: Any) -> int:
    with pytest.raises(FeathersProblem) as problem:
        call(*args, **kwargs)
    return problem.value.status


# --- the catalogue --------------------------------------------------------------------------

def test_a_new_organization_gets_the_seeded_services(services: ReservationServices,
                                                     caller: Caller) -> None:
    page = services.find(caller)
    assert page["total"] == 2
    assert page["data"][0] == {
        "id": 1, "organization_id": caller.organization_id, "name": "Consultation",
        "description": "A first 30-minute consultation.", "duration_minutes": 30,
        "created_at": NOW, "updated_at": NOW}
    assert services.get(caller, 2)["duration_minutes"] == 60


def test_every_organization_gets_its_own_seeded_services(
        services: ReservationServices, caller: Caller, other: Caller) -> None:
    services.find(caller)
    assert [s["id"] for s in services.find(other)["data"]] == [3, 4]
    assert status_of(services.get, other, 1) == 404


def test_configure_replaces_the_seeded_catalogue(services: ReservationServices,
                                                 caller: Caller) -> None:
    services.find(caller)
    made = services.configure(caller, [{"id": 50, "name": "Haircut", "duration_minutes": 45}])
    assert [s["name"] for s in services.find(caller)["data"]] == ["Haircut"]
    assert made[0]["id"] == 50
    assert status_of(services.get, caller, 1) == 404


def test_configuring_declared_ids_again_is_a_no_op(services: ReservationServices,
                                                   caller: Caller) -> None:
    catalogue = [{"id": 50, "name": "Haircut"}], [{"id": 7, "name": "Sam"}]
    services.configure(caller, *catalogue)
    services.configure(caller, *catalogue)
    assert [s["id"] for s in services.find(caller)["data"]] == [50]
    assert slots(services, caller, 50)[0] == ("09:00", 7)


def test_configure_refuses_an_id_of_another_organization(
        services: ReservationServices, caller: Caller, other: Caller) -> None:
    services.configure(caller, [{"id": 50, "name": "Haircut"}])
    assert status_of(services.configure, other, [{"id": 50, "name": "Shave"}]) == 409
    assert [s["name"] for s in services.find(other)["data"]] == [
        "Consultation", "Follow-up appointment"]


@pytest.mark.parametrize(("catalogue", "resources"), [
    ([{"name": ""}], []), ([{"name": "X", "duration_minutes": 0}], []),
    ([{"id": 5, "name": "X"}, {"id": 5, "name": "Y"}], []),
    ([{"id": 5, "name": "X"}], [{"service_ids": [6]}]),
])
def test_configure_refuses_a_malformed_catalogue_and_keeps_the_old(
        services: ReservationServices, caller: Caller, catalogue: list[dict[str, Any]],
        resources: list[dict[str, Any]]) -> None:
    services.find(caller)
    assert status_of(services.configure, caller, catalogue, resources) == 400
    assert services.find(caller)["total"] == 2


# --- slots ----------------------------------------------------------------------------------

def test_each_resource_offers_back_to_back_slots_in_opening_hours(
        services: ReservationServices, caller: Caller) -> None:
    offered = slots(services, caller)
    assert len(offered) == 2 * 16  # two advisors, 09:00-17:00 in 30-minute slots
    assert offered[:3] == [("09:00", 1), ("09:00", 2), ("09:30", 1)]
    assert offered[-1] == ("16:30", 2)


def test_slots_of_one_resource_only(services: ReservationServices, caller: Caller) -> None:
    assert {resource for _, resource in slots(services, caller, 2, resource_id=2)} == {2}
    assert len(slots(services, caller, 2, resource_id=2)) == 8


def test_a_slot_is_a_reservation_slot_record(services: ReservationServices,
                                             caller: Caller) -> None:
    page = services.available_slots(caller, 1, DAY)
    assert (page["total"], page["limit"], len(page["data"])) == (32, 10, 10)
    assert page["data"][0] == {"service_id": 1, "resource_id": 1,
                               "start_time": at("09:00"), "end_time": at("09:30")}


@pytest.mark.parametrize(("service_id", "resource_id", "organization_id"), [
    (99, None, None), (1, 99, None), (1, None, 12345)])
def test_unknown_service_resource_or_organization_answers_404(
        services: ReservationServices, caller: Caller, service_id: int,
        resource_id: int | None, organization_id: int | None) -> None:
    assert status_of(services.available_slots, caller, service_id, DAY, resource_id,
                     organization_id=organization_id) == 404


@pytest.mark.parametrize("date", ["2026-02-30", "2026W011", "01-06-2026"])
def test_a_date_that_is_no_day_answers_400(services: ReservationServices, caller: Caller,
                                           date: str) -> None:
    assert status_of(services.available_slots, caller, 1, date) == 400


def test_a_booked_slot_is_not_offered(services: ReservationServices, reservations: Reservations,
                                      caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=2))
    assert ("10:00", 2) not in slots(services, caller)
    assert ("10:00", 1) in slots(services, caller)


def test_a_resource_booked_for_one_service_is_busy_for_the_others(
        services: ReservationServices, reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:30", "11:00", resource_id=1))
    assert ("10:00", 1) not in slots(services, caller, 2)  # the 60-minute 10:00-11:00 slot


def test_a_cancelled_reservation_frees_its_slot(services: ReservationServices,
                                                reservations: Reservations,
                                                caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    reservations.patch(caller, 1, {"status": "cancelled"})
    assert ("10:00", 1) in slots(services, caller)


# --- bookings -------------------------------------------------------------------------------

def test_create_answers_the_full_record(reservations: Reservations, caller: Caller) -> None:
    record = reservations.create(caller, booking(caller, "10:00", "10:30", contact_id=9))
    assert record == {
        "id": 1, "organization_id": caller.organization_id, "service_id": 1, "resource_id": 1,
        "contact_id": 9, "start_time": at("10:00"), "end_time": at("10:30"),
        "status": "pending", "notes": None, "cancelled_at": None, "cancelled_by": None,
        "created_at": NOW, "updated_at": NOW}


def test_create_normalises_times_to_utc_milliseconds(reservations: Reservations,
                                                     caller: Caller) -> None:
    record = reservations.create(caller, {**booking(caller, "10:00", "10:30"),
                                          "start_time": f"{DAY}T12:00:00+02:00"})
    assert record["start_time"] == at("10:00")


def test_create_assigns_the_first_free_resource(reservations: Reservations,
                                                caller: Caller) -> None:
    first = reservations.create(caller, booking(caller, "10:00", "10:30"))
    second = reservations.create(caller, booking(caller, "10:00", "10:30"))
    assert (first["resource_id"], second["resource_id"]) == (1, 2)


def test_a_double_booking_answers_400(reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    with pytest.raises(FeathersProblem) as problem:
        reservations.create(caller, booking(caller, "10:15", "10:45", resource_id=1))
    assert problem.value.body["name"] == "BadRequest"
    assert reservations.find(caller)["total"] == 1


def test_a_booking_when_every_resource_is_taken_answers_400(reservations: Reservations,
                                                            caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "11:00"))
    reservations.create(caller, booking(caller, "10:00", "11:00"))
    assert status_of(reservations.create, caller, booking(caller, "10:30", "10:45")) == 400


def test_back_to_back_bookings_do_not_overlap(reservations: Reservations,
                                              caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    assert reservations.create(caller, booking(caller, "10:30", "11:00", resource_id=1))


def test_a_service_without_resources_books_the_service_itself(
        services: ReservationServices, reservations: Reservations, caller: Caller) -> None:
    services.configure(caller, [{"id": 50, "name": "Call", "duration_minutes": 60}])
    assert slots(services, caller, 50)[:2] == [("09:00", None), ("10:00", None)]
    data = {**booking(caller, "09:00", "10:00"), "service_id": 50}
    assert reservations.create(caller, data)["resource_id"] is None
    assert status_of(reservations.create, caller, data) == 400
    assert slots(services, caller, 50)[0] == ("10:00", None)


@pytest.mark.parametrize(("start", "end"), [("10:30", "10:00"), ("10:00", "10:00")])
def test_end_not_after_start_answers_400(reservations: Reservations, caller: Caller,
                                         start: str, end: str) -> None:
    assert status_of(reservations.create, caller, booking(caller, start, end)) == 400


@pytest.mark.parametrize("change", [
    {"organization_id": 12345}, {"service_id": 99}, {"resource_id": 99}])
def test_create_with_an_unknown_organization_service_or_resource_answers_404(
        reservations: Reservations, caller: Caller, change: dict[str, Any]) -> None:
    assert status_of(reservations.create, caller,
                     {**booking(caller, "10:00", "10:30"), **change}) == 404


def test_cancelling_stamps_the_time_and_the_callers_user(
        store: Store, reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    store.clock.freeze(datetime(2026, 5, 2, tzinfo=UTC))
    record = reservations.patch(caller, 1, {"status": "cancelled"})
    assert (record["cancelled_at"], record["cancelled_by"]) == (
        "2026-05-02T00:00:00.000Z", caller.user_id)


def test_cancelled_by_sent_with_the_cancellation_is_kept(reservations: Reservations,
                                                        caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    record = reservations.patch(caller, 1, {"status": "cancelled", "cancelled_by": 77})
    assert record["cancelled_by"] == 77


def test_cancelling_again_keeps_the_first_cancellation(store: Store, reservations: Reservations,
                                                       caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    first = reservations.patch(caller, 1, {"status": "cancelled"})
    store.clock.freeze(datetime(2026, 5, 3, tzinfo=UTC))
    again = reservations.patch(caller, 1, {"status": "cancelled", "notes": "double check"})
    assert again["cancelled_at"] == first["cancelled_at"]


def test_cancelled_by_on_an_active_reservation_answers_400(reservations: Reservations,
                                                          caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    assert status_of(reservations.patch, caller, 1, {"cancelled_by": 77}) == 400
    assert status_of(reservations.create, caller,
                     booking(caller, "11:00", "11:30", cancelled_by=77)) == 400


def test_reopening_clears_the_cancellation(reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    reservations.patch(caller, 1, {"status": "cancelled"})
    record = reservations.patch(caller, 1, {"status": "confirmed"})
    assert (record["status"], record["cancelled_at"], record["cancelled_by"]) == (
        "confirmed", None, None)


def test_reopening_into_a_slot_taken_meanwhile_answers_400(reservations: Reservations,
                                                           caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    reservations.patch(caller, 1, {"status": "cancelled"})
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    assert status_of(reservations.patch, caller, 1, {"status": "pending"}) == 400
    assert reservations.get(caller, 1)["status"] == "cancelled"


def test_moving_to_a_taken_time_answers_400_and_changes_nothing(reservations: Reservations,
                                                                caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    before = reservations.create(caller, booking(caller, "11:00", "11:30", resource_id=1))
    move = {"start_time": at("10:15"), "end_time": at("10:45")}
    assert status_of(reservations.patch, caller, 2, move) == 400
    assert reservations.get(caller, 2) == before


def test_completed_and_no_show_reservations_keep_their_slot(
        services: ReservationServices, reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    reservations.patch(caller, 1, {"status": "no_show"})
    assert ("10:00", 1) not in slots(services, caller)


def test_patch_keeps_the_fixed_fields(reservations: Reservations, caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    record = reservations.patch(caller, 1, {"service_id": 2, "organization_id": 9, "id": 5,
                                            "cancelled_at": NOW, "notes": "Window seat"})
    assert (record["service_id"], record["organization_id"], record["id"],
            record["cancelled_at"], record["notes"]) == (
        1, caller.organization_id, 1, None, "Window seat")
    assert record["updated_at"] > record["created_at"]


def test_reservation_of_another_organization_answers_404(
        reservations: Reservations, caller: Caller, other: Caller) -> None:
    created = reservations.create(caller, booking(caller, "10:00", "10:30"))
    assert status_of(reservations.get, other, 1) == 404
    assert status_of(reservations.patch, other, 1, {"status": "cancelled"}) == 404
    assert reservations.get(caller, 1) == created


def test_another_organizations_bookings_do_not_take_slots(
        services: ReservationServices, reservations: Reservations, caller: Caller,
        other: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30", resource_id=1))
    assert len(slots(services, other, 3)) == 32


def test_find_filters_with_the_feathers_query(reservations: Reservations,
                                              caller: Caller) -> None:
    reservations.create(caller, booking(caller, "10:00", "10:30"))
    reservations.create(caller, booking(caller, "11:00", "11:30"))
    reservations.patch(caller, 2, {"status": "confirmed"})
    query = parse_query({"status": "confirmed"}, field_types=RESERVATION_FIELD_TYPES)
    assert [r["id"] for r in reservations.find(caller, query)["data"]] == [2]
