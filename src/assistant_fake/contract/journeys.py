"""Fixed, scripted journeys per vendor that ``assistant-fake record`` runs against a real service.

A script rather than the Hypothesis state machines: the same calls in the same order on every
run, so two cassettes of one vendor can be compared and ``--dry-run`` can list exactly what a
recording would do. Every journey creates only records named with the ``contract-`` prefix and
deletes them again (``cleanup`` steps run even after a failed step); nothing costly or outward
facing (chat, sms, calls, imports, test runs) is called, and each journey stays at a dozen calls,
far below AchieveApex's rate limit. No account-wide list is read: a real account's other records
would show up as drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant_fake.contract.state_machines import NAME_PREFIX

RECORD_NAME = NAME_PREFIX + "record"


@dataclass(frozen=True)
class Ref:
    """A value learned from an earlier answer (``capture``), used in a later request."""

    name: str


Capture = Callable[[Any], Any]


@dataclass(frozen=True)
class Step:
    label: str
    method: str
    path: str  # relative to the API's base URL; ``{name}`` is filled from captured values
    query: list[tuple[str, str]] = field(default_factory=list)  # values may hold ``{name}``
    body: Any = None  # JSON, ``Ref`` anywhere inside is replaced by the captured value
    authenticated: bool = True
    capture: dict[str, Capture] = field(default_factory=dict)
    cleanup: bool = False  # runs even when an earlier step failed, if its refs are known

    def refs(self) -> set[str]:
        names = {part.split("}")[0] for part in self.path.split("{")[1:]}
        for _, value in self.query:
            names |= {part.split("}")[0] for part in value.split("{")[1:]}
        return names | _body_refs(self.body)


def _body_refs(body: Any) -> set[str]:
    if isinstance(body, Ref):
        return {body.name}
    if isinstance(body, dict):
        return set().union(*(_body_refs(v) for v in body.values())) if body else set()
    if isinstance(body, list):
        return set().union(*(_body_refs(v) for v in body)) if body else set()
    return set()


def fill_body(body: Any, values: dict[str, Any]) -> Any:
    if isinstance(body, Ref):
        return values[body.name]
    if isinstance(body, dict):
        return {k: fill_body(v, values) for k, v in body.items()}
    if isinstance(body, list):
        return [fill_body(v, values) for v in body]
    return body


def show_body(body: Any) -> Any:
    """The body as ``--dry-run`` prints it: refs as ``{name}``."""
    if isinstance(body, Ref):
        return "{" + body.name + "}"
    if isinstance(body, dict):
        return {k: show_body(v) for k, v in body.items()}
    if isinstance(body, list):
        return [show_body(v) for v in body]
    return body


def _field(name: str) -> Capture:
    return lambda body: body[name]


TELNYX: list[Step] = [
    Step("create", "POST", "/ai/assistants",
         body={"name": RECORD_NAME, "instructions": "Answer briefly.", "greeting": "Hello"},
         capture={"assistant": _field("id")}),
    Step("get", "GET", "/ai/assistants/{assistant}"),
    Step("update", "POST", "/ai/assistants/{assistant}",
         body={"description": "contract recording", "instructions": "Answer in one sentence."}),
    Step("versions", "GET", "/ai/assistants/{assistant}/versions"),
    Step("add tag", "POST", "/ai/assistants/{assistant}/tags", body={"tag": RECORD_NAME}),
    Step("remove tag", "DELETE", f"/ai/assistants/{{assistant}}/tags/{RECORD_NAME}"),
    Step("clone", "POST", "/ai/assistants/{assistant}/clone", capture={"clone": _field("id")}),
    Step("soft delete", "DELETE", "/ai/assistants/{assistant}"),
    Step("get deleted", "GET", "/ai/assistants/{assistant}/deleted"),
    Step("restore", "POST", "/ai/assistants/{assistant}/restore"),
    Step("no key", "GET", "/ai/assistants/{assistant}", authenticated=False),
    Step("invalid create", "POST", "/ai/assistants", body={"name": 5}),
    Step("delete clone", "DELETE", "/ai/assistants/{clone}", query=[("hard_delete", "true")],
         cleanup=True),
    Step("delete", "DELETE", "/ai/assistants/{assistant}", query=[("hard_delete", "true")],
         cleanup=True),
    Step("get after delete", "GET", "/ai/assistants/{assistant}"),
]

ACHIEVEAPEX: list[Step] = [
    # A key belongs to one organisation; creating needs its id.
    Step("organization", "GET", "/organizations",
         capture={"organization": lambda body: body["data"][0]["id"]}),
    Step("create", "POST", "/ai-assistants",
         body={"organization_id": Ref("organization"), "name": RECORD_NAME,
               "assistant_type": "voice", "ai_model_id": 1, "instructions": "Answer briefly."},
         capture={"assistant": _field("id")}),
    Step("get", "GET", "/ai-assistants/{assistant}"),
    Step("patch", "PATCH", "/ai-assistants/{assistant}",
         body={"instructions": "Answer in one sentence."}),
    # Newest first; the last row is the snapshot taken at creation.
    Step("history", "GET", "/ai-assistants-change-history",
         query=[("ai_assistant_id", "{assistant}"), ("$sort[created_at]", "-1"),
                ("$sort[id]", "-1"), ("$limit", "50")],
         capture={"snapshot": lambda body: body["data"][-1]["id"]}),
    Step("restore from history", "POST", "/ai-assistants-restore-from-changes-history",
         body={"ai_assistant_id": Ref("assistant"), "change_history_id": Ref("snapshot")}),
    Step("query", "GET", "/ai-assistants",
         query=[("id[$in][0]", "{assistant}"), ("$sort[id]", "1"), ("$limit", "10")]),
    Step("delete", "DELETE", "/ai-assistants/{assistant}"),
    Step("restore", "PATCH", "/ai-assistants/{assistant}", body={"deleted_at": None}),
    Step("no key", "GET", "/ai-assistants/{assistant}", authenticated=False),
    Step("invalid create", "POST", "/ai-assistants", body={"name": 5}),
    # AchieveApex has only soft delete: the record ends up deleted, never active.
    Step("final delete", "DELETE", "/ai-assistants/{assistant}", cleanup=True),
]

JOURNEYS: dict[str, list[Step]] = {"telnyx": TELNYX, "achieveapex": ACHIEVEAPEX}
