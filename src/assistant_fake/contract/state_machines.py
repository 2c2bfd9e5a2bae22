"""Hypothesis state machines that drive either vendor's API over HTTP and judge it by a model.

They talk to any base URL through an ``httpx.Client`` made by ``client_factory`` (its
``base_url`` is the vendor's root: ``.../v2`` for Telnyx, the host root for AchieveApex), so the
same machines check the in-process fake, a fake on a port, and the real services. In a user's
own pytest suite::

    TestTelnyx = telnyx_machine(lambda: httpx.Client(base_url=URL), KEY).TestCase

Every record the machines create carries the ``contract-`` name prefix and is deleted in
``teardown``, and every list check is limited to the run's own records, so a real account with
other data in it can be used. A second key (``other_key``) adds tenant-isolation checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from assistant_fake.contract.models.telnyx import Expected, TelnyxModel, Version, mismatches

NAME_PREFIX = "contract-"
ClientFactory = Callable[[], httpx.Client]

# Plain ASCII text: the machines test state, not the servers' text handling (Schemathesis does).
_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=1, max_size=12)


class ContractViolation(AssertionError):
    """An answer that differs from the vendor model."""


def _describe(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url} -> {response.status_code} " \
           f"{response.text[:300]}"


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class _HTTPMachine(RuleBasedStateMachine):
    """Requests, one per call, and comparison with the model's expectation."""

    client_factory: ClientFactory
    keys: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.client = self.client_factory()
        self.run = uuid.uuid4().hex[:8]  # marks this run's names and tags

    def auth(self, key: str) -> dict[str, str]:
        raise NotImplementedError

    def call(self, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, path, headers=self.auth(key), **kwargs)

    def check(self, response: httpx.Response, expected: Expected, what: str) -> Any:
        if response.status_code != expected.status:
            raise ContractViolation(f"{what}: expected {expected.status}, got "
                                    f"{_describe(response)}")
        body = _json(response)
        if expected.body is not None:
            problems = mismatches(body, expected.body)
            if problems:
                raise ContractViolation(f"{what}: {'; '.join(problems)} in {_describe(response)}")
        return body

    def fail(self, message: str, response: httpx.Response) -> None:
        raise ContractViolation(f"{message} in {_describe(response)}")

    def teardown(self) -> None:
        try:
            self.cleanup()
        finally:
            self.client.close()

    def cleanup(self) -> None:
        raise NotImplementedError


# -- Telnyx --------------------------------------------------------------------------------


class _TelnyxMachine(_HTTPMachine):
    def __init__(self) -> None:
        super().__init__()
        self.model = TelnyxModel()

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def cleanup(self) -> None:
        # Hard delete erases soft-deleted ones too: nothing of the run is left behind.
        for assistant in self.model.assistants.values():
            if assistant.state != "gone":
                self.call(assistant.tenant, "DELETE", f"/ai/assistants/{assistant.id}",
                          params={"hard_delete": "true"})

    def tag(self, name: str) -> str:
        return f"ct{self.run}-{name}"

    def pick(self, data: st.DataObject) -> tuple[str, str]:
        """Any assistant of the run, in any state, with its owner's key."""
        assistant_id = data.draw(st.sampled_from(list(self.model.assistants)), label="id")
        return self.model.assistants[assistant_id].tenant, assistant_id

    @rule(data=st.data(), name=_text, instructions=_text,
          greeting=st.none() | _text, tags=st.lists(st.sampled_from("abc"), unique=True))
    def create(self, data: st.DataObject, name: str, instructions: str, greeting: str | None,
               tags: list[str]) -> None:
        key = data.draw(st.sampled_from(self.keys), label="key")
        body: dict[str, Any] = {"name": NAME_PREFIX + name, "instructions": instructions}
        if greeting is not None:
            body["greeting"] = greeting
        if tags:
            body["tags"] = [self.tag(t) for t in tags]
        response = self.call(key, "POST", "/ai/assistants", json=body)
        answer = _json(response) if response.status_code == 200 else None
        answer = answer if isinstance(answer, dict) else {}
        expected = self.model.create(key, body, answer.get("id"), answer.get("version_id"))
        self.check(response, expected, "create")
        if not answer.get("telephony_settings") or not answer.get("messaging_settings"):
            self.fail("create must fill telephony_settings and messaging_settings", response)

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)
        response = self.call(key, "GET", f"/ai/assistants/{assistant_id}")
        self.check(response, self.model.get(key, assistant_id), "get")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data(), promote=st.sampled_from([None, True, False]),
          changes=st.fixed_dictionaries({}, optional={
              "name": _text.map(lambda s: NAME_PREFIX + s), "instructions": _text,
              "greeting": _text, "description": _text}))
    def update(self, data: st.DataObject, promote: bool | None, changes: dict[str, Any]) -> None:
        key, assistant_id = self.pick(data)
        body = dict(changes) if promote is None else {**changes, "promote_to_main": promote}
        response = self.call(key, "POST", f"/ai/assistants/{assistant_id}", json=body)
        answer = _json(response) if response.status_code == 200 else None
        version_id = answer.get("version_id") if isinstance(answer, dict) else None
        expected = self.model.update(key, assistant_id, changes, promote, version_id)
        self.check(response, expected, "update")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def versions(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)
        response = self.call(key, "GET", f"/ai/assistants/{assistant_id}/versions")
        expected, versions = self.model.versions(key, assistant_id)
        body = self.check(response, expected, "versions")
        if expected.status == 200:
            self.compare_versions(response, body, versions, assistant_id)

    def compare_versions(self, response: httpx.Response, body: Any, versions: list[Version],
                         assistant_id: str) -> None:
        """Newest first; the server may prune old ones, never the newest nor main."""
        observed = body.get("data") if isinstance(body, dict) else None
        if not isinstance(observed, list):
            self.fail("versions: no data list", response)
            return
        order = [v.version_id for v in versions]
        seen = [v.get("version_id") if isinstance(v, dict) else None for v in observed]
        if any(v not in order for v in seen):
            self.fail(f"versions: unknown version in {seen}, expected among {order}", response)
        if [order.index(v) for v in seen] != sorted(order.index(v) for v in seen):
            self.fail(f"versions: order {seen}, expected newest first {order}", response)
        main_id = self.model.main_version_id(assistant_id)
        if order[0] not in seen or main_id not in seen:
            self.fail("versions: the newest and the main version must be listed", response)
        for item in observed:
            version = versions[order.index(item["version_id"])]
            problems = mismatches(item, {**version.fields, "id": assistant_id})
            if problems:
                self.fail(f"versions: {'; '.join(problems)}", response)

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data(), hard=st.booleans())
    def delete(self, data: st.DataObject, hard: bool) -> None:
        key, assistant_id = self.pick(data)
        params = {"hard_delete": "true"} if hard else {}
        response = self.call(key, "DELETE", f"/ai/assistants/{assistant_id}", params=params)
        self.check(response, self.model.delete(key, assistant_id, hard), "delete")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)
        response = self.call(key, "POST", f"/ai/assistants/{assistant_id}/restore")
        self.check(response, self.model.restore(key, assistant_id), "restore")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def get_deleted(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)
        response = self.call(key, "GET", f"/ai/assistants/{assistant_id}/deleted")
        body = self.check(response, self.model.get_deleted(key, assistant_id), "get deleted")
        if response.status_code == 200 and not (body.get("deleted_at")
                                                and body.get("permanently_deleted_at")):
            self.fail("a deleted assistant carries deleted_at and permanently_deleted_at", response)

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data(), tag=st.sampled_from("abcd"), add=st.booleans())
    def change_tag(self, data: st.DataObject, tag: str, add: bool) -> None:
        key, assistant_id = self.pick(data)
        path = f"/ai/assistants/{assistant_id}/tags"
        if add:
            response = self.call(key, "POST", path, json={"tag": self.tag(tag)})
            expected = self.model.add_tag(key, assistant_id, self.tag(tag))
        else:
            response = self.call(key, "DELETE", f"{path}/{self.tag(tag)}")
            expected = self.model.remove_tag(key, assistant_id, self.tag(tag))
        self.check(response, expected, "add tag" if add else "remove tag")

    @precondition(lambda self: self.model.assistants)
    @rule(data=st.data())
    def clone(self, data: st.DataObject) -> None:
        key, assistant_id = self.pick(data)
        response = self.call(key, "POST", f"/ai/assistants/{assistant_id}/clone")
        answer = _json(response) if response.status_code == 200 else None
        answer = answer if isinstance(answer, dict) else {}
        expected = self.model.clone(key, assistant_id, answer.get("id"), answer.get("version_id"))
        self.check(response, expected, "clone")
        if response.status_code == 200 and answer.get("id") == assistant_id:
            self.fail("a clone needs an id of its own", response)

    @precondition(lambda self: len(self.keys) > 1 and self.model.assistants)
    @rule(data=st.data())
    def other_tenant_is_blind(self, data: st.DataObject) -> None:
        """Another account's assistant is 404 for every per-id operation."""
        owner, assistant_id = self.pick(data)
        stranger = next(k for k in self.keys if k != owner)
        for method, suffix in (("GET", ""), ("GET", "/versions"), ("GET", "/deleted"),
                               ("POST", "/restore")):
            response = self.call(stranger, method, f"/ai/assistants/{assistant_id}{suffix}")
            self.check(response, Expected(404), "another tenant's assistant")

    @invariant()
    def lists_agree(self) -> None:
        """List, Recently Deleted and the tag list agree with the model (so with get)."""
        for key in self.keys:
            response = self.call(key, "GET", "/ai/assistants")
            body = self.check(response, Expected(200), "list")
            listed = {a.get("id"): a for a in (body or {}).get("data", [])}
            for assistant_id in self.model.ids(key, "active"):
                if assistant_id not in listed:
                    self.fail(f"list: active {assistant_id} missing", response)
                problems = mismatches(listed[assistant_id], self.model.main_fields(assistant_id))
                if problems:
                    self.fail(f"list: {assistant_id}: {'; '.join(problems)}", response)
            hidden = (self.model.ids(key, "deleted") + self.model.ids(key, "gone")
                      + self.model.foreign_ids(key))
            if leaked := [i for i in hidden if i in listed]:
                self.fail(f"list: deleted or foreign assistants listed: {leaked}", response)
            self.check_deleted_list(key)
            self.check_tags(key)

    def check_deleted_list(self, key: str) -> None:
        listed: set[str] = set()
        page, total_pages = 1, 1
        while page <= total_pages:
            response = self.call(key, "GET", "/ai/assistants/deleted",
                                 params={"page[number]": page, "page[size]": 100})
            body = self.check(response, Expected(200), "deleted list") or {}
            listed.update(a.get("id") for a in body.get("data", []))
            total_pages = int(body.get("meta", {}).get("total_pages", 1))
            page += 1
        expected = set(self.model.ids(key, "deleted"))
        wrong = listed & (set(self.model.assistants) - expected)
        if not expected <= listed or wrong:
            self.fail(f"deleted list: missing {sorted(expected - listed)}, wrongly listed "
                      f"{sorted(wrong)}", response)

    def check_tags(self, key: str) -> None:
        response = self.call(key, "GET", "/ai/assistants/tags")
        body = self.check(response, Expected(200), "tags") or {}
        ours = {t for t in body.get("tags", []) if t.startswith(f"ct{self.run}-")}
        if ours != self.model.account_tags(key):
            self.fail(f"tags: expected {sorted(self.model.account_tags(key))}, got "
                      f"{sorted(ours)}", response)


def telnyx_machine(client_factory: ClientFactory, key: str,
                   other_key: str | None = None) -> type[RuleBasedStateMachine]:
    """The Telnyx machine for one API (``client_factory()`` → a client on ``.../v2``)."""
    keys = [key] if other_key is None else [key, other_key]
    return type("TelnyxMachine", (_TelnyxMachine,),
                {"client_factory": staticmethod(client_factory), "keys": keys})


# The AchieveApex machine lives in its own module (size); it builds on _HTTPMachine above,
# so it is imported last and re-exported here: users need only this module.
from assistant_fake.contract.state_machines_achieveapex import (  # noqa: E402
    achieveapex_machine,
)

__all__ = ["ContractViolation", "achieveapex_machine", "telnyx_machine"]
