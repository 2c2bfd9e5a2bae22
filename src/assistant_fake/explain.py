"""``assistant-fake explain``: the exact answer the fake (and so the vendor) gives one request.

No server is needed: the app is built in-process on a fresh in-memory store and the request is
sent through it, so what QA sees is byte for byte what a client would get. The store is empty,
so an id in the path names nothing (a GET of one answers 404), while a request that breaks the
spec is refused before any lookup, as both vendors' frameworks do.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from assistant_fake.contract.apis import APIS

DEFAULT_KEY = "explain-key"


@dataclass(frozen=True)
class Explanation:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def status_line(self) -> str:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = ""
        return f"HTTP/1.1 {self.status} {reason}".rstrip()

    def pretty_body(self) -> str:
        """The body as indented JSON when it is JSON, else as the text it is."""
        text = self.body.decode("utf-8", errors="replace")
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text


def request_path(api: str, target: str) -> str:
    """The path (and query) to send: a full URL is reduced to its path, and a Telnyx path
    without ``/v2`` gets it, so paths can be pasted from the vendor's docs or from logs."""
    parts = urlsplit(target)
    path = parts.path if parts.scheme else target.split("?", 1)[0]
    query = parts.query
    if not path.startswith("/"):
        path = "/" + path
    base = APIS[api].base_path
    if base and path != base and not path.startswith(base + "/"):
        path = base + path
    return f"{path}?{query}" if query else path


def parse_headers(lines: Iterable[str]) -> dict[str, str]:
    """``Name: value`` lines as a dict; raises ValueError for a line without a colon."""
    headers = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ValueError(f"a header is 'Name: value', not {line!r}")
        headers[name.strip()] = value.strip()
    return headers


def explain(api: str, method: str, target: str, payload: bytes | None = None, *,
            key: str = DEFAULT_KEY, headers: Mapping[str, str] | None = None) -> Explanation:
    """Send one request to a fresh fake in-process and answer what it said.

    ``key`` goes in the vendor's auth header (an empty key sends none); a payload is sent as
    ``application/json`` unless ``headers`` say otherwise.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        from assistant_fake.app import create_app

    sent = APIS[api].auth_headers(key) if key else {}
    if payload is not None:
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.request(method.upper(), request_path(api, target), content=payload,
                                  headers=sent)
    return Explanation(response.status_code, dict(response.headers), response.content)
