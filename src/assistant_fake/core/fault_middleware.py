"""The ASGI middlewares that apply fault rules (``core.faults``) to vendor requests.

``FaultMiddleware`` sits right after Connexion's router, so rules can match the operation, and
before the vendor gateway, so a fault hits a request whatever its key or body: an outage does not
wait for validation. A status is raised as the vendor's own ``VendorError`` and rendered by the
error handlers like any other; latency is an ``asyncio.sleep`` (other requests go on meanwhile);
a malformed answer is the real one, cut in half and sent as 200.

A dropped connection cannot be expressed in ASGI from that depth: a server answers 500 to an app
that returns without responding. So the fault middleware only marks the request, and
``ConnectionDropMiddleware``, the outermost of all, closes the socket under uvicorn (through the
transport behind the ``receive`` it was handed); under a server it cannot reach that way (an
in-process test client), it raises ``ConnectionDropped`` instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant_fake.core.errors import VendorError
from assistant_fake.core.faults import (
    DEFAULT_RETRY_AFTER,
    DROP_KEY,
    FAULT_KEY,
    TEST_ID_HEADER,
    Decision,
    FaultAction,
    FaultRegistry,
    FaultRequest,
    prefer_decision,
)
from assistant_fake.core.vendor import Vendor, vendor_for_path

_DISCONNECT_WAIT_SECONDS = 5.0


class ConnectionDropped(Exception):
    """Raised where a dropped connection cannot be closed for real (no socket to close)."""


class FaultMiddleware:
    def __init__(self, app: ASGIApp, *, faults: FaultRegistry, vendors: Sequence[Vendor]) -> None:
        self.app = app
        self.faults = faults
        self.vendors = list(vendors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vendor = vendor_for_path(self.vendors, scope["path"]) if scope["type"] == "http" else None
        decision = self._decide(vendor, scope) if vendor is not None else None
        if decision is None:
            await self.app(scope, receive, send)
            return
        scope.setdefault("extensions", {})[FAULT_KEY] = decision.fault
        if decision.delay_seconds:
            await asyncio.sleep(decision.delay_seconds)
        action = decision.action
        if action is None:
            await self.app(scope, receive, send)
        elif action.status is not None:
            raise _error(vendor, action, scope)
        elif action.drop:
            scope["extensions"][DROP_KEY] = True  # ConnectionDropMiddleware closes the socket
        else:
            await self.app(scope, receive, _Truncating(send).send)

    def _decide(self, vendor: Vendor, scope: Scope) -> Decision | None:
        headers = Headers(scope=scope)
        prefer = headers.getlist("prefer")
        if prefer:
            decision = prefer_decision(prefer)
            if decision is not None:
                return decision
        if not self.faults:
            return None
        request = FaultRequest(
            api=vendor.name, operation=scope.get("extensions", {}).get(
                "connexion_routing", {}).get("operation_id"),
            method=scope["method"], path=scope["path"], test_id=headers.get(TEST_ID_HEADER),
            headers=headers)
        decision = self.faults.decide(request)
        return None if decision.inert else decision


def _error(vendor: Vendor, action: FaultAction, scope: Scope) -> VendorError:
    status = action.status or 500
    error = vendor.framework_error(status, _reason(status), method=scope["method"],
                                   path=scope["path"])
    retry_after = action.retry_after
    if retry_after is None and status == 429:
        retry_after = DEFAULT_RETRY_AFTER
    if retry_after is not None:
        error.headers["Retry-After"] = str(retry_after)
        _set_retry_after_in_body(error.body, retry_after)
    return error


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _set_retry_after_in_body(body: Any, seconds: int) -> None:
    """Bodies that state the wait themselves (AchieveApex's 429 ``data.retryAfter``) agree."""
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and "retryAfter" in data:
        data["retryAfter"] = seconds


class _Truncating:
    """Sends the real answer as 200 with the first half of its body (at least one byte short)."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._start: Message | None = None
        self._chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        if message["type"] != "http.response.body" or self._start is None:
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self._chunks)
        body = body[:len(body) // 2] if len(body) > 1 else b'{"'
        headers = [(n, v) for n, v in self._start.get("headers", [])
                   if n.lower() not in (b"content-length", b"content-type")]
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]
        status = self._start["status"] if 200 <= self._start["status"] < 300 else 200
        await self._send({**self._start, "status": status, "headers": headers})
        await self._send({"type": "http.response.body", "body": body, "more_body": False})


class ConnectionDropMiddleware:
    """Closes the connection of a request a fault marked as dropped, without any answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Created here, so the inner middlewares' marks land in a dict this one sees: Connexion's
        # router hands the next middlewares a copy of the scope, but not of its extensions.
        extensions = scope.setdefault("extensions", {})
        await self.app(scope, receive, send)
        if not extensions.get(DROP_KEY):
            return
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionDropped("a fault dropped the connection")
        # Read what is left of the request first: closing a socket with unread data makes the
        # kernel reset it, and the client would see a reset instead of a plain close.
        message = await _receive_until(receive, _request_read)
        transport.close()
        # Then wait until the server has seen the connection go, or it answers a 500 itself.
        if message is None or message["type"] != "http.disconnect":
            await _receive_until(receive, _disconnected)


def _request_read(message: Message) -> bool:
    return message["type"] != "http.request" or not message.get("more_body", False)


def _disconnected(message: Message) -> bool:
    return message["type"] == "http.disconnect"


async def _receive_until(receive: Receive, done: Callable[[Message], bool]) -> Message | None:
    """The first message ``done`` accepts; None if none came in time (a stalled client)."""
    try:
        async with asyncio.timeout(_DISCONNECT_WAIT_SECONDS):
            while True:
                message = await receive()
                if done(message):
                    return message
    except TimeoutError:
        return None
