"""A plain-Python model of AchieveApex's documented AI Assistants behaviour, to judge any server.

Independent of ``assistant_fake.vendors`` (including its Feathers query engine): the query
evaluator here is a deliberately small reference for the subset the contract suite sends
(equality, ``$in``, ``$lt``/``$gt`` on timestamps, ``$sort``, ``$limit``/``$skip``), so a bug in
the fake's engine cannot hide behind the same bug in the model.

The model knows only the fields the suite sends; ids, timestamps and history ids are learned
from the server's answers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant_fake.contract.models.telnyx import Expected

KNOWN_FIELDS = ("name", "assistant_type", "ai_model_id", "instructions", "disable_reply")
# PATCH ignores these (documented as read-only or fixed at creation), so the model does too.
IMMUTABLE = ("assistant_type", "organization_id", "id", "created_at", "updated_at",
             "created_by_user_id")
MAX_LIMIT = 50  # the docs: "use 50 or less"; the suite never asks for more


@dataclass
class Snapshot:
    fields: dict[str, Any]
    history_id: int | None = None  # learned from GET /ai-assistants-change-history


@dataclass
class Assistant:
    id: int
    tenant: str
    fields: dict[str, Any]
    created_at: str | None
    deleted: bool = False
    history: list[Snapshot] = field(default_factory=list)  # oldest first


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class AchieveApexModel:
    assistants: dict[int, Assistant] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------

    def _find(self, tenant: str, assistant_id: int, deleted: bool = False) -> Assistant | None:
        found = self.assistants.get(assistant_id)
        if found is None or found.tenant != tenant or found.deleted != deleted:
            return None
        return found

    def ids(self, tenant: str, *, deleted: bool | None = None) -> list[int]:
        return [a.id for a in self.assistants.values()
                if a.tenant == tenant and (deleted is None or a.deleted == deleted)]

    def foreign_ids(self, tenant: str) -> list[int]:
        return [a.id for a in self.assistants.values() if a.tenant != tenant]

    def known_snapshots(self, tenant: str) -> list[tuple[int, int]]:
        """(assistant id, history id) pairs of active assistants whose snapshot ids are known."""
        return [(a.id, s.history_id) for a in self.assistants.values()
                if a.tenant == tenant and not a.deleted
                for s in a.history if s.history_id is not None]

    # -- assistants ----------------------------------------------------------------------

    def create(self, tenant: str, body: dict[str, Any], new_id: int | None,
               created_at: str | None) -> Expected:
        """201 with the full record, ``deleted_at: null``; records the first snapshot."""
        fields = {k: copy.deepcopy(v) for k, v in body.items() if k in KNOWN_FIELDS}
        if new_id is not None:
            self.assistants[new_id] = Assistant(new_id, tenant, fields, created_at,
                                                history=[Snapshot(copy.deepcopy(fields))])
        return Expected(201, {**copy.deepcopy(fields), "deleted_at": None})

    def get(self, tenant: str, assistant_id: int) -> Expected:
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        return Expected(200, {**copy.deepcopy(found.fields), "deleted_at": None})

    def patch(self, tenant: str, assistant_id: int, changes: dict[str, Any]) -> Expected:
        """A top-level merge of the sent fields; a soft-deleted assistant is 404."""
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        found.fields.update({k: copy.deepcopy(v) for k, v in changes.items()
                             if k in KNOWN_FIELDS and k not in IMMUTABLE})
        found.history.append(Snapshot(copy.deepcopy(found.fields)))
        return Expected(200, {**copy.deepcopy(found.fields), "deleted_at": None})

    def delete(self, tenant: str, assistant_id: int) -> Expected:
        """Soft delete: the answer is the record with ``deleted_at`` set; no snapshot."""
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        found.deleted = True
        return Expected(200, copy.deepcopy(found.fields))

    def restore(self, tenant: str, assistant_id: int) -> Expected:
        """PATCH ``{"deleted_at": null}`` on a soft-deleted one; it is a PATCH, so a snapshot."""
        found = self._find(tenant, assistant_id, deleted=True)
        if found is None:
            return Expected(404)
        found.deleted = False
        found.history.append(Snapshot(copy.deepcopy(found.fields)))
        return Expected(200, {**copy.deepcopy(found.fields), "deleted_at": None})

    # -- history -------------------------------------------------------------------------

    def history(self, tenant: str, assistant_id: int) -> list[Snapshot]:
        """Snapshots newest first (the suite asks for ``$sort[created_at]=-1``)."""
        found = self.assistants.get(assistant_id)
        if found is None or found.tenant != tenant:
            return []
        return list(reversed(found.history))

    def learn_history_ids(self, assistant_id: int, newest_first_ids: list[int]) -> None:
        snapshots = list(reversed(self.assistants[assistant_id].history))
        for snapshot, history_id in zip(snapshots, newest_first_ids, strict=False):
            snapshot.history_id = history_id

    def restore_from_history(self, tenant: str, assistant_id: int, history_id: int) -> Expected:
        """The snapshot's configuration replaces the assistant's (a new snapshot records it).

        A snapshot of another assistant is a 400; an unknown assistant a 404.
        """
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        snapshot = next((s for s in found.history if s.history_id == history_id), None)
        if snapshot is None:
            return Expected(400)
        found.fields = copy.deepcopy(snapshot.fields)
        found.history.append(Snapshot(copy.deepcopy(found.fields)))
        return Expected(201, {**copy.deepcopy(found.fields), "deleted_at": None})

    # -- queries -------------------------------------------------------------------------

    def query(self, tenant: str, query: Query) -> tuple[int, list[int]]:
        """(total, ids of the page) of GET /ai-assistants for this tenant's known assistants."""
        rows = [{**a.fields, "id": a.id, "created_at": a.created_at}
                for a in self.assistants.values() if a.tenant == tenant and not a.deleted]
        return query.run(rows)


@dataclass
class Query:
    """A reference for the Feathers query subset the suite sends, kept deliberately simple."""

    ids: list[int]  # always sent as id[$in]: keeps the query to the suite's own records
    equals: dict[str, Any] = field(default_factory=dict)
    within: dict[str, list[Any]] = field(default_factory=dict)  # field[$in]
    created_before: str | None = None  # created_at[$lt]
    created_after: str | None = None  # created_at[$gt]
    sort: list[tuple[str, int]] = field(default_factory=list)  # in priority order
    limit: int = 10
    skip: int = 0

    def params(self) -> list[tuple[str, str]]:
        """The query string in the qs bracket form; order matters for ``$sort`` keys."""
        params: list[tuple[str, str]] = [(f"id[$in][{i}]", str(v)) for i, v in enumerate(self.ids)]
        params += [(k, _text(v)) for k, v in self.equals.items()]
        for key, values in self.within.items():
            params += [(f"{key}[$in][{i}]", _text(v)) for i, v in enumerate(values)]
        if self.created_before is not None:
            params.append(("created_at[$lt]", self.created_before))
        if self.created_after is not None:
            params.append(("created_at[$gt]", self.created_after))
        params += [(f"$sort[{key}]", str(direction)) for key, direction in self.sort]
        params += [("$limit", str(self.limit)), ("$skip", str(self.skip))]
        return params

    def matches(self, row: dict[str, Any]) -> bool:
        if row["id"] not in self.ids:
            return False
        if any(row.get(k) != v for k, v in self.equals.items()):
            return False
        if any(row.get(k) not in vs for k, vs in self.within.items()):
            return False
        created = parse_time(row["created_at"]) if row.get("created_at") else None
        if self.created_before is not None and not (
                created is not None and created < parse_time(self.created_before)):
            return False
        return self.created_after is None or (
            created is not None and created > parse_time(self.created_after))

    def run(self, rows: list[dict[str, Any]]) -> tuple[int, list[int]]:
        found = [r for r in rows if self.matches(r)]
        # Stable sorts from the last key to the first give multi-key order.
        for key, direction in reversed(self.sort):
            found.sort(key=lambda r, k=key: _sort_key(k, r.get(k)), reverse=direction < 0)
        page = found[self.skip:self.skip + min(self.limit, MAX_LIMIT)]
        return len(found), [r["id"] for r in page]


def _sort_key(key: str, value: Any) -> Any:
    # Timestamps compare as instants, whatever precision the server writes them with.
    return parse_time(value) if key == "created_at" and isinstance(value, str) else value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
