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

from assistant_fake.contract.record import entry


class TrafficRecorder:
    """Collects cassette entries in the order the requests were sent."""

    def __init__(self, base_url: str) -> None:
        self.base_path = urllib.parse.urlsplit(base_url).path.rstrip("/")
        self.interactions: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, label: str, method: str, url: str, request_headers: Any, request_body: bytes,
            status: int, response_headers: dict[str, str], response_body: bytes) -> None:
        parts = urllib.parse.urlsplit(url)
        path = parts.path.removeprefix(self.base_path) or "/"
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        exchange = entry(label, method, path, query, dict(request_headers), request_body,
                         status, response_headers, response_body)
        with self._lock:
            self.interactions.append(exchange)

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
