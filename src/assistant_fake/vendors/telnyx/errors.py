"""Telnyx's error bodies.

Two shapes meet at Telnyx: the API gateway and the platform answer in the ``errors[]``
envelope (401 10009, 404 10005, 400 10015); the FastAPI service behind /ai/assistants answers
request-validation failures itself, as FastAPI's ``{"detail": [...]}`` 422.
The bodies the vendor docs leave open (404, 405, 413, 431, 500) are module constants here so
they are easy to change; the README lists them under Assumptions.
"""

from __future__ import annotations

from typing import Any

from assistant_fake.core.errors import VendorError
from assistant_fake.core.request_validation import jsonable

ERROR_DOCS_URL = "https://developers.telnyx.com/docs/overview/errors/{code}"

AUTHENTICATION_FAILED_DETAIL = (
    "The required authentication headers were either invalid or not included in the request."
)
NOT_FOUND_DETAIL = "The requested resource or URL could not be found."
UNEXPECTED_ERROR_DETAIL = "An unexpected error occurred."
BODY_TOO_LARGE_DETAIL = "The request body is too large."
HEAD_TOO_LARGE_DETAIL = "The request line and headers are too large."
TOO_MANY_REQUESTS_DETAIL = "You have exceeded the maximum number of allowed requests."
TIMEOUT_DETAIL = "The request timed out."


def envelope(code: str, title: str, detail: str, *, pointer: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "title": title, "detail": detail}
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    error["meta"] = {"url": ERROR_DOCS_URL.format(code=code)}
    return {"errors": [error]}


def authentication_failed() -> VendorError:
    body = envelope("10009", "Authentication failed", AUTHENTICATION_FAILED_DETAIL)
    return VendorError(401, body)


def not_found(detail: str = NOT_FOUND_DETAIL) -> VendorError:
    return VendorError(404, envelope("10005", "Resource not found", detail))


def rule_refused(status: int, code: str, title: str, detail: str) -> VendorError:
    """A request the state layer refused (unknown id, a broken vendor rule)."""
    return VendorError(status, envelope(code, title, detail))


def validation_failed(errors: list[dict[str, Any]]) -> VendorError:
    """FastAPI's RequestValidationError response."""
    return VendorError(422, {"detail": jsonable(errors)})


def body_unparseable() -> VendorError:
    """FastAPI's answer to a body it cannot even decode."""
    return VendorError(400, {"detail": "There was an error parsing the body"})


def framework_error(status: int, reason: str) -> VendorError:
    if status == 404:
        return not_found()
    if status == 405:
        return VendorError(405, {"detail": "Method Not Allowed"})
    if status == 413:
        body = envelope("10015", "Request Entity Too Large", BODY_TOO_LARGE_DETAIL)
        return VendorError(413, body)
    if status == 431:
        body = envelope("10015", "Request Header Fields Too Large", HEAD_TOO_LARGE_DETAIL)
        return VendorError(431, body)
    if status == 401:
        return authentication_failed()
    if status == 429:  # the body of Telnyx's rate-limiting guide
        return VendorError(429, envelope("10011", "Too many requests", TOO_MANY_REQUESTS_DETAIL))
    if status in (408, 504):
        return VendorError(status, envelope("10008", "Request timeout", TIMEOUT_DETAIL))
    if 400 <= status < 500:
        return VendorError(status, {"detail": reason or "Bad Request"})
    # Every other server error (500, 502, 503...) is the generic 10007; the status is kept.
    status = status if 500 <= status < 600 else 500
    return VendorError(status, envelope("10007", "Unexpected error", UNEXPECTED_ERROR_DETAIL))
