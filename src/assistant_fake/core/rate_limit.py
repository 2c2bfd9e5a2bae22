"""A sliding-window rate limiter (per key), on the store's clock so tests can move time."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RateLimit:
    limit: int
    window_seconds: int

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``"1000/3600"``: at most 1000 requests in any 3600 seconds."""
        limit, _, window = text.partition("/")
        parsed = cls(int(limit), int(window))
        if parsed.limit < 1 or parsed.window_seconds < 1:
            raise ValueError("a rate limit is LIMIT/SECONDS, both at least 1")
        return parsed


@dataclass(frozen=True)
class Refusal:
    current: int
    retry_after: int


class SlidingWindowLimiter:
    """Counts accepted requests per key over the last window; refused ones do not count."""

    def __init__(self, rate: RateLimit, now: Callable[[], datetime]) -> None:
        self.rate = rate
        self._now = now
        self._hits: dict[object, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: object) -> Refusal | None:
        """Record one request for ``key``; a ``Refusal`` when it is over the limit."""
        now = self._now().timestamp()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.rate.window_seconds:
                hits.popleft()
            if len(hits) >= self.rate.limit:
                retry_after = math.ceil(hits[0] + self.rate.window_seconds - now)
                return Refusal(current=len(hits) + 1, retry_after=max(retry_after, 1))
            hits.append(now)
            return None

    def forget(self, key: object | None = None) -> None:
        """Drop the window of ``key`` (every window by default): a reset starts counting anew."""
        with self._lock:
            if key is None:
                self._hits.clear()
            else:
                self._hits.pop(key, None)
