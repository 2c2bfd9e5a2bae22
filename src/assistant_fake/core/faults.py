"""Fault injection rules, in plain Python: what to match, what to do, how often.

A rule matches requests by api, operation, path (glob or prefix, as the journal filters),
method, tenant and ``X-Fake-Test-Id``; every field it leaves out matches anything, so a rule
with neither ``test_id`` nor ``tenant`` is global. Its action is a status answered with the
vendor's own error body, added latency (fixed or a random range), a dropped connection or a
malformed body; latency may come before any of the others.

Rules are tried in the order they were added. A rule fires when it matches, has firings left
(``count``) and wins its draw (``probability``, from a random generator of its own, seeded by
the rule's ``seed`` or the store's id seed, so a seeded run fires the same way every time).
Latency-only rules add their delay and let later rules be tried; the first rule whose action
ends the request (status, drop, malformed) is the last one tried.

``Prefer: code=503`` and ``Prefer: delay=200`` (milliseconds) on a request do the same for that
request alone, Prism-style; such a request is answered by its header and consults no rule.
"""

from __future__ import annotations

import functools
import itertools
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant_fake.core.journal import path_matches
from assistant_fake.core.tenants import claimed_tenant

TEST_ID_HEADER = "x-fake-test-id"
DROP_KEY = "assistant_fake.drop"  # scope extension: close the connection without an answer
FAULT_KEY = "assistant_fake.fault"  # scope extension: which rule (or "prefer") fired
PREFER_FAULT = "prefer"
MAX_DELAY_MS = 60_000  # a Prefer delay above this is capped: a typo must not hang a client
DEFAULT_RETRY_AFTER = 1  # seconds, for a 429 whose rule names none


@dataclass
class FaultRequest:
    """What a rule can match on; the tenant is hashed only if some rule asks for it."""

    api: str
    operation: str | None
    method: str
    path: str
    test_id: str | None
    headers: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def tenant(self) -> str | None:
        return claimed_tenant(self.headers)


@dataclass(frozen=True)
class FaultMatch:
    api: str | None = None
    operation: str | None = None
    path: str | None = None
    method: str | None = None
    tenant: str | None = None
    test_id: str | None = None

    def accepts(self, request: FaultRequest) -> bool:
        return ((self.api is None or request.api == self.api)
                and (self.operation is None or request.operation == self.operation)
                and (self.method is None or request.method.upper() == self.method.upper())
                and (self.test_id is None or request.test_id == self.test_id)
                and (self.path is None or path_matches(self.path, request.path))
                and (self.tenant is None or request.tenant == self.tenant))

    def as_json(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class FaultAction:
    status: int | None = None
    retry_after: int | None = None
    latency_ms: int | tuple[int, int] | None = None
    drop: bool = False
    malformed: bool = False

    @property
    def ends_request(self) -> bool:
        return self.status is not None or self.drop or self.malformed

    def delay_seconds(self, rng: random.Random) -> float:
        if self.latency_ms is None:
            return 0.0
        if isinstance(self.latency_ms, tuple):
            low, high = self.latency_ms
            return rng.uniform(low, high) / 1000
        return self.latency_ms / 1000

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.status is not None:
            body["status"] = self.status
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        if self.latency_ms is not None:
            latency = self.latency_ms
            body["latency_ms"] = list(latency) if isinstance(latency, tuple) else latency
        if self.drop:
            body["drop"] = True
        if self.malformed:
            body["malformed"] = True
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> FaultAction:
        latency = body.get("latency_ms")
        return cls(status=body.get("status"), retry_after=body.get("retry_after"),
                   latency_ms=tuple(latency) if isinstance(latency, list) else latency,
                   drop=bool(body.get("drop")), malformed=bool(body.get("malformed")))


@dataclass
class FaultRule:
    id: str
    match: FaultMatch
    action: FaultAction
    count: int | None = None  # firings allowed; None: no limit
    probability: float = 1.0
    seed: int | None = None
    hits: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.hits >= self.count

    def delay_seconds(self) -> float:
        return self.action.delay_seconds(self._rng)

    def fires(self, request: FaultRequest) -> bool:
        """Matches, has firings left and wins its draw; counts the firing."""
        if self.exhausted or not self.match.accepts(request):
            return False
        if self.probability < 1.0 and self._rng.random() >= self.probability:
            return False
        self.hits += 1
        return True

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "match": self.match.as_json(), "action": self.action.as_json(),
                "count": self.count, "probability": self.probability, "seed": self.seed,
                "hits": self.hits}


@dataclass(frozen=True)
class Decision:
    """What the fault middleware does to one request."""

    delay_seconds: float = 0.0
    action: FaultAction | None = None  # the action that ends the request, if any
    fault: str | None = None  # the id of the rule that decided it, or "prefer"

    @property
    def inert(self) -> bool:
        return self.action is None and self.delay_seconds == 0.0


NO_FAULT = Decision()


class FaultRegistry:
    """The active rules; thread-safe (admin handlers add rules while requests are served)."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def add(self, match: FaultMatch, action: FaultAction, *, count: int | None = None,
            probability: float = 1.0, seed: int | None = None) -> FaultRule:
        with self._lock:
            rule = FaultRule(f"fault-{next(self._ids)}", match, action, count, probability, seed)
            self._rules.append(rule)
        return rule

    def rules(self, test_id: str | None = None) -> list[FaultRule]:
        with self._lock:
            return [r for r in self._rules if test_id is None or r.match.test_id == test_id]

    def get(self, rule_id: str) -> FaultRule | None:
        return next((rule for rule in self.rules() if rule.id == rule_id), None)

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
        return removed

    def clear(self, test_id: str | None = None) -> int:
        """Remove every rule, or only those scoped to ``test_id``; answers how many."""
        with self._lock:
            kept = [r for r in self._rules if test_id is not None and r.match.test_id != test_id]
            removed = len(self._rules) - len(kept)
            self._rules = kept
        return removed

    def decide(self, request: FaultRequest) -> Decision:
        if not self._rules:
            return NO_FAULT
        delay = 0.0
        fired: str | None = None
        with self._lock:
            for rule in self._rules:
                if not rule.fires(request):
                    continue
                delay += rule.delay_seconds()
                fired = fired or rule.id
                if rule.action.ends_request:
                    return Decision(delay, rule.action, rule.id)
        return Decision(delay, None, fired) if fired else NO_FAULT


def prefer_decision(values: Iterable[str]) -> Decision | None:
    """The fault a ``Prefer`` header asks for (``code=503``, ``delay=200``), if any.

    Only error codes (400-599) are honoured: the fake cannot make up a success body. Unknown
    or malformed preferences are ignored, as RFC 7240 asks of servers.
    """
    status: int | None = None
    delay_ms = 0
    for value in values:
        for token in value.replace(";", ",").split(","):
            name, _, argument = token.strip().partition("=")
            argument = argument.strip().strip('"')
            if not argument.isdigit():
                continue
            if name.strip().lower() == "code" and 400 <= int(argument) <= 599:
                status = int(argument)
            elif name.strip().lower() == "delay":
                delay_ms = min(int(argument), MAX_DELAY_MS)
    if status is None and not delay_ms:
        return None
    action = FaultAction(status=status) if status is not None else None
    return Decision(delay_ms / 1000, action, PREFER_FAULT)
