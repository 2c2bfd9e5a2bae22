"""Who may use the admin API: loopback clients only, unless an admin token is configured,
in which case every admin request, from anywhere, must carry it.

The admin API can erase and replace every tenant's data, so a fake listening on a shared
interface (``--host 0.0.0.0`` in a container or on a CI runner) must not hand that to anyone
who can reach the port. An ASGI middleware in front of everything else, so no admin route,
Swagger UI page or spec document is reachable without passing it.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import json
import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant_fake.core.specs import load_spec
from assistant_fake.core.vendor import ADMIN_BASE_PATH

TOKEN_HEADER = "x-fake-admin-token"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class AdminGuardMiddleware:
    def __init__(self, app: ASGIApp, *, token: str | None = None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and _is_admin(scope["path"]):
            refusal = self._refusal(scope)
            if refusal is not None and scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})  # servers answer 403
                return
            if refusal is not None:
                await _send_json(send, *refusal)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        if self.token is None:
            client = scope.get("client")
            if client is None or not is_loopback(client[0]):
                return 403, ("The admin API only answers loopback clients; start the fake "
                             "with --admin-token to allow others."), {}
            return None
        if _is_docs(scope["path"]):
            return None
        if not self._has_token(Headers(scope=scope)):
            return 401, "The admin API needs the admin token.", {
                "WWW-Authenticate": 'Bearer realm="assistant-fake admin"'}
        return None

    def _has_token(self, headers: Headers) -> bool:
        scheme, _, bearer = headers.get("authorization", "").strip().partition(" ")
        sent = [bearer] if scheme.lower() == "bearer" else []
        sent += headers.getlist(TOKEN_HEADER)
        expected = self.token.encode("utf-8")
        # constant time: the comparison must not tell a prober how much of a guess was right;
        # header values arrive latin-1 decoded, so latin-1 gives back the bytes sent
        return any(hmac.compare_digest(value.strip().encode("latin-1"), expected)
                   for value in sent)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and IPv4-mapped loopback; anything unparseable is not."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _is_docs(path: str) -> bool:
    """The dashboard, Swagger UI pages, specs and their files open without the token, so a
    browser can load them and authorise there (only when a token is configured: otherwise
    loopback rules). They are the operations ``admin.yaml`` marks ``security: []``."""
    return _public_paths().fullmatch(path) is not None


@functools.cache
def _public_paths() -> re.Pattern[str]:
    patterns = []
    for template, item in load_spec("admin.yaml")["paths"].items():
        if any(item[m].get("security") == [] for m in _HTTP_METHODS if m in item):
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(ADMIN_BASE_PATH + template))
            # "/x/" also covers "/x", which werkzeug redirects to it
            patterns.append(regex[:-1] + "/?" if template.endswith("/") else regex)
    return re.compile("|".join(patterns) or "(?!)")


def _is_admin(path: str) -> bool:
    return path == ADMIN_BASE_PATH or path.startswith(ADMIN_BASE_PATH + "/")


async def _send_json(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw_headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode()),
                   *((name.lower().encode(), value.encode()) for name, value in headers.items())]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
