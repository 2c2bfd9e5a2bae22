"""What every AchieveApex state class shares: the caller, organisation-scoped collections,
numeric ids from one sequence per table (as SQL auto-increment), timestamps.

Records of one organisation live in their own collection (``achieveapex/<org>/<table>``) keyed
by the record id, so a read of one record never scans and another organisation's ids are simply
absent (404). Ids still come from a table-wide sequence, so they are unique across
organisations like rows of one SQL table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assistant_fake.store import Collection, Store, isoformat
from assistant_fake.vendors.achieveapex.errors import FeathersProblem, record_not_found
from assistant_fake.vendors.achieveapex.query import FeathersQuery, run_query

SEQUENCES = "achieveapex/sequences"
ASSISTANTS_TABLE = "ai_assistants"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the organisation and user an ``x-api-key`` belongs to."""

    organization_id: int
    user_id: int


def check_organization(caller: Caller, data: Mapping[str, Any]) -> None:
    """An ``organization_id`` other than the caller's answers 404, like an unknown id: the
    caller cannot even learn that the other organisation exists."""
    organization_id = data.get("organization_id")
    if organization_id != caller.organization_id or isinstance(organization_id, bool):
        raise FeathersProblem(record_not_found(organization_id))


class OrganizationRecords:
    """Base of the state classes: one table, scoped to the caller's organisation, with
    Feathers' ``find`` and ``get`` over it (services override them where rules differ)."""

    table: str = ""

    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, caller: Caller, query: FeathersQuery | None = None) -> dict[str, Any]:
        with self._store.transaction():
            # stored records, uncopied: run_query copies only the page it answers
            records = self._records(caller.organization_id).scan()
            return run_query(records, FeathersQuery() if query is None else query)

    def get(self, caller: Caller, record_id: int) -> dict[str, Any]:
        with self._store.transaction():
            return self._get(caller, record_id)

    def _records(self, organization_id: int, table: str | None = None) -> Collection:
        return self._store.collection(f"achieveapex/{organization_id}/{table or self.table}")

    def _next_id(self, table: str | None = None) -> int:
        """The table's next id (1, 2, ...); call it inside ``store.transaction()``."""
        name = table or self.table
        sequences = self._store.collection(SEQUENCES)
        current = (sequences.get(name) or {"last": 0})["last"] + 1
        sequences.put(name, {"last": current})
        return current

    def _now(self) -> str:
        return isoformat(self._store.clock.now())

    def _after(self, previous: str | None) -> str:
        """Now, but strictly later than ``previous``: snapshots of one record never tie, so
        "newest at or before T" always has one answer even on a frozen or coarse clock."""
        now = self._store.clock.now()
        stamp = isoformat(now)
        if previous is not None and stamp <= previous:
            last = datetime.fromisoformat(previous.replace("Z", "+00:00"))
            stamp = isoformat(last + timedelta(milliseconds=1))
        return stamp

    def _get(self, caller: Caller, record_id: int, table: str | None = None) -> dict[str, Any]:
        record = self._records(caller.organization_id, table).get(str(record_id))
        if record is None:
            raise FeathersProblem(record_not_found(record_id))
        return record
