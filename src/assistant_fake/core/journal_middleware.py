"""The ASGI middleware that writes every vendor request and its response to the journal.

It sits outside Connexion's error middlewares, so it sees the final answer of every request:
routed or not (an unknown path is the journal's ``unmatched`` view), refused by the gateway
(401, 400, 422) or answered by a handler. Admin requests are not journaled. The operation comes
from Connexion's routing extension, the tenant from the gateway's ``VendorRequest`` (or, for a
request no vendor authenticated, from the key it carries: hashed, as always).

It tees what passes anyway, keeping at most ``BODY_CAP`` bytes of each body, and leaves every
decoding to the moment someone reads the journal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant_fake.core.faults import DROP_KEY, FAULT_KEY, TEST_ID_HEADER
from assistant_fake.core.gateway import CONTEXT_KEY
from assistant_fake.core.journal import BODY_CAP, Entry, Journal
from assistant_fake.core.journal import Message as JournalMessage
from assistant_fake.core.redaction import (
    credential,
    is_secret_header,
    redact_header,
    redact_query,
    scrub_bytes,
    secret_byte_forms,
)
from assistant_fake.core.tenants import claimed_tenant
from assistant_fake.core.vendor import Vendor, vendor_for_path

TEST_ID_HEADER_BYTES = TEST_ID_HEADER.encode()


class JournalMiddleware:
    def __init__(self, app: ASGIApp, *, journal: Journal, vendors: Sequence[Vendor],
                 clock: Callable[[], datetime]) -> None:
        self.app = app
        self.journal = journal
        self.vendors = list(vendors)
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vendor = (vendor_for_path(self.vendors, scope["path"])
                  if scope["type"] == "http" and self.journal.enabled else None)
        if vendor is None:
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(scope, receive, send, self.clock(), vendor.name, self.journal)
        try:
            await self.app(scope, exchange.receive, exchange.send)
        finally:
            exchange.record()  # a request that never completed its answer (dropped, crashed)


class _Exchange:
    """One request in flight: the parts of it the journal keeps."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, now: datetime, api: str,
                 journal: Journal) -> None:
        self.scope = scope
        self.api = api
        self.journal = journal
        self.recorded = False
        self.extensions = scope.setdefault("extensions", {})  # shared with Connexion's router
        self._receive = receive
        self._send = send
        self.time = now
        self.started = time.perf_counter()
        self.request = _Body()
        self.response = _Body()
        self.status: int | None = None
        self.response_headers: RawHeaders = []

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.request.add(message.get("body", b""))
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = message.get("headers", [])
        elif message["type"] == "http.response.body":
            self.response.add(message.get("body", b""))
            if not message.get("more_body", False):
                # Before the last byte leaves: a client that reads the journal right after
                # its answer must find the entry there.
                self.record()
        await self._send(message)

    def record(self) -> None:
        if self.recorded:
            return
        self.recorded = True
        self.journal.record(self.entry())

    def entry(self) -> Entry:
        duration_ms = round((time.perf_counter() - self.started) * 1000, 3)
        request_headers, forms, test_id = _request_headers(self.scope.get("headers", []))
        dropped = bool(self.extensions.get(DROP_KEY)) and self.status is None
        response = None if dropped else JournalMessage(
            _response_headers(self.response_headers, forms),
            scrub_bytes(self.response.data, forms), self.response.size, self.response.truncated)
        return Entry(
            time=self.time, api=self.api, operation=self._operation(), method=self.scope["method"],
            path=self.scope["path"], query=self._query(forms), tenant=self._tenant(),
            test_id=test_id,
            request=JournalMessage(request_headers, scrub_bytes(self.request.data, forms),
                                   self.request.size, self.request.truncated),
            response=response, status=None if dropped else self.status,
            duration_ms=duration_ms, fault=self.extensions.get(FAULT_KEY))

    def _operation(self) -> str | None:
        return self.extensions.get("connexion_routing", {}).get("operation_id")

    def _tenant(self) -> str | None:
        vendor_request = self.extensions.get("connexion_context", {}).get(CONTEXT_KEY)
        if vendor_request is not None:
            return vendor_request.tenant
        return claimed_tenant(Headers(scope=self.scope))

    def _query(self, forms: list[bytes]) -> str:
        query = self.scope.get("query_string", b"")
        return redact_query(scrub_bytes(query, forms).decode("latin-1")) if query else ""


class _Body:
    """The first ``BODY_CAP`` bytes of a body that arrives in chunks, and its whole size."""

    __slots__ = ("chunks", "kept", "size")

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.kept = 0
        self.size = 0

    def add(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.kept < BODY_CAP:
            part = chunk[:BODY_CAP - self.kept]
            self.chunks.append(part)
            self.kept += len(part)

    @property
    def truncated(self) -> bool:
        return self.size > self.kept

    @property
    def data(self) -> bytes:
        return self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)


RawHeaders = list[tuple[bytes, bytes]]


def _request_headers(raw: RawHeaders) -> tuple[RawHeaders, list[bytes], str | None]:
    """The headers with credentials redacted, the forms of those credentials to search for
    elsewhere, and the test id. Works on the raw bytes: decoding waits for a reader."""
    headers: list[tuple[bytes, bytes]] = []
    secrets: list[str] = []
    test_id: str | None = None
    for name, value in raw:
        if is_secret_header(name):
            text_name, text = name.decode("latin-1"), value.decode("latin-1")
            secret = credential(text_name, text)
            if secret:
                secrets.append(secret)
            value = redact_header(text_name, text).encode("latin-1")
        elif name == TEST_ID_HEADER_BYTES:
            test_id = value.decode("latin-1")
        headers.append((name, value))
    if not secrets:
        return headers, [], test_id
    forms = secret_byte_forms(secrets)
    return [(n, scrub_bytes(v, forms)) for n, v in headers], forms, test_id


def _response_headers(raw: RawHeaders, forms: list[bytes]) -> RawHeaders:
    return [(name, redact_header(name.decode("latin-1"), value.decode("latin-1")).encode(
                "latin-1") if is_secret_header(name) else scrub_bytes(value, forms))
            for name, value in raw]
