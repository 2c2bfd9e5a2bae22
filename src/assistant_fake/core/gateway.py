"""The vendors' gateway: an ASGI middleware between Connexion's router and the handlers.

It takes the place of Connexion's own security and request-validation middlewares, because
both vendors answer those failures in their own shapes, and FastAPI-style validation needs to
report every error at once. For a request routed to a vendor operation it reads the body,
authenticates the caller (the tenant), validates the request against the spec, and hands the
handler a ``VendorRequest`` through Connexion's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant_fake.core.request_validation import RawRequest
from assistant_fake.core.vendor import Vendor, VendorRequest, vendor_for_path

CONTEXT_KEY = "vendor_request"
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_HEAD_BYTES = 16 * 1024
"""Request line plus headers: Node's default ``--max-http-header-size`` (AchieveApex runs on
Node, which answers 431 above it); the fake applies the same limit to Telnyx."""


class VendorGatewayMiddleware:
    def __init__(self, app: ASGIApp, *, vendors: Sequence[Vendor],
                 max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES) -> None:
        self.app = app
        self.vendors = list(vendors)
        self.max_body_bytes = max_body_bytes
        self.max_head_bytes = max_head_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vendor = vendor_for_path(self.vendors, scope["path"]) if scope["type"] == "http" else None
        if vendor is None:
            await self.app(scope, receive, send)
            return
        if _head_size(scope) > self.max_head_bytes:
            raise vendor.framework_error(431, "Request Header Fields Too Large")
        extensions = scope.setdefault("extensions", {})
        operation_id = extensions.get("connexion_routing", {}).get("operation_id")
        if operation_id is None:
            raise vendor.framework_error(404, "Not Found", method=scope["method"],
                                         path=scope["path"])
        headers = Headers(scope=scope)
        tenant = vendor.authenticate(headers)
        body = await self._read_body(receive, vendor)
        raw = RawRequest(
            path_params=dict(scope.get("path_params", {})),
            query=parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                            keep_blank_values=True),
            headers=headers,
            body=body,
        )
        params = vendor.validate(operation_id, raw)
        context = extensions.setdefault("connexion_context", {})
        context[CONTEXT_KEY] = VendorRequest(vendor, operation_id, tenant, params, raw)
        await self.app(scope, _replay(body), send)

    async def _read_body(self, receive: Receive, vendor: Vendor) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise vendor.framework_error(413, "Request Entity Too Large")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _head_size(scope: Scope) -> int:
    """Bytes of the request line and headers, as the client sent them (near enough)."""
    target = len(scope.get("raw_path") or scope["path"]) + len(scope.get("query_string", b""))
    return target + sum(len(name) + len(value) + 4 for name, value in scope["headers"])


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
