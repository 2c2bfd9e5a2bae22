"""Keeping credentials out of everything the fake records (the journal, cassettes, logs).

Two passes, so that no form of a key survives:
1. by name: headers, query parameters and JSON members whose name has a ``key``, ``apikey``,
   ``secret``, ``token``, ``password``, ``credentials``, ``authorization`` or ``cookie`` word
   (``api_key``, ``x-api-key``, ``api_key_ref``, but not ``max_tokens``) get ``[REDACTED]``; an
   ``Authorization`` value keeps only its scheme (``Bearer [REDACTED]``).
2. by value: the credentials a request carried are searched for, raw and URL-encoded, wherever
   else they may appear (query strings, bodies, an error message echoing a key).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
_SECRET_WORDS = {"key", "apikey", "secret", "token", "password", "credentials", "authorization",
                 "cookie"}
_SCHEMES = {"bearer", "basic", "token"}
# Credentials shorter than this are not searched for by value: replacing every "ab" in a body
# would garble it and protect nothing (real keys are dozens of characters long).
MIN_SECRET_LENGTH = 6


@functools.lru_cache(maxsize=4096)  # the journal asks for every header of every request
def is_secret_name(name: str) -> bool:
    return any(word in _SECRET_WORDS for word in re.split(r"[^a-z0-9]+", name.lower()))


@functools.lru_cache(maxsize=4096)
def is_secret_header(name: bytes) -> bool:
    """``is_secret_name`` for a raw ASGI header name (``set-cookie`` too)."""
    text = name.decode("latin-1").lower()
    return text == "set-cookie" or is_secret_name(text)


def redact_header(name: str, value: str) -> str:
    """The value to show for one header: secret-named headers keep at most their scheme. An empty
    one ("", "Bearer ") carries no secret and stays as it is, so a cassette's replay can tell a
    request sent without a usable key from one sent with the key."""
    if not (is_secret_name(name) or name.lower() == "set-cookie"):
        return value
    if not value.strip() or value.strip().lower() in _SCHEMES:
        return value
    scheme, space, _ = value.partition(" ")
    return f"{scheme} {REDACTED}" if space and scheme.lower() in _SCHEMES else REDACTED


def credential(name: str, value: str) -> str | None:
    """The secret a secret-named header carries (without its scheme), if any."""
    if not is_secret_name(name):
        return None
    scheme, space, rest = value.strip().partition(" ")
    secret = rest.strip() if space and scheme.lower() in _SCHEMES else value.strip()
    return secret if len(secret) >= MIN_SECRET_LENGTH else None


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Each secret raw and URL-encoded, longest first so no partial leftovers remain."""
    forms: set[str] = set()
    for secret in secrets:
        forms.update({secret, urllib.parse.quote(secret, safe=""),
                      urllib.parse.quote_plus(secret)})
    return sorted(forms, key=len, reverse=True)


def secret_byte_forms(secrets: Iterable[str]) -> list[bytes]:
    """``secret_forms`` as bytes. Secrets read from raw headers were decoded as latin-1, so
    encoding them back as latin-1 gives the very bytes the client sent, in headers and bodies."""
    forms: set[bytes] = set()
    for form in secret_forms(secrets):
        try:
            forms.add(form.encode("latin-1"))
        except UnicodeEncodeError:
            forms.add(form.encode("utf-8", "surrogateescape"))
    return sorted(forms, key=len, reverse=True)


_REDACTED_BYTES = REDACTED.encode()


def scrub_bytes(data: bytes, forms: Iterable[bytes]) -> bytes:
    for form in forms:
        if form in data:
            data = data.replace(form, _REDACTED_BYTES)
    return data


def redact_query(query: str) -> str:
    """A raw query string with the values of secret-named parameters replaced."""
    if not query or "=" not in query:
        return query
    parts = []
    for part in query.split("&"):
        name, equals, _ = part.partition("=")
        if equals and is_secret_name(urllib.parse.unquote_plus(name)):
            part = f"{name}={REDACTED}"
        parts.append(part)
    return "&".join(parts)


def redact_json(value: Any) -> Any:
    """A JSON value with the values of secret-named members replaced (``null`` is kept)."""
    if isinstance(value, dict):
        return {k: (REDACTED if is_secret_name(k) and v is not None else redact_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v) for v in value]
    return value
