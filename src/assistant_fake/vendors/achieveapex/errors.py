"""AchieveApex's error bodies: FeathersJS v5 errors as ``FeathersError.toJSON()`` renders them.

``{"name", "message", "code", "className"}`` plus ``"data"`` only when the error carries data
(Feathers leaves the key out when it is undefined; ``errors`` is never set by this API). Plain
dicts in Feathers' key order, one factory per class; the HTTP layer picks the status from
``code``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

_ABSENT: Any = object()


def feathers_error(name: str, class_name: str, code: int, message: str,
                   data: Any = _ABSENT) -> dict[str, Any]:
    """Any Feathers error body; ``data`` is included whenever it is given (even ``None``)."""
    body: dict[str, Any] = {"name": name, "message": message, "code": code,
                            "className": class_name}
    if data is not _ABSENT:
        body["data"] = data
    return body


def bad_request(message: str, data: Any = _ABSENT) -> dict[str, Any]:
    """400; after a failed validation ``data`` is the list of violations."""
    return feathers_error("BadRequest", "bad-request", 400, message, data)


def not_authenticated(message: str = "Invalid API key") -> dict[str, Any]:
    """401, exactly the reference's body for a missing or unknown ``x-api-key``."""
    return feathers_error("NotAuthenticated", "not-authenticated", 401, message)


def forbidden(message: str) -> dict[str, Any]:
    return feathers_error("Forbidden", "forbidden", 403, message)


def not_found(message: str) -> dict[str, Any]:
    return feathers_error("NotFound", "not-found", 404, message)


def record_not_found(record_id: Any) -> dict[str, Any]:
    """404 with the message Feathers' database adapters use for an unknown id."""
    return not_found(f"No record found for id '{record_id}'")


def method_not_allowed(message: str) -> dict[str, Any]:
    return feathers_error("MethodNotAllowed", "method-not-allowed", 405, message)


def conflict(message: str, data: Any = _ABSENT) -> dict[str, Any]:
    return feathers_error("Conflict", "conflict", 409, message, data)


def unprocessable(message: str, data: Any = _ABSENT) -> dict[str, Any]:
    return feathers_error("Unprocessable", "unprocessable", 422, message, data)


def too_many_requests(*, current: int, retry_after: int, limit: int = 1000,
                      window: int = 3600) -> dict[str, Any]:
    """429: the reference's body plus the ``className`` every Feathers error has."""
    data = {"limit": limit, "current": current, "window": window, "retryAfter": retry_after}
    return feathers_error("TooManyRequests", "too-many-requests", 429, "Rate limit exceeded", data)


def for_status(status: int, message: str) -> dict[str, Any]:
    """Any other client error, named the way Feathers names its classes (``BadRequest``,
    ``bad-request``): e.g. 431 ``RequestHeaderFieldsTooLarge``."""
    words = HTTPStatus(status).phrase.replace("-", " ").split()
    return feathers_error("".join(w[:1].upper() + w[1:] for w in words),
                          "-".join(w.lower() for w in words), status, message)


def general_error(message: str = "Internal Server Error") -> dict[str, Any]:
    return feathers_error("GeneralError", "general-error", 500, message)


class FeathersProblem(Exception):
    """A refusal from AchieveApex's state layer, carrying the complete Feathers error body."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["message"])
        self.body = body

    @property
    def status(self) -> int:
        return int(self.body["code"])
