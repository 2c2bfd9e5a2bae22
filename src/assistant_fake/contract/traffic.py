"""The contract suite's own traffic as cassette entries (``assistant-fake record --suite``).

Schemathesis hands every answer to the ``after_call`` hook with the request that produced it;
each pair becomes one cassette entry in the same format and with the same redaction as the
scripted journeys' (``contract.record``), so ``assistant-fake drift`` replays both alike.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

import httpx

from assistant_fake.contract.record import (
    REDACTED,
    body_of,
    is_secret_name,
    redact_headers,
    redact_json,
    request_body_of,
)


class TrafficRecorder:
    """Collects cassette entries in the order the requests were sent."""

    def __init__(self, base_url: str) -> None:
        self.base_path = urllib.parse.urlsplit(base_url).path.rstrip("/")
        self.interactions: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def relative(self, url: str) -> tuple[str, list[list[str]]]:
        parts = urllib.parse.urlsplit(url)
        path = parts.path[len(self.base_path):] if parts.path.startswith(self.base_path) \
            else parts.path
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        return path or "/", [[k, REDACTED if is_secret_name(k) else v] for k, v in query]

    def add(self, label: str, method: str, url: str, request_headers: Any, request_body: bytes,
            status: int, response_headers: dict[str, str], response_body: bytes) -> None:
        path, query = self.relative(url)
        sent, answer = request_body_of(request_body), body_of(response_body)
        for part in (sent, answer):
            if "body" in part:
                part["body"] = redact_json(part["body"])
        entry = {
            "step": label,
            "request": {"method": method, "path": path, "query": query,
                        "headers": redact_headers(dict(request_headers)), **sent},
            "response": {"status": status, "headers": redact_headers(response_headers),
                         **answer},
        }
        with self._lock:
            self.interactions.append(entry)

    def after_call(self, label: str, response: Any) -> None:
        """A Schemathesis response (``requests``-style request, list-valued headers)."""
        request = response.request
        body = request.body or b""
        headers = {name: ", ".join(values) for name, values in response.headers.items()}
        self.add(label, request.method, request.url, request.headers,
                 body.encode() if isinstance(body, str) else body,
                 response.status_code, headers, response.content)

    def add_httpx(self, label: str, response: httpx.Response) -> None:
        request = response.request
        self.add(label, request.method, str(request.url), request.headers, request.content,
                 response.status_code, dict(response.headers), response.content)
