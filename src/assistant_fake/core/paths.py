"""Trailing slashes, routed the way each vendor's framework routes them.

Starlette (like FastAPI, which Telnyx runs) answers a path that only matches without its
trailing slash with a 307 redirect to that path. Feathers strips leading and trailing slashes
before it looks a service up, so AchieveApex serves ``/ai-assistants/`` as ``/ai-assistants``
(and ``/ai-assistants/../`` as the id ``..``). A vendor with ``strips_trailing_slashes`` gets
its paths stripped here, before Connexion's router can redirect them.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from assistant_fake.core.vendor import Vendor, vendor_for_path


class TrailingSlashMiddleware:
    def __init__(self, app: ASGIApp, *, vendors: Sequence[Vendor]) -> None:
        self.app = app
        self.vendors = list(vendors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            vendor = vendor_for_path(self.vendors, path)
            if getattr(vendor, "strips_trailing_slashes", False):
                scope = {**scope, "path": path.rstrip("/") or "/"}
                raw_path = scope.get("raw_path")
                if raw_path:
                    scope["raw_path"] = raw_path.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
