"""The request journal: every vendor request and its response, newest last, in a bounded ring.

Recording runs on every request, so an entry keeps what the middleware already has (header
strings, body bytes capped at ``BODY_CAP``) and does the expensive part only when someone reads
the journal: decoding bodies as JSON, redacting secret-named JSON members, formatting times.
Credentials are removed before an entry is stored (``core.redaction``): no API key is ever kept.

The ring is bounded twice: by entry count (``Settings.journal_size``) and by the bytes its entries
hold (``Settings.journal_max_bytes``); the oldest entries leave first.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant_fake.core.redaction import redact_json
from assistant_fake.store.clock import isoformat

BODY_CAP = 64 * 1024  # bytes of each request and response body kept
DEFAULT_JOURNAL_SIZE = 1000
# Worst case with the defaults: 1,000 entries holding at most 32 MiB of captured bytes, plus the
# Python objects around them (measured about 2 KiB per entry): about 35 MB, under 50 MB.
DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024
ENTRY_OVERHEAD = 1024  # bytes charged per entry and per header for the objects holding them
_HEADER_OVERHEAD = 160  # a tuple and two str objects


@dataclass(slots=True)
class Message:
    """One side of an exchange: redacted headers and the first ``BODY_CAP`` bytes of the body."""

    headers: list[tuple[bytes, bytes]]  # as ASGI has them: decoded only when read
    body: bytes = b""
    size: int = 0  # the whole body's length, even when only part of it is kept
    truncated: bool = False

    def weight(self) -> int:
        return len(self.body) + sum(len(n) + len(v) + _HEADER_OVERHEAD for n, v in self.headers)

    def as_json(self) -> dict[str, Any]:
        headers: dict[str, str] = {}
        for raw_name, raw_value in self.headers:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return {"headers": headers, "body": _body(self.body, self.truncated),
                "truncated": self.truncated, "size": self.size}


@dataclass(slots=True)
class Entry:
    """One request as the journal keeps it; ``status`` is None for a dropped connection."""

    time: datetime
    api: str
    operation: str | None
    method: str
    path: str
    query: str
    tenant: str | None
    test_id: str | None
    request: Message
    response: Message | None
    status: int | None
    duration_ms: float
    fault: str | None = None
    id: int = 0  # given by the journal
    weight: int = 0  # bytes charged against the journal's budget, measured once
    @property
    def matched(self) -> bool:
        return self.operation is not None

    def measure(self) -> int:
        response = self.response.weight() if self.response is not None else 0
        return (ENTRY_OVERHEAD + len(self.path) + len(self.query) + self.request.weight()
                + response)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "time": isoformat(self.time), "api": self.api,
            "operation": self.operation, "method": self.method, "path": self.path,
            "query": self.query, "status": self.status, "duration_ms": self.duration_ms,
            "tenant": self.tenant, "test_id": self.test_id, "matched": self.matched,
            "fault": self.fault, "request": self.request.as_json(),
            "response": self.response.as_json() if self.response is not None else None,
        }


def _body(data: bytes, truncated: bool) -> Any:
    """JSON bodies as JSON (secret-named members redacted), anything else as text."""
    if not data:
        return None
    if not truncated and data[:1] in b"{[":
        try:
            return redact_json(json.loads(data))
        except ValueError:
            pass
    return data.decode("utf-8", "replace")


@dataclass(frozen=True)
class JournalFilter:
    """What ``GET /journal`` narrows the entries to; every given field must hold."""

    api: str | None = None
    tenant: str | None = None
    operation: str | None = None
    path: str | None = None  # a glob when it has * or ?, else a prefix
    status: str | None = None  # "404" or a class: "4xx"
    test_id: str | None = None
    matched: bool | None = None

    def accepts(self, entry: Entry) -> bool:
        return ((self.api is None or entry.api == self.api)
                and (self.tenant is None or entry.tenant == self.tenant)
                and (self.operation is None or entry.operation == self.operation)
                and (self.test_id is None or entry.test_id == self.test_id)
                and (self.matched is None or entry.matched == self.matched)
                and (self.path is None or path_matches(self.path, entry.path))
                and (self.status is None or status_matches(self.status, entry.status)))


def path_matches(pattern: str, path: str) -> bool:
    """``*`` and ``?`` make a glob (``*`` also crosses ``/``); anything else is a prefix."""
    if "*" in pattern or "?" in pattern:
        return fnmatch.fnmatchcase(path, pattern)
    return path.startswith(pattern)


def status_matches(pattern: str, status: int | None) -> bool:
    """``"503"``, a class (``"5xx"``), or ``"dropped"`` (a connection closed unanswered)."""
    if status is None:
        return pattern.lower() == "dropped"
    text = str(status)
    pattern = pattern.lower()
    if len(pattern) == 3 and pattern.endswith("xx"):
        return text[0] == pattern[0]
    return text == pattern


@dataclass
class Journal:
    """A thread-safe ring of entries bounded by count and by bytes; ``size`` 0 records nothing."""

    size: int = DEFAULT_JOURNAL_SIZE
    max_bytes: int = DEFAULT_JOURNAL_MAX_BYTES
    _entries: deque[Entry] = field(default_factory=deque, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _next_id: int = field(default=1, init=False)
    bytes: int = field(default=0, init=False)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(self, entry: Entry) -> None:
        if not self.enabled:
            return
        entry.weight = entry.measure()
        with self._lock:
            entry.id = self._next_id
            self._next_id += 1
            self._entries.append(entry)
            self.bytes += entry.weight
            while self._entries and (len(self._entries) > self.size
                                     or self.bytes > self.max_bytes):
                self.bytes -= self._entries.popleft().weight

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        """Newest first, over a copy: recording goes on while a reader looks."""
        with self._lock:
            entries = list(self._entries)
        return reversed(entries)

    def find(self, where: JournalFilter, limit: int) -> tuple[list[Entry], int]:
        """The newest ``limit`` entries ``where`` accepts, and how many it accepts in all."""
        found = [entry for entry in self if where.accepts(entry)]
        return found[:limit], len(found)

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self.bytes = 0
        return count
