"""Reservations: bookable services, their resources, free slots and the bookings themselves.

Each organisation has a catalogue: services (``/reservation-services``) and resources (the
people or rooms that deliver them; the API shows them only as ``resource_id``). A new
organisation's catalogue is seeded on first use with ``SEED_SERVICES`` served by both
``SEED_RESOURCES``; a fixture can replace it (``ReservationServices.configure``).

Slots are deterministic: every day, in UTC, each resource of a service offers back-to-back
slots of the service's duration from ``OPEN`` until ``CLOSE`` (a service without resources
offers them once, with ``resource_id`` null). A slot is free unless a reservation that is not
cancelled overlaps it on the same resource (on any service: one person cannot be in two
places), or, for a service without resources, on the same service.

A booking that would overlap such a reservation is refused with 400 BadRequest (the spec
lists no 409 for reservations). A reservation of a service with resources always holds one:
without ``resource_id`` the first free resource (lowest id) is assigned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from datetime import date as Date
from typing import Any

from assistant_fake.store import isoformat

from .errors import FeathersProblem, bad_request, conflict, record_not_found
from .field_types import field_types
from .query import FeathersQuery, run_query
from .query_parsing import parse_instant
from .records import SEQUENCES, Caller, OrganizationRecords, check_organization

__all__ = [
    "RESERVATION_FIELD_TYPES", "RESERVATION_SERVICE_FIELD_TYPES", "RESERVATION_SLOT_FIELD_TYPES",
    "ReservationServices", "Reservations",
]

RESERVATION_SERVICE_FIELD_TYPES = field_types("ReservationService")
RESERVATION_SLOT_FIELD_TYPES = field_types("ReservationSlot")
RESERVATION_FIELD_TYPES = field_types("Reservation")
_EDITABLE = tuple(field_types("ReservationFields"))

SERVICES, RESOURCES, SETUP = "reservation_services", "reservation_resources", "reservation_setup"
OPEN, CLOSE = time(9, 0), time(17, 0)
DEFAULT_DURATION = 30
SEED_SERVICES = (
    {"name": "Consultation", "description": "A first 30-minute consultation.",
     "duration_minutes": 30},
    {"name": "Follow-up appointment", "description": "A 60-minute follow-up meeting.",
     "duration_minutes": 60},
)
SEED_RESOURCES = ({"name": "Advisor A"}, {"name": "Advisor B"})
INACTIVE = "cancelled"  # the only status that frees a slot: completed and no_show did hold it


class _Catalogue(OrganizationRecords):
    """What services, resources and reservations share: the organisation's catalogue."""

    def _catalogue(self, organization_id: int) -> None:
        """Seed the catalogue of an organisation that has none yet (call in a transaction)."""
        setup = self._records(organization_id, SETUP)
        if "catalogue" not in setup:
            self._replace(organization_id, SEED_SERVICES, SEED_RESOURCES)

    def _replace(self, organization_id: int, services: Iterable[Mapping[str, Any]],
                 resources: Iterable[Mapping[str, Any]]) -> None:
        """Swap the organisation's catalogue for ``services`` and ``resources``; every rule
        is checked before the first write (ids are only drawn once all of them hold)."""
        services, resources = list(services), list(resources)
        old_services = self._records(organization_id, SERVICES)
        old_resources = self._records(organization_id, RESOURCES)
        for spec in services:
            _check_service(spec)
        declared = {spec["id"] for spec in services if spec.get("id") is not None}
        for spec in resources:
            if not set(spec.get("service_ids", ())) <= declared:
                raise FeathersProblem(bad_request(
                    "a resource's service_ids must be ids declared by the configured services"))
        self._check_ids(services, old_services, SERVICES)
        self._check_ids(resources, old_resources, RESOURCES)
        now = self._now()
        made = [{"id": self._take_id(spec.get("id"), SERVICES),
                 "organization_id": organization_id, "name": spec["name"],
                 "description": spec.get("description"),
                 "duration_minutes": spec.get("duration_minutes", DEFAULT_DURATION),
                 "created_at": now, "updated_at": now} for spec in services]
        every_service = [record["id"] for record in made]
        kept = []
        for spec in resources:
            resource_id = self._take_id(spec.get("id"), RESOURCES)
            kept.append({"id": resource_id, "organization_id": organization_id,
                         "name": spec.get("name") or f"Resource {resource_id}",
                         "service_ids": list(spec.get("service_ids", every_service))})
        for collection, records in ((old_services, made), (old_resources, kept)):
            for old in collection.values():
                collection.delete(str(old["id"]))
            for record in records:
                collection.put(str(record["id"]), record)
        self._records(organization_id, SETUP).put("catalogue", {"configured_at": now})

    def _check_ids(self, specs: list[Mapping[str, Any]], stored: Any, table: str) -> None:
        """Declared ids (fixtures keep them stable across reloads) must be positive, distinct,
        and this organisation's already or above every id handed out: ids are unique across
        organisations, like rows of one SQL table."""
        ids = [spec["id"] for spec in specs if spec.get("id") is not None]
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids):
            raise FeathersProblem(bad_request("a declared id must be a positive integer"))
        if len(set(ids)) != len(ids):
            raise FeathersProblem(bad_request(f"declared ids of {table} repeat"))
        last = self._last(table)
        taken = next((i for i in ids if str(i) not in stored and i <= last), None)
        if taken is not None:
            raise FeathersProblem(conflict(f"Id {taken} of {table} is already taken"))

    def _take_id(self, declared: int | None, table: str) -> int:
        """The declared id, with the sequence moved past it, or the table's next id."""
        if declared is None:
            return self._next_id(table)
        if self._last(table) < declared:
            self._store.collection(SEQUENCES).put(table, {"last": declared})
        return declared

    def _last(self, table: str) -> int:
        return (self._store.collection(SEQUENCES).get(table) or {"last": 0})["last"]

    def _service(self, caller: Caller, service_id: Any) -> dict[str, Any]:
        self._catalogue(caller.organization_id)
        return self._get(caller, service_id, SERVICES)

    def _resources(self, caller: Caller, service: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The resources serving ``service``, by id."""
        every = self._records(caller.organization_id, RESOURCES).values()
        return sorted((r for r in every if service["id"] in r["service_ids"]),
                      key=lambda r: r["id"])

    def _active(self, caller: Caller) -> list[dict[str, Any]]:
        """The organisation's reservations that hold their slot (all but cancelled ones)."""
        return [record for record in self._records(caller.organization_id, "reservations")
                .values() if record["status"] != INACTIVE]


class ReservationServices(_Catalogue):
    table = SERVICES
    field_types = RESERVATION_SERVICE_FIELD_TYPES
    slot_field_types = RESERVATION_SLOT_FIELD_TYPES

    def find(self, caller: Caller, query: FeathersQuery | None = None) -> dict[str, Any]:
        with self._store.transaction():
            self._catalogue(caller.organization_id)
            records = self._records(caller.organization_id).values()
        return run_query(records, FeathersQuery() if query is None else query)

    def get(self, caller: Caller, service_id: int) -> dict[str, Any]:
        with self._store.transaction():
            return self._service(caller, service_id)

    def configure(self, caller: Caller, services: Iterable[Mapping[str, Any]],
                  resources: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
        """Replace the organisation's catalogue (fixtures): ``services`` are ``{id?, name,
        description?, duration_minutes?}``, ``resources`` ``{id?, name?, service_ids?}`` (all
        configured services by default; none at all means slots without a resource).
        Reservations are kept. Answers the new services."""
        with self._store.transaction():
            self._replace(caller.organization_id, list(services), list(resources))
            return self._records(caller.organization_id).values()

    def available_slots(self, caller: Caller, service_id: int, date: str,
                        resource_id: int | None = None, *, organization_id: int | None = None,
                        query: FeathersQuery | None = None) -> dict[str, Any]:
        """The Feathers page of free slots of ``service_id`` on ``date`` (``YYYY-MM-DD``),
        ordered by start, then resource; unknown service or resource, or an
        ``organization_id`` other than the caller's, answer 404."""
        if organization_id is not None:
            check_organization(caller, {"organization_id": organization_id})
        day = _day(date)
        with self._store.transaction():
            service = self._service(caller, service_id)
            units: list[int | None] = [r["id"] for r in self._resources(caller, service)] or [None]
            if resource_id is not None:
                if resource_id not in units:
                    raise FeathersProblem(record_not_found(resource_id))
                units = [resource_id]
            active = self._active(caller)
        length = timedelta(minutes=service["duration_minutes"])
        start, close = (datetime.combine(day, moment, UTC) for moment in (OPEN, CLOSE))
        slots = []
        while start + length <= close:
            slots += [_slot(service["id"], unit, start, start + length) for unit in units
                      if _holder(active, service["id"], unit, start, start + length) is None]
            start += length
        return run_query(slots, FeathersQuery() if query is None else query)


class Reservations(_Catalogue):
    table = "reservations"
    field_types = RESERVATION_FIELD_TYPES

    def create(self, caller: Caller, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            check_organization(caller, data)
            service = self._service(caller, data.get("service_id"))
            now = self._now()
            record: dict[str, Any] = {
                "id": None, "organization_id": caller.organization_id,
                "service_id": service["id"], "resource_id": None, "contact_id": None,
                "start_time": None, "end_time": None, "status": "pending", "notes": None,
                "cancelled_at": None, "cancelled_by": None, "created_at": now, "updated_at": now,
            }
            record.update(_editable(data))
            self._settle(caller, service, record, data, was_cancelled=False)
            record["id"] = self._next_id()
            self._records(caller.organization_id).put(str(record["id"]), record)
            return record

    def patch(self, caller: Caller, reservation_id: int,
              data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            record = self._get(caller, reservation_id)
            service = self._service(caller, record["service_id"])
            was_cancelled = record["status"] == INACTIVE
            record.update(_editable(data))
            self._settle(caller, service, record, data, was_cancelled=was_cancelled)
            record["updated_at"] = self._after(record["updated_at"])
            self._records(caller.organization_id).put(str(reservation_id), record)
            return record

    def _settle(self, caller: Caller, service: Mapping[str, Any], record: dict[str, Any],
                data: Mapping[str, Any], *, was_cancelled: bool) -> None:
        """Check the merged ``record`` and fill what follows from it, before any write:
        times (normalised, end after start), the resource, the slot, the cancellation."""
        start, end = (_time_field(record, name) for name in ("start_time", "end_time"))
        if end <= start:
            raise FeathersProblem(bad_request("end_time must be after start_time"))
        record["start_time"], record["end_time"] = isoformat(start), isoformat(end)
        resources = [resource["id"] for resource in self._resources(caller, service)]
        wanted = record["resource_id"]
        if wanted is not None and wanted not in resources:
            raise FeathersProblem(record_not_found(wanted))
        if record["status"] == INACTIVE:
            if not was_cancelled:  # moving to cancelled: stamp it, by the caller unless sent
                record["cancelled_at"] = self._now()
                if "cancelled_by" not in data:
                    record["cancelled_by"] = caller.user_id
            return
        if data.get("cancelled_by") is not None:
            raise FeathersProblem(bad_request(
                "cancelled_by can only be set on a cancelled reservation"))
        record["cancelled_at"] = record["cancelled_by"] = None  # reopened, or never cancelled
        # a free resource: the one asked for, else the first free one; None when the service
        # has no resources (then the service itself is what is booked)
        candidates = [wanted] if wanted is not None else resources or [None]
        others = [other for other in self._active(caller) if other["id"] != record["id"]]
        for unit in candidates:
            if _holder(others, service["id"], unit, start, end) is None:
                record["resource_id"] = unit
                return
        raise FeathersProblem(bad_request(
            f"The slot from {record['start_time']} to {record['end_time']} is already booked"))


# --- helpers --------------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_service(spec: Mapping[str, Any]) -> None:
    if not isinstance(spec.get("name"), str) or not spec["name"]:
        raise FeathersProblem(bad_request("a reservation service needs a name"))
    duration = spec.get("duration_minutes", DEFAULT_DURATION)
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 1:
        raise FeathersProblem(bad_request("duration_minutes must be a positive integer"))


def _editable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields sent; ids, timestamps, ``cancelled_at`` and the fixed fields on
    PATCH are dropped rather than stored."""
    return {name: data[name] for name in _EDITABLE if name in data}


def _holder(active: Iterable[Mapping[str, Any]], service_id: int, resource_id: int | None,
            start: datetime, end: datetime) -> Mapping[str, Any] | None:
    """The reservation of ``active`` holding the same resource (or, without one, the same
    service) at some moment of [start, end), if any."""
    for other in active:
        same = (other["resource_id"] == resource_id if resource_id is not None else
                other["resource_id"] is None and other["service_id"] == service_id)
        # stored times were normalised by _settle, so they always parse
        if same and parse_instant(other["start_time"]) < end and start < parse_instant(
                other["end_time"]):
            return other
    return None


def _time_field(record: Mapping[str, Any], name: str) -> datetime:
    instant = parse_instant(record.get(name))
    if instant is None:
        raise FeathersProblem(bad_request(f"{name} must be a date-time"))
    try:
        return instant.astimezone(UTC)  # stored in UTC, so it must be expressible there
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is in year 0
        raise FeathersProblem(bad_request(f"{name} is out of range")) from None


def _day(value: Any) -> Date:
    """``YYYY-MM-DD`` only (``date.fromisoformat`` would also take ``2026W011``)."""
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return Date.fromisoformat(value)
        except ValueError:  # 2026-02-30
            pass
    raise FeathersProblem(bad_request("date must be a day, YYYY-MM-DD"))


def _slot(service_id: int, resource_id: int | None, start: datetime,
          end: datetime) -> dict[str, Any]:
    return {"service_id": service_id, "resource_id": resource_id,
            "start_time": isoformat(start), "end_time": isoformat(end)}
