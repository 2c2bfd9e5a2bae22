"""The admin spec, whole, for the Swagger UI at ``/__fake/ui/``.

Connexion is handed only a routing view of each spec (``core.specs.routing_spec``), so the
``openapi.json`` it serves has no summaries or schemas, and the Swagger UI it bundles (4.x)
cannot render OpenAPI 3.1. This middleware answers ``GET /__fake/openapi.json`` with the full
``openapi/admin.yaml`` translated to 3.0 (the few 3.1 keywords the admin spec uses), so the UI
documents every admin operation with its request and response schemas.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from assistant_fake.core.specs import load_spec
from assistant_fake.core.vendor import ADMIN_BASE_PATH

SPEC_PATH = f"{ADMIN_BASE_PATH}/openapi.json"


class AdminDocsMiddleware:
    def __init__(self, app: ASGIApp, *, spec_file: str = "admin.yaml") -> None:
        self.app = app
        self.spec_file = spec_file

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != SPEC_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        body = _document(self.spec_file)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


@functools.cache
def _document(spec_file: str) -> bytes:
    spec = openapi_30(load_spec(spec_file))
    spec["servers"] = [{"url": ADMIN_BASE_PATH}]
    return json.dumps(spec, ensure_ascii=False).encode()


def openapi_30(spec: dict[str, Any]) -> dict[str, Any]:
    """A 3.0.3 rendering of a 3.1 document: type lists become ``nullable``/``anyOf``,
    ``const`` an ``enum``, a ``{"type": "null"}`` alternative ``nullable``, a numeric
    ``exclusiveMinimum``/``exclusiveMaximum`` a bound with the 3.0 flag; ``prefixItems``
    and ``if``/``then``/``else`` (no 3.0 equivalent) are dropped. For display only: nothing
    validates against it."""
    converted = _convert(spec)
    converted["openapi"] = "3.0.3"
    return converted


_NO_30_EQUIVALENT = ("prefixItems", "if", "then", "else")


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _convert(value) for key, value in node.items() if key not in _NO_30_EQUIVALENT}
    if isinstance(out.get("type"), list):
        kinds = [kind for kind in out.pop("type") if kind != "null"]
        if len(kinds) < len(node["type"]):
            out["nullable"] = True
        if len(kinds) == 1:
            out["type"] = kinds[0]
        elif kinds:
            out["anyOf"] = [{"type": kind} for kind in kinds]
    elif out.get("type") == "null":
        del out["type"]
        out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(exclusive)
        if isinstance(value, int | float) and not isinstance(value, bool):  # 3.1: the bound
            out[bound], out[exclusive] = value, True  # 3.0: a flag on minimum/maximum
    for keyword in ("oneOf", "anyOf"):
        alternatives = out.get(keyword)
        if isinstance(alternatives, list) and any(a == {"nullable": True} for a in alternatives):
            out[keyword] = [a for a in alternatives if a != {"nullable": True}]
            out["nullable"] = True
    return out
