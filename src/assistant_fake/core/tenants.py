"""API keys become tenant ids by hashing, so no key is ever stored, logged or journaled."""

from __future__ import annotations

import hashlib


def tenant_id(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8", errors="surrogateescape")).hexdigest()[:24]
