"""Real-service mode: what a contract run may do to an account it does not own.

When the suite is pointed at a URL (a real service, or anything that is not the in-process fake)
it must leave the account as it found it:

* **Outward-facing or costly operations are skipped** unless enabled by group (``--enable``):
  they talk to people or systems outside the account (SMS, scheduled calls, webhooks, MCP
  servers), spend money on LLM calls, or create records no API call can remove (reservations).
* **Only the run's own records are changed.** Every mutating call whose path or body names an
  id the run did not create gets that id replaced by one that cannot exist, so a generated
  ``DELETE /ai-assistants/5`` never reaches the account's real assistant 5. What the run created
  is learnt from the answers: the ``id`` of every successful ``POST``, and any record that points
  (``*_id``) at one of those (versions, history entries).
* **Names carry a prefix** (``contract-``) so whatever a run leaves behind is recognisable, and
  the cleanup (``contract.cleanup``) deletes it afterwards.
* **AchieveApex is paced** under its documented rate limit (1,000 requests an hour per
  organisation) with Schemathesis's own rate limiter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

NAME_PREFIX = "contract-"
NOT_OWNED_INT = 2_147_483_000  # no account reaches this id: a safe 404
NOT_OWNED_TEXT = "contract-not-owned"

# operationIds by group; the group names are what `--enable` takes.
OUTWARD_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "telnyx": {
        "chat": ("chat_with_assistant", "enhance_instructions"),
        "sms": ("send_sms",),
        "scheduled-calls": ("create_scheduled_event",),
        "imports": ("import_assistants",),
        "test-runs": ("trigger_test_run", "trigger_test_suite_run"),
        "tool-calls": ("test_tool",),
    },
    "achieveapex": {
        "mcp": ("connect_mcp_tool_server",),
        # No API call deletes a reservation: a booked slot would stay booked.
        "reservations": ("create_reservation", "patch_reservation"),
    },
}

# Requests per window a run may send in real-service mode; 90% of the documented limit leaves
# room for the cleanup and for anything else using the key.
DEFAULT_PACE: dict[str, str | None] = {"telnyx": None, "achieveapex": "900/h"}

_MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def groups(api: str) -> list[str]:
    return sorted(OUTWARD_GROUPS[api])


def parse_groups(api: str, text: str | None) -> set[str]:
    """``--enable`` for ``api``: comma-separated group names, or ``all``."""
    chosen = {part.strip() for part in (text or "").split(",") if part.strip()}
    if "all" in chosen:
        return set(OUTWARD_GROUPS[api])
    unknown = chosen - set(OUTWARD_GROUPS[api])
    if unknown:
        raise ValueError(f"unknown groups {sorted(unknown)} for {api}; choose from "
                         f"{', '.join(groups(api))} or all")
    return chosen


def skipped_operations(api: str, enabled: Iterable[str]) -> list[str]:
    """operationIds a real-service run leaves out."""
    enabled = set(enabled)
    return sorted(op for group, ops in OUTWARD_GROUPS[api].items() if group not in enabled
                  for op in ops)


@dataclass
class Ownership:
    """The ids this run created; everything else in the account is off limits."""

    ids: set[str] = field(default_factory=set)
    created: list[tuple[str, str]] = field(default_factory=list)  # (collection path, id)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def owns(self, value: Any) -> bool:
        return _text(value) in self.ids

    def learn(self, method: str, path: str, status: int, body: Any,
              id_pointers: Iterable[str] = ()) -> None:
        """Remember what a successful answer shows the run created: for a ``POST``, the ids
        the spec's links take from the answer (``id_pointers``, e.g. ``/test_id``), else its
        ``id``; for any answer, records pointing at an owned one."""
        if not 200 <= status < 300:
            return
        with self.lock:
            if method == "POST" and isinstance(body, dict):
                record = body.get("data") if isinstance(body.get("data"), dict) else body
                for value in _pointed(body, id_pointers) or [record.get("id")]:
                    self._own(value, path)
            self._own_children(body)

    def _own(self, value: Any, path: str) -> None:
        key = _text(value)
        if key is not None and key not in self.ids:
            self.ids.add(key)
            self.created.append((path, key))

    def _own_children(self, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self._own_children(item)
        elif isinstance(value, dict):
            parents = [v for k, v in value.items() if k.endswith("_id") and k != "id"]
            if _text(value.get("id")) is not None and any(self.owns(p) for p in parents):
                self.ids.add(_text(value["id"]))
            for item in value.values():
                if isinstance(item, dict | list):
                    self._own_children(item)


def _pointed(body: Any, pointers: Iterable[str]) -> list[Any]:
    """The values at JSON pointers (``/data/id``) that ``body`` has."""
    found = []
    for pointer in pointers:
        value = body
        for part in pointer.strip("/").split("/"):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            found.append(value)
    return found


def link_id_pointers(raw_schema: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(METHOD, path) -> the JSON pointers its links read from the answer's body: where the
    spec says the created record's id is."""
    pointers: dict[tuple[str, str], list[str]] = {}
    for path, item in raw_schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                for link in (response.get("links") or {}).values():
                    for expression in (link.get("parameters") or {}).values():
                        if str(expression).startswith("$response.body#"):
                            found = pointers.setdefault((method.upper(), path), [])
                            pointer = str(expression).split("#", 1)[1]
                            if pointer not in found:
                                found.append(pointer)
    return pointers


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value)


def _is_id_name(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _stand_in(value: Any) -> Any:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return NOT_OWNED_INT if isinstance(value, int) else str(NOT_OWNED_INT)
    return NOT_OWNED_TEXT


class AccountScope:
    """Puts the caller's own account id where a body names the account (``organization_id``).

    Generated integers name other organisations, which every vendor answers 404, so without
    this no create would ever succeed and the stateful phase would have nothing to follow.
    Only integers are replaced: a wrong type stays, as the negative case it is.
    """

    def __init__(self, field_name: str, value: Any) -> None:
        self.field_name, self.value = field_name, value

    def fill(self, case: Any) -> None:
        body = case.body
        if isinstance(body, dict) and isinstance(body.get(self.field_name), int) \
                and not isinstance(body[self.field_name], bool):
            body[self.field_name] = self.value


class Guard:
    """The Schemathesis hooks of a real-service run over one loaded schema."""

    def __init__(self, raw_schema: dict[str, Any], ownership: Ownership,
                 scope_field: str | None = None) -> None:
        self.ownership = ownership
        self.scope_field = scope_field  # the account's own id: not a record to protect
        self.id_pointers = link_id_pointers(raw_schema)

    def before_call(self, context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        if case.method.upper() not in _MUTATING:
            return
        self._divert(case.path_parameters or {})
        if isinstance(case.body, dict):
            # Only the top level: ids nested deeper are references (tools, skills) that a
            # request reads, while a top-level id names the record the call changes
            # (restore-from-history).
            self._divert(case.body, keep=self.scope_field)
            name = case.body.get("name")
            if isinstance(name, str) and not name.startswith(NAME_PREFIX):
                case.body["name"] = NAME_PREFIX + name

    def _divert(self, values: dict[str, Any], keep: str | None = None) -> None:
        """Every id in ``values`` (but ``keep``) the run does not own becomes one that cannot
        exist."""
        for name, value in list(values.items()):
            if name != keep and _is_id_name(name) and _text(value) is not None \
                    and not self.ownership.owns(value):
                values[name] = _stand_in(value)

    def keep_failure(self, context: Any, failure: Any, case: Any, response: Any) -> bool:
        """A ``filter_failure`` hook: an answer to a diverted call is the guard's doing, not
        the service's (a "created resource not found" for a record the run may not touch)."""
        request = getattr(response, "request", None)
        sent = f"{getattr(request, 'url', '')} {getattr(request, 'body', '') or ''}"
        return NOT_OWNED_TEXT not in sent and str(NOT_OWNED_INT) not in sent

    def after_call(self, context: Any, case: Any, response: Any) -> None:
        """A schema-scoped ``after_call`` hook: only this run's cases reach it."""
        try:
            body = response.json() if response.content else None
        except ValueError:
            return
        method = case.method.upper()
        self.ownership.learn(method, case.path, response.status_code, body,
                             self.id_pointers.get((method, case.path), ()))
