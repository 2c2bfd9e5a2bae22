"""After a real-service run: delete what the run created, then sweep what carries its prefix.

The delete for a created record is found in the spec: the ``DELETE`` on the creating path plus
one path parameter (``POST /ai-assistants`` -> ``DELETE /ai-assistants/{id}``); records created
elsewhere (a clone, a restore) are the API's main resource and go through its delete. The sweep
then lists the main resource and deletes every record whose name starts with the run's prefix,
which catches records whose creating answer was lost (a timeout, a dropped connection).
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from assistant_fake.contract.apis import ContractApi
from assistant_fake.contract.real_service import NAME_PREFIX, Ownership

_PARAM = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class Sweep:
    """How to find the main resource's records: list path, query, where the items are."""

    list_path: str
    delete_template: str
    query: tuple[tuple[str, str], ...]
    items: Callable[[Any], list[dict[str, Any]]]
    next_query: Callable[[Any, int], tuple[tuple[str, str], ...] | None]


def _single_page(body: Any, page: int) -> None:
    return None


def _feathers_next(body: Any, page: int) -> tuple[tuple[str, str], ...] | None:
    total, limit = body.get("total", 0), body.get("limit", 50) or 50
    if page * limit >= total:
        return None
    return (("$limit", str(limit)), ("$skip", str(page * limit)))


SWEEPS: dict[str, Sweep] = {
    # Telnyx lists every assistant of the account in one answer.
    "telnyx": Sweep("/ai/assistants", "/ai/assistants/{}", (),
                    lambda body: body.get("data", []), _single_page),
    "achieveapex": Sweep("/ai-assistants", "/ai-assistants/{}", (("$limit", "50"),),
                         lambda body: body.get("data", []), _feathers_next),
}


class Pacer:
    """At most ``limit`` calls in any ``seconds``-long window: waits when the window is full.

    One pacer covers a whole run (the runner's ``before_call`` hook, then the cleanup), so the
    suite and its cleanup share one window.
    """

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._sent: deque[float] = deque()

    @classmethod
    def parse(cls, rate: str | None) -> Pacer | None:
        """Schemathesis's notation, ``900/h`` (``s``, ``m``, ``h``, ``d``)."""
        if not rate:
            return None
        limit, _, unit = rate.partition("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit)
        if not limit.isdigit() or int(limit) < 1 or seconds is None:
            raise ValueError(f"pace {rate!r}: expected N/s, N/m, N/h or N/d with N >= 1")
        return cls(int(limit), seconds)

    def wait(self) -> None:
        now = time.monotonic()
        while self._sent and now - self._sent[0] >= self.seconds:
            self._sent.popleft()
        if len(self._sent) >= self.limit:
            time.sleep(self.seconds - (now - self._sent[0]))
            self._sent.popleft()
        self._sent.append(time.monotonic())


@dataclass
class CleanupReport:
    deleted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def delete_routes(spec: dict[str, Any]) -> dict[str, str]:
    """Creating path -> the path template that deletes one of its records."""
    routes = {}
    for path, item in spec.get("paths", {}).items():
        parent, _, last = path.rpartition("/")
        # Only top-level collections: a nested one would need its parent's id as well.
        if "delete" in item and _PARAM.fullmatch(last) and "{" not in parent:
            routes[parent] = parent + "/{}"
    return routes


def clean_up(client: httpx.Client, target: ContractApi, key: str, spec: dict[str, Any],
             ownership: Ownership, pacer: Pacer | None = None,
             on_response: Callable[[str, httpx.Response], None] | None = None) -> CleanupReport:
    """Delete the run's records, newest first, then sweep the prefix. 404 counts as gone."""
    report = CleanupReport()
    routes = delete_routes(spec)
    sweep = SWEEPS[target.name]
    headers = target.auth_headers(key)

    def delete(path: str) -> None:
        if pacer:
            pacer.wait()
        try:
            response = client.delete(path, headers=headers)
        except httpx.HTTPError as error:
            report.failed.append(f"DELETE {path}: {type(error).__name__}")
            return
        if on_response:
            on_response("cleanup", response)
        if response.status_code < 300:
            report.deleted.append(path)
        elif response.status_code != 404:  # already gone: a test deleted it
            report.failed.append(f"DELETE {path}: {response.status_code}")

    for creating_path, record_id in reversed(ownership.created):
        delete(routes.get(creating_path, sweep.delete_template).format(record_id))
    for record in _prefixed(client, sweep, headers, pacer, on_response):
        delete(sweep.delete_template.format(record["id"]))
    return report


def _prefixed(client: httpx.Client, sweep: Sweep, headers: dict[str, str], pacer: Pacer | None,
              on_response: Callable[[str, httpx.Response], None] | None
              ) -> Iterator[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query: tuple[tuple[str, str], ...] | None = sweep.query
    page = 1
    while query is not None:
        if pacer:
            pacer.wait()
        try:
            response = client.get(sweep.list_path, params=list(query), headers=headers)
        except httpx.HTTPError:
            break
        if on_response:
            on_response("cleanup", response)
        if response.status_code != 200:
            break
        body = response.json()
        found += [item for item in sweep.items(body) if isinstance(item, dict)
                  and str(item.get("name", "")).startswith(NAME_PREFIX) and "id" in item]
        query = sweep.next_query(body, page)
        page += 1
    # Listed first, deleted after: deleting while paging would shift the pages.
    yield from found
