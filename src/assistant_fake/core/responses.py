"""Building handler responses (Flask objects, so Connexion passes them through untouched)."""

from __future__ import annotations

import json
from typing import Any

from connexion import context
from flask import Response

from assistant_fake.core.gateway import CONTEXT_KEY
from assistant_fake.core.vendor import VendorRequest


def current_request() -> VendorRequest:
    """The request the gateway authenticated and validated for this handler."""
    return context.context[CONTEXT_KEY]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(payload, status=status, headers=headers, mimetype="application/json")


def text_response(text: str, status: int = 200, *, mimetype: str = "text/plain") -> Response:
    return Response(text, status=status, mimetype=mimetype)


def empty_response(status: int) -> Response:
    """No body at all (DELETEs answering 200 or 204 with nothing)."""
    return Response(b"", status=status)
