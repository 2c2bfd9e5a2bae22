"""The AchieveApex state machine (see ``state_machines`` for how the machines are used)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from assistant_fake.contract.models.achieveapex import AchieveApexModel, Query
from assistant_fake.contract.models.telnyx import Expected, mismatches
from assistant_fake.contract.state_machines import (
    NAME_PREFIX,
    ClientFactory,
    _HTTPMachine,
    _json,
    _text,
)

ASSISTANT_TYPES = ("conversation", "support-ticket", "ai-chat", "voice")
_config = st.fixed_dictionaries({}, optional={
    "name": _text.map(lambda s: NAME_PREFIX + s), "instructions": _text,
    "ai_model_id": st.integers(1, 3), "disable_reply": st.booleans()})


class _AchieveApexMachine(_HTTPMachine):
    def __init__(self) -> None:
        super().__init__()
        self.model = AchieveApexModel()
        # A key belongs to one organisation; GET /organizations is how a client learns it.
        self.orgs: dict[str, Any] = {}
        for key in self.keys:
            response = self.call(key, "GET", "/organizations")
            body = self.check(response, Expected(200), "organizations") or {}
            self.orgs[key] = body["data"][0]["id"]

    def auth(self, key: str) -> dict[str, str]:
        return {"x-api-key": key}

    def cleanup(self) -> None:
        # AchieveApex has only soft delete: the run's records end up deleted, never active.
        for assistant in self.model.assistants.values():
            if not assistant.deleted:
                self.call(assistant.tenant, "DELETE", f"/ai-assistants/{assistant.id}")

    def pick(self, data: st.DataObject, *, active: bool = False) -> tuple[str, int] | None:
        ids = [a.id for a in self.model.assistants.values() if not (active and a.deleted)]
        if not ids:
            return None
        assistant_id = data.draw(st.sampled_from(ids), label="id")
        return self.model.assistants[assistant_id].tenant, assistant_id

    @rule(data=st.data(), name=_text, assistant_type=st.sampled_from(ASSISTANT_TYPES),
          ai_model_id=st.integers(1, 3), instructions=st.none() | _text)
    def create(self, data: st.DataObject, name: str, assistant_type: str, ai_model_id: int,
               instructions: str | None) -> None:
        key = data.draw(st.sampled_from(self.keys), label="key")
        body: dict[str, Any] = {"organization_id": self.orgs[key], "name": NAME_PREFIX + name,
                                "assistant_type": assistant_type, "ai_model_id": ai_model_id}
        if instructions is not None:
            body["instructions"] = instructions
        response = self.call(key, "POST", "/ai-assistants", json=body)
        answer = _json(response) if response.status_code == 201 else None
        answer = answer if isinstance(answer, dict) else {}
        expected = self.model.create(key, body, answer.get("id"), answer.get("created_at"))
        self.check(response, expected, "create")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)  # type: ignore[misc]
        response = self.call(key, "GET", f"/ai-assistants/{assistant_id}")
        self.check(response, self.model.get(key, assistant_id), "get")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data(), changes=_config)
    def patch(self, data: st.DataObject, changes: dict[str, Any]) -> None:
        key, assistant_id = self.pick(data)  # type: ignore[misc]
        response = self.call(key, "PATCH", f"/ai-assistants/{assistant_id}", json=changes)
        self.check(response, self.model.patch(key, assistant_id, changes), "patch")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)  # type: ignore[misc]
        response = self.call(key, "DELETE", f"/ai-assistants/{assistant_id}")
        body = self.check(response, self.model.delete(key, assistant_id), "delete")
        if response.status_code == 200 and not body.get("deleted_at"):
            self.fail("delete answers the record with deleted_at set", response)

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)  # type: ignore[misc]
        if not self.model.assistants[assistant_id].deleted:
            return  # PATCH {"deleted_at": null} on an active one is an ordinary PATCH
        response = self.call(key, "PATCH", f"/ai-assistants/{assistant_id}",
                             json={"deleted_at": None})
        self.check(response, self.model.restore(key, assistant_id), "restore")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def history(self, data: st.DataObject) -> None:
        picked = self.pick(data, active=True)
        if picked is not None:
            self.load_history(*picked)

    def load_history(self, key: str, assistant_id: int) -> None:
        """Snapshots per create/PATCH/restore, newest first; learns their ids."""
        response = self.call(key, "GET", "/ai-assistants-change-history", params=[
            ("ai_assistant_id", str(assistant_id)), ("$sort[created_at]", "-1"),
            ("$sort[id]", "-1"), ("$limit", "50")])
        body = self.check(response, Expected(200), "history") or {}
        expected = self.model.history(key, assistant_id)
        rows = body.get("data", [])
        if body.get("total") != len(expected) or len(rows) != min(len(expected), 50):
            self.fail(f"history: expected {len(expected)} snapshots", response)
        for row, snapshot in zip(rows, expected, strict=False):
            problems = mismatches(row.get("snapshot"), snapshot.fields)
            if row.get("ai_assistant_id") != assistant_id or problems:
                self.fail(f"history of {assistant_id}: {'; '.join(problems)}", response)
        self.model.learn_history_ids(assistant_id, [row.get("id") for row in rows])

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def restore_from_history(self, data: st.DataObject) -> None:
        picked = self.pick(data, active=True)
        if picked is None:
            return
        key, assistant_id = picked
        self.load_history(key, assistant_id)  # snapshot ids come only from the server
        pairs = self.model.known_snapshots(key)
        # Usually the target's own snapshot; sometimes another assistant's (must be refused).
        _, history_id = data.draw(st.sampled_from(pairs), label="snapshot")
        response = self.call(key, "POST", "/ai-assistants-restore-from-changes-history",
                             json={"ai_assistant_id": assistant_id,
                                   "change_history_id": history_id})
        expected = self.model.restore_from_history(key, assistant_id, history_id)
        self.check(response, expected, "restore from history")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        """A Feathers query over the run's own records, judged by the reference evaluator."""
        key = data.draw(st.sampled_from(self.keys), label="key")
        ids = self.model.ids(key)
        if not ids:
            return
        rows = [self.model.assistants[i] for i in ids]
        query = Query(ids=ids, limit=data.draw(st.integers(1, 5)),
                      skip=data.draw(st.integers(0, 3)))
        kind = data.draw(st.sampled_from(["none", "type", "types", "name", "before", "after"]))
        if kind == "type":
            query.equals["assistant_type"] = data.draw(st.sampled_from(ASSISTANT_TYPES))
        elif kind == "types":
            query.within["assistant_type"] = data.draw(
                st.lists(st.sampled_from(ASSISTANT_TYPES), min_size=1, max_size=3, unique=True))
        elif kind == "name":
            query.equals["name"] = data.draw(st.sampled_from([a.fields["name"] for a in rows]))
        elif kind in ("before", "after"):
            stamp = data.draw(st.sampled_from([a.created_at or "" for a in rows]))
            if kind == "before":
                query.created_before = stamp
            else:
                query.created_after = stamp
        sort_key = data.draw(st.sampled_from(["created_at", "name", "ai_model_id"]))
        # id as the last key makes the order total, so one answer is right.
        query.sort = [(sort_key, data.draw(st.sampled_from([1, -1]))),
                      ("id", data.draw(st.sampled_from([1, -1])))]
        response = self.call(key, "GET", "/ai-assistants", params=query.params())
        body = self.check(response, Expected(200), "query") or {}
        total, page = self.model.query(key, query)
        got = [row.get("id") for row in body.get("data", [])]
        if body.get("total") != total or got != page:
            self.fail(f"query {query.params()}: expected total {total} and {page}, got "
                      f"{body.get('total')} and {got}", response)

    @precondition(lambda self: len(self.keys) > 1 and self.model.assistants)
    @rule(data=st.data())
    def other_tenant_is_blind(self, data: st.DataObject) -> None:
        owner, assistant_id = self.pick(data)  # type: ignore[misc]
        stranger = next(k for k in self.keys if k != owner)
        response = self.call(stranger, "GET", f"/ai-assistants/{assistant_id}")
        self.check(response, Expected(404), "another tenant's assistant")
        response = self.call(stranger, "PATCH", f"/ai-assistants/{assistant_id}",
                             json={"name": NAME_PREFIX + "intruder"})
        self.check(response, Expected(404), "patching another tenant's assistant")

    @invariant()
    def lists_agree(self) -> None:
        """The list shows exactly the active records of the run, as get would."""
        for key in self.keys:
            ids = self.model.ids(key) + self.model.foreign_ids(key)
            if not ids:
                continue
            # In chunks: $limit is capped at 50 and qs arrays stop at index 100.
            listed: dict[Any, Any] = {}
            total = 0
            for start in range(0, len(ids), 50):
                query = Query(ids=ids[start:start + 50], sort=[("id", 1)], limit=50)
                response = self.call(key, "GET", "/ai-assistants", params=query.params())
                body = self.check(response, Expected(200), "list") or {}
                listed.update((row.get("id"), row) for row in body.get("data", []))
                total += body.get("total", 0)
            active = self.model.ids(key, deleted=False)
            if set(listed) != set(active) or total != len(active):
                self.fail(f"list: expected exactly {sorted(active)}, got {sorted(listed)}",
                          response)
            for assistant_id in active:
                problems = mismatches(listed[assistant_id], self.model.get(key, assistant_id).body
                                      or {})
                if problems:
                    self.fail(f"list: {assistant_id}: {'; '.join(problems)}", response)


def achieveapex_machine(client_factory: ClientFactory, key: str,
                        other_key: str | None = None) -> type[RuleBasedStateMachine]:
    """The AchieveApex machine for one API (``client_factory()`` → a client on its root)."""
    keys = [key] if other_key is None else [key, other_key]
    return type("AchieveApexMachine", (_AchieveApexMachine,),
                {"client_factory": staticmethod(client_factory), "keys": keys})


__all__ = ["achieveapex_machine"]
