"""Lifecycle control: when a test run or a scheduled event stops being open, and how it ends.

The fake runs no test and places no call, so something has to decide when a record moves on.
A *policy* does, per kind of record:

- ``immediate``: the record is finished as soon as it is created;
- ``after_polls`` (``polls: N``): the N-th read of the record (a get, or a list it appears in)
  answers it finished; earlier reads answer it open;
- ``after_seconds`` (``seconds: T``): it is finished once the store clock is T seconds past its
  creation (so a frozen clock moved by hand drives it);
- ``manual``: only an explicit ``advance`` moves it.

``outcome`` is the status it finishes with. The policy in force when a record is created is
copied onto the record, so changing the policy later never rewrites records already made.
Policies are kept in the store: one account-wide default, optionally overridden per tenant (so
tests running side by side with their own keys never see each other's policy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from assistant_fake.store import Store, isoformat

TEST_RUNS = "test_runs"
SCHEDULED_EVENTS = "scheduled_events"

DEFAULT_POLICIES: dict[str, dict[str, Any]] = {
    # Today's behaviour: a run answers pending when triggered and has passed on its first read.
    TEST_RUNS: {"policy": "after_polls", "polls": 1, "outcome": "passed"},
    # Today's behaviour: an event stays pending; nothing is ever dispatched.
    SCHEDULED_EVENTS: {"policy": "manual", "outcome": "completed"},
}

OPEN_STATUSES = {TEST_RUNS: ("pending", "starting", "running"),
                 SCHEDULED_EVENTS: ("pending", "in_progress")}
"""Statuses a record can still move on from; every other status of its enum is final."""

GLOBAL_COLLECTION = "fake/telnyx/lifecycle"
"""The account-wide policies: outside ``telnyx/<tenant>/`` so no tenant owns them."""
_POLICIES_KEY = "policies"

LIFECYCLE_FIELD = "_lifecycle"
"""Internal field of a record: its policy, its read count and when it falls due."""


def public_view(record: Mapping[str, Any]) -> dict[str, Any]:
    """A run or event as the API answers it: the internal ``_`` keys (its lifecycle) left out."""
    return {key: value for key, value in record.items() if not key.startswith("_")}


class AlreadyFinished(Exception):
    """An ``advance`` of a record that has already finished (it can move no further)."""


def new_record_lifecycle(policy: Mapping[str, Any], created: datetime) -> dict[str, Any]:
    """What a record remembers of the policy in force when it was created."""
    state: dict[str, Any] = {**policy, "reads": 0}
    if policy["policy"] == "after_seconds":
        state["due_at"] = isoformat(created + timedelta(seconds=policy["seconds"]))
    return state


def finished_on_creation(state: Mapping[str, Any]) -> bool:
    return state["policy"] == "immediate"


def read_open(record: Mapping[str, Any], kind: str,
              now: datetime) -> tuple[dict[str, Any], datetime | None] | None:
    """One more read of a run or event: ``None`` when it has finished (it never changes
    again), else the record with its counted lifecycle and the moment it finished if it is now
    due. Records stored before policies existed follow the default policy."""
    if record["status"] not in OPEN_STATUSES[kind]:
        return None
    state = record.get(LIFECYCLE_FIELD) or new_record_lifecycle(DEFAULT_POLICIES[kind], now)
    state, finished_at = count_read(state, now)
    return {**record, LIFECYCLE_FIELD: state}, finished_at


def advance_to(record: Mapping[str, Any], kind: str, status: str | None, label: str) -> str:
    """The status an ``advance`` moves an open record to: ``status``, or by default its
    policy's outcome; AlreadyFinished (naming ``label``) for a finished record."""
    if record["status"] not in OPEN_STATUSES[kind]:
        raise AlreadyFinished(f"{label} is finished ({record['status']}).")
    state = record.get(LIFECYCLE_FIELD) or DEFAULT_POLICIES[kind]
    return status or state["outcome"]


def advance_stored(store: Store, prefix: str, kind_part: str, record_id: str,
                   move: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any] | None:
    """Find ``record_id`` in the collections under ``prefix`` whose name holds ``kind_part``,
    store ``move(record)`` in its place and answer it as the API would; ``None`` if absent."""
    with store.transaction():
        for name in store.collection_names(prefix):
            records = store.collection(name)
            record = records.get(record_id) if kind_part in name else None
            if record is not None:
                moved = move(record)
                records.put(record_id, moved)
                return public_view(moved)
    return None


def count_read(state: Mapping[str, Any], now: datetime) -> tuple[dict[str, Any], datetime | None]:
    """One more read of an open record: its new lifecycle state, and the moment it finished if
    it is now due (``after_seconds``: when it fell due, which may be before this read)."""
    policy = state["policy"]
    if policy == "after_polls":
        # Only this policy counts: the others leave an unchanged record unwritten.
        counted = {**state, "reads": state.get("reads", 0) + 1}
        return counted, (now if counted["reads"] >= counted["polls"] else None)
    if policy == "after_seconds":
        due_at = datetime.fromisoformat(state["due_at"])
        return dict(state), (due_at if now >= due_at else None)
    return dict(state), (now if policy == "immediate" else None)


class Lifecycle:
    """The policies in force: per tenant if one was set for it, else account-wide, else the
    defaults (``DEFAULT_POLICIES``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _collection(self, tenant: str | None):
        name = GLOBAL_COLLECTION if tenant is None else f"telnyx/{tenant}/lifecycle"
        return self._store.collection(name)

    def policies(self, tenant: str | None = None) -> dict[str, dict[str, Any]]:
        """``{"test_runs": policy, "scheduled_events": policy}`` in force for ``tenant``
        (``None``: the account-wide ones)."""
        with self._store.transaction():
            for scope in ([tenant] if tenant is not None else []) + [None]:
                stored = self._collection(scope).get(_POLICIES_KEY)
                if stored is not None:
                    return {kind: stored[kind] for kind in DEFAULT_POLICIES}
        return {kind: dict(policy) for kind, policy in DEFAULT_POLICIES.items()}

    def set_policies(self, tenant: str | None,
                     policies: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """Replace the policies of ``tenant`` (``None``: account-wide); a kind left out goes
        back to its default. Answers the policies now in force there."""
        complete = {kind: _with_default_outcome(kind, policies.get(kind) or default)
                    for kind, default in DEFAULT_POLICIES.items()}
        with self._store.transaction():
            self._collection(tenant).put(_POLICIES_KEY, complete)
        return complete

    def policy(self, tenant: str, kind: str) -> dict[str, Any]:
        return self.policies(tenant)[kind]


def _with_default_outcome(kind: str, policy: Mapping[str, Any]) -> dict[str, Any]:
    return {**policy, "outcome": policy.get("outcome") or DEFAULT_POLICIES[kind]["outcome"]}
