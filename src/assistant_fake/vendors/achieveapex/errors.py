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


def general_error(message: str = "Internal Server Error") -> dict[str, Any]:
    return feathers_error("GeneralError", "general-error", 500, message)


# @feathersjs/errors' classes by status: (name, className).
_FEATHERS_CLASSES = {
    400: ("BadRequest", "bad-request"), 401: ("NotAuthenticated", "not-authenticated"),
    402: ("PaymentError", "payment-error"), 403: ("Forbidden", "forbidden"),
    404: ("NotFound", "not-found"), 405: ("MethodNotAllowed", "method-not-allowed"),
    406: ("NotAcceptable", "not-acceptable"), 408: ("Timeout", "timeout"),
    409: ("Conflict", "conflict"), 410: ("Gone", "gone"),
    411: ("LengthRequired", "length-required"), 422: ("Unprocessable", "unprocessable"),
    429: ("TooManyRequests", "too-many-requests"), 500: ("GeneralError", "general-error"),
    501: ("NotImplemented", "not-implemented"), 502: ("BadGateway", "bad-gateway"),
    503: ("Unavailable", "unavailable"),
}


def for_status(status: int, message: str) -> dict[str, Any]:
    """Any other error: @feathersjs/errors' class for the status (``Unavailable`` 503...); one
    Feathers has no class for is named the way Feathers names its classes, after its HTTP
    reason (431 ``RequestHeaderFieldsTooLarge``, 504 ``GatewayTimeout``, ``gateway-timeout``)."""
    if status == 429:
        return too_many_requests(current=1001, retry_after=1)
    known = _FEATHERS_CLASSES.get(status)
    if known is None:
        try:
            words = HTTPStatus(status).phrase.replace("-", " ").split()
        except ValueError:  # a status without a registered reason
            words = ["Error"]
        known = ("".join(w[:1].upper() + w[1:] for w in words),
                 "-".join(w.lower() for w in words))
    return feathers_error(known[0], known[1], status, message)


class FeathersProblem(Exception):
    """A refusal from AchieveApex's state layer, carrying the complete Feathers error body."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["message"])
        self.body = body

    @property
    def status(self) -> int:
        return int(self.body["code"])
