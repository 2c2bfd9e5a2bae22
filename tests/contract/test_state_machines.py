"""The contract state machines pass against the fake and fail against broken variants of it.

The broken variants are the real app behind a small ASGI middleware, so the fake's source stays
untouched: one drops update bodies but answers as if they were applied (an update that is not
persisted), one rewrites a second key's requests to the first key (a tenant leak).
"""

from __future__ import annotations

import functools
import json
import re
import uuid
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.app import create_app
from assistant_fake.contract.state_machines import (
    ContractViolation,
    achieveapex_machine,
    telnyx_machine,
)
from assistant_fake.server import running_server

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TELNYX_BASE = "http://testserver/v2"
APEX_BASE = "http://testserver"
BOUNDED = dict(deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# Broken variants only need the first failure: no shrinking keeps them fast.
FIND_ONLY = settings(max_examples=30, stateful_step_count=15,
                     phases=[Phase.explicit, Phase.generate], **BOUNDED)


@functools.cache
def shared_app() -> ASGIApp:
    return create_app()


def in_process(app: ASGIApp, base_url: str) -> Callable[[], httpx.Client]:
    return lambda: TestClient(app, base_url=base_url, raise_server_exceptions=False)


def fresh_key() -> str:
    return f"contract-test-{uuid.uuid4()}"


# -- library use: a user's pytest suite runs a machine as a TestCase -----------------------

TestTelnyxAgainstFake = telnyx_machine(in_process(shared_app(), TELNYX_BASE), fresh_key(),
                                       fresh_key()).TestCase
TestTelnyxAgainstFake.settings = settings(max_examples=12, stateful_step_count=15, **BOUNDED)

TestAchieveApexAgainstFake = achieveapex_machine(in_process(shared_app(), APEX_BASE),
                                                 fresh_key(), fresh_key()).TestCase
TestAchieveApexAgainstFake.settings = settings(max_examples=15, stateful_step_count=15,
                                               **BOUNDED)


def test_a_fake_on_a_real_port_passes_too() -> None:
    """The machines need nothing but a base URL: a plain httpx client over a socket works."""
    with running_server(app=shared_app()) as url:
        machine = telnyx_machine(lambda: httpx.Client(base_url=f"{url}/v2"), fresh_key())
        run_state_machine_as_test(machine, settings=settings(
            max_examples=3, stateful_step_count=8, **BOUNDED))


# -- broken variants ------------------------------------------------------------------------


class UnpersistedUpdates:
    """Sends updates on with an empty body, then answers as if the sent fields were stored.

    The answer alone looks right; only a later read shows that nothing changed.
    """

    def __init__(self, app: ASGIApp, method: str, path: str) -> None:
        self.app, self.method, self.path = app, method, re.compile(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != self.method
                or not self.path.fullmatch(scope["path"])):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        sent = json.loads(b"".join(chunks) or b"{}")
        if "deleted_at" in sent:  # keep AchieveApex's restore working: break updates only
            sent = {}
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", b"2")]}
        delivered = False

        async def empty_body() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": b"{}", "more_body": False}

        await self.app(scope, empty_body, echo_into_response(send, sent))


def echo_into_response(send: Send, sent: dict[str, Any]) -> Send:
    """A ``send`` that merges ``sent`` into a successful JSON answer before passing it on."""
    start: Message = {}
    body: list[bytes] = []

    async def rewrite(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body.append(message.get("body", b""))
        if message.get("more_body"):
            return
        payload = b"".join(body)
        if 200 <= start["status"] < 300 and payload.startswith(b"{"):
            answer = json.loads(payload)
            answer.update({k: v for k, v in sent.items() if k != "promote_to_main"})
            payload = json.dumps(answer).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        length = (b"content-length", str(len(payload)).encode())
        await send({**start, "headers": [*headers, length]})
        await send({"type": "http.response.body", "body": payload, "more_body": False})

    return rewrite


class TenantLeak:
    """Serves the victim's key's requests as if they came with the owner's key."""

    def __init__(self, app: ASGIApp, victim: str, owner: str) -> None:
        self.app, self.victim, self.owner = app, victim.encode(), owner.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "headers": [(k, v.replace(self.victim, self.owner))
                                          for k, v in scope["headers"]]}
        await self.app(scope, receive, send)


def assert_reported(machine: type[RuleBasedStateMachine], what: str) -> None:
    with pytest.raises(ContractViolation) as reported:
        run_state_machine_as_test(machine, settings=FIND_ONLY)
    assert what in str(reported.value), str(reported.value)


def test_telnyx_update_not_persisted_is_reported() -> None:
    broken = UnpersistedUpdates(shared_app(), "POST", r"/v2/ai/assistants/assistant-[^/]+")
    assert_reported(telnyx_machine(in_process(broken, TELNYX_BASE), fresh_key()), "list:")


def test_achieveapex_update_not_persisted_is_reported() -> None:
    broken = UnpersistedUpdates(shared_app(), "PATCH", r"/ai-assistants/\d+")
    assert_reported(achieveapex_machine(in_process(broken, APEX_BASE), fresh_key()),
                    "list:")


def test_telnyx_tenant_leak_is_reported() -> None:
    owner, victim = fresh_key(), fresh_key()
    broken = TenantLeak(shared_app(), victim, owner)
    machine = telnyx_machine(in_process(broken, TELNYX_BASE), owner, victim)
    assert_reported(machine, "list:")


def test_achieveapex_tenant_leak_is_reported() -> None:
    owner, victim = fresh_key(), fresh_key()
    broken = TenantLeak(shared_app(), victim, owner)
    machine = achieveapex_machine(in_process(broken, APEX_BASE), owner, victim)
    assert_reported(machine, "list:")
