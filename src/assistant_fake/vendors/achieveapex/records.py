"""What every AchieveApex state class shares: the caller, organisation-scoped collections,
numeric ids from one sequence per table (as SQL auto-increment), timestamps.

Records of one organisation live in their own collection (``achieveapex/<org>/<table>``) keyed
by the record id, so a read of one record never scans and another organisation's ids are simply
absent (404). Ids still come from a table-wide sequence, so they are unique across
organisations like rows of one SQL table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assistant_fake.store import Collection, Store, isoformat
from assistant_fake.vendors.achieveapex.errors import FeathersProblem, record_not_found

SEQUENCES = "achieveapex/sequences"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the organisation and user an ``x-api-key`` belongs to."""

    organization_id: int
    user_id: int


class OrganizationRecords:
    """Base of the state classes: one table, scoped to the caller's organisation."""

    table: str = ""

    def __init__(self, store: Store) -> None:
        self._store = store

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
