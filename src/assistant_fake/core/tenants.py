"""API keys become tenant ids by hashing, so no key is ever stored, logged or journaled."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def tenant_id(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8", errors="surrogateescape")).hexdigest()[:24]


def claimed_tenant(headers: Mapping[str, str]) -> str | None:
    """The tenant a request claims to be, before (or without) its vendor authenticating it.

    For requests no vendor authenticated (unknown paths, refused keys) and for middlewares
    that run before the gateway: the bearer token, else the ``x-api-key``, hashed like the
    vendors hash them. None when the request carries neither.
    """
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else ""
    key = key or headers.get("x-api-key", "").strip()
    return tenant_id(key) if key else None
