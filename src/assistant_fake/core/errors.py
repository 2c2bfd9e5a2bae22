"""Errors as the vendors answer them, and the handlers that keep anything else from leaking.

Every failure a client can cause ends as a ``VendorError``: a status, a body in the vendor's own
shape and optional headers. Framework errors (no route, wrong method, a crash in a handler) are
translated into the vendor's shape by the vendor that owns the path, so neither Connexion's
problem+json nor a traceback ever reaches a client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from connexion.lifecycle import ConnexionRequest, ConnexionResponse

logger = logging.getLogger("assistant_fake")


class VendorError(Exception):
    """A complete error response in a vendor's shape."""

    def __init__(self, status: int, body: Any, *, headers: Mapping[str, str] | None = None,
                 media_type: str = "application/json") -> None:
        super().__init__(f"{status}: {body!r}"[:300])
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.media_type = media_type

    def content(self) -> str | bytes:
        return self.body if isinstance(self.body, str | bytes) else json.dumps(
            self.body, ensure_ascii=False, separators=(",", ":"), default=str)

    def payload(self) -> bytes:
        """The body as bytes on the wire."""
        content = self.content()
        return content.encode("utf-8") if isinstance(content, str) else content

    def to_response(self) -> ConnexionResponse:
        return ConnexionResponse(status_code=self.status, body=self.content(),
                                 mimetype=self.media_type, headers=self.headers,
                                 content_type=self.media_type)


ErrorMapper = Callable[[str, str, int, str], VendorError]
"""(method, path, status, reason) -> the error response of the API that owns ``path``."""


def install_error_handlers(app: Any, error_for_path: ErrorMapper) -> None:
    """Register handlers on a Connexion app so every error leaves in a vendor's shape."""

    def vendor_error(_request: ConnexionRequest, exc: VendorError) -> ConnexionResponse:
        return exc.to_response()

    def http_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        status = int(getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500)
        reason = str(getattr(exc, "detail", "") or "")
        if 300 <= status < 400:
            return _redirect(status, reason)
        if status >= 500:
            logger.error("unhandled error on %s %s", request.method, request.url.path,
                         exc_info=exc)
        return error_for_path(request.method, request.url.path, status, reason).to_response()

    def crash(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_for_path(request.method, request.url.path, 500,
                              "Internal Server Error").to_response()

    from connexion.exceptions import ProblemException
    from starlette.exceptions import HTTPException
    from werkzeug.exceptions import HTTPException as WerkzeugHTTPException

    app.add_error_handler(VendorError, vendor_error)
    app.add_error_handler(HTTPException, http_error)
    app.add_error_handler(WerkzeugHTTPException, http_error)
    app.add_error_handler(ProblemException, http_error)
    app.add_error_handler(Exception, crash)


def _redirect(status: int, target: str) -> ConnexionResponse:
    """Werkzeug's slash redirect (``/__fake`` -> ``/__fake/``), which Connexion re-raises as an
    error carrying the new URL as its detail. The Location keeps only the path and query, so
    it stays right behind a proxy that rewrites the host."""
    parts = urlsplit(target)
    location = parts.path + (f"?{parts.query}" if parts.query else "")
    return ConnexionResponse(status_code=status, body=b"", headers={"Location": location})
