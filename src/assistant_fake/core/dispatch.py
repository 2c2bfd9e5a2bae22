"""Running vendor handlers on the event loop instead of through Flask's thread bridge.

Connexion 3's FlaskApp hands every request to Flask through a2wsgi: the request hops to a
worker thread, and every response message hops back to the event loop while the worker blocks
on a future. Under load (``bench/``) that bridge, Flask's request context and Connexion's
per-request parameter decorators cost more than the fake's own work. Vendor handlers need none
of it: they read the request the gateway validated (``core.responses.current_request``), touch
only the store, never block on I/O, and return a ``flask.Response``. So this middleware, last
in the stack, calls them in place with the same path arguments Connexion would pass and sends
their response serialised by werkzeug's own rules (``Content-Length``, no body for HEAD or 204).
Everything else (the admin area, unrouted paths) still goes through Flask.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from werkzeug.wrappers import Response

from assistant_fake.core.gateway import CONTEXT_KEY

HandlerResolver = Callable[[ModuleType, str], Callable[..., Any]]
"""(handlers module, operationId) -> the handler function, as Connexion's resolver finds it."""


class _Operation:
    """One handler and the path parameters it takes (Connexion passes only those)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        parameters = inspect.signature(inspect.unwrap(function)).parameters.values()
        self.takes_all = any(p.kind is p.VAR_KEYWORD for p in parameters)
        self.names = frozenset(p.name for p in parameters
                               if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))

    def __call__(self, path_params: Mapping[str, Any]) -> Any:
        return self.function(**{name: value for name, value in path_params.items()
                                if self.takes_all or name in self.names})


class VendorDispatchMiddleware:
    def __init__(self, app: ASGIApp, *, resolve: HandlerResolver, in_thread: bool = False) -> None:
        self.app = app
        self._resolve = resolve
        self._in_thread = in_thread
        self._operations: dict[tuple[str, str], _Operation] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = (scope.get("extensions", {}).get("connexion_context", {}).get(CONTEXT_KEY)
                   if scope["type"] == "http" else None)
        if request is None:
            await self.app(scope, receive, send)
            return
        operation = self._operation(request.vendor.handlers, request.operation_id)
        path_params = scope.get("path_params", {})
        if self._in_thread:
            response = await asyncio.to_thread(operation, path_params)
        else:
            response = operation(path_params)
        if not isinstance(response, Response):
            raise TypeError(f"{request.operation_id} returned {type(response).__name__}, "
                            "not a flask.Response")
        await send_response(response, scope["method"], send)

    def _operation(self, handlers: ModuleType, operation_id: str) -> _Operation:
        key = (handlers.__name__, operation_id)
        operation = self._operations.get(key)
        if operation is None:
            operation = self._operations[key] = _Operation(self._resolve(handlers, operation_id))
        return operation


async def send_response(response: Response, method: str, send: Send) -> None:
    """Send a werkzeug response the way Flask under a2wsgi does (lower-case header names)."""
    environ = {"REQUEST_METHOD": method}
    headers = response.get_wsgi_headers(environ)
    body = b"".join(response.get_app_iter(environ))
    await send({
        "type": "http.response.start",
        "status": response.status_code,
        "headers": [(name.strip().encode("latin-1").lower(), value.strip().encode("latin-1"))
                    for name, value in headers.items()],
    })
    await send({"type": "http.response.body", "body": body})
