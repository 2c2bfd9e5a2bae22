"""Organisation isolation over HTTP.

Whatever key A does, on its own records or aimed at key B's ids, B sees exactly what it saw
before; and every per-id operation answers A's request for one of B's ids with Feathers' 404,
exactly as for an id that does not exist. Both as a Hypothesis property over random sequences
of A's operations, and one test per operation.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DAY = "2031-06-02"


class World:
    """One organisation's records: an active and a deleted assistant, a skill, a tool and a
    reservation, each made through HTTP."""

    def __init__(self, apex) -> None:
        self.apex = apex
        self.assistant = apex.create_assistant(name="Active")
        self.deleted = apex.create_assistant(name="Deleted")
        apex.ok("DELETE", f"/ai-assistants/{self.deleted['id']}")
        self.snapshot = apex.history(self.assistant["id"])["data"][0]
        self.skill = apex.create_skill(self.assistant["id"])
        self.tool = apex.create_api_tool()
        apex.patch_assistant(self.assistant["id"], api_tools=[self.tool["id"]])
        self.service = apex.service_id()
        self.reservation = apex.create_reservation(f"{DAY}T09:00:00Z", f"{DAY}T09:30:00Z")

    def view(self) -> list[Any]:
        """Everything the organisation can read about itself."""
        lists = [("/ai-assistants", {}), ("/ai-assistants", {"deleted_at[$ne]": "null"}),
                 ("/ai-assistants-change-history", {}), ("/ai-assistant-skills", {}),
                 ("/api-tools", {}), ("/organizations", {}), ("/reservation-services", {}),
                 ("/reservations", {}),
                 ("/reservation-available-slots", {"service_id": self.service, "date": DAY,
                                                   "organization_id":
                                                       self.apex.organization_id})]
        seen = [self.apex.ok("GET", path, params={**params, "$limit": 50})
                for path, params in lists]
        for path in (f"/ai-assistants/{self.assistant['id']}",
                     f"/ai-assistants-change-history/{self.snapshot['id']}",
                     f"/ai-assistant-skills/{self.skill['id']}", f"/api-tools/{self.tool['id']}",
                     f"/reservations/{self.reservation['id']}"):
            seen.append(self.apex.ok("GET", path))
        return seen


def per_id_requests(world: World) -> dict[str, tuple[str, str, Any]]:
    """Every per-id operation, aimed at ``world``'s records: (method, path, body)."""
    assistant, skill, tool = world.assistant["id"], world.skill["id"], world.tool["id"]
    return {
        "get_ai_assistant": ("GET", f"/ai-assistants/{assistant}", None),
        "patch_ai_assistant": ("PATCH", f"/ai-assistants/{assistant}", {"name": "Taken"}),
        "delete_ai_assistant": ("DELETE", f"/ai-assistants/{assistant}", None),
        "restore_deleted_ai_assistant": ("PATCH", f"/ai-assistants/{world.deleted['id']}",
                                         {"deleted_at": None}),
        "get_ai_assistant_change_history": (
            "GET", f"/ai-assistants-change-history/{world.snapshot['id']}", None),
        "get_ai_assistant_skill": ("GET", f"/ai-assistant-skills/{skill}", None),
        "patch_ai_assistant_skill": ("PATCH", f"/ai-assistant-skills/{skill}", {"name": "X"}),
        "delete_ai_assistant_skill": ("DELETE", f"/ai-assistant-skills/{skill}", None),
        "get_api_tool": ("GET", f"/api-tools/{tool}", None),
        "patch_api_tool": ("PATCH", f"/api-tools/{tool}", {"name": "X"}),
        "delete_api_tool": ("DELETE", f"/api-tools/{tool}", None),
        "get_reservation": ("GET", f"/reservations/{world.reservation['id']}", None),
        "patch_reservation": ("PATCH", f"/reservations/{world.reservation['id']}",
                              {"status": "cancelled"}),
    }


PER_ID = sorted(["get_ai_assistant", "patch_ai_assistant", "delete_ai_assistant",
                 "restore_deleted_ai_assistant", "get_ai_assistant_change_history",
                 "get_ai_assistant_skill", "patch_ai_assistant_skill",
                 "delete_ai_assistant_skill", "get_api_tool", "patch_api_tool",
                 "delete_api_tool", "get_reservation", "patch_reservation"])


@pytest.fixture
def worlds(apex_as) -> tuple[World, World]:
    return World(apex_as()), World(apex_as())


@pytest.mark.parametrize("operation", PER_ID)
def test_another_organizations_id_answers_404_to_every_per_id_operation(worlds, feathers,
                                                                         operation):
    a, b = worlds
    before = b.view()
    method, path, body = per_id_requests(b)[operation]
    response = a.apex.request(method, path, json=body)
    assert (response.status_code, response.json()) == (
        404, feathers.not_found(int(path.rsplit("/", 1)[1])))
    assert b.view() == before


def test_restoring_from_another_organizations_history_answers_404(worlds, feathers):
    a, b = worlds
    before = b.view()
    for assistant, snapshot in ((b.assistant, b.snapshot), (a.assistant, b.snapshot),
                                (b.assistant, a.snapshot)):
        response = a.apex.post("/ai-assistants-restore-from-changes-history", json={
            "ai_assistant_id": assistant["id"], "change_history_id": snapshot["id"]})
        missing = assistant["id"] if assistant is b.assistant else snapshot["id"]
        assert (response.status_code, response.json()) == (404, feathers.not_found(missing))
    assert b.view() == before


@pytest.mark.parametrize(("path", "body"), [
    ("/ai-assistants", {"name": "N", "assistant_type": "voice", "ai_model_id": 1}),
    ("/api-tools", {"name": "N", "description": "D", "endpoint": "E", "method": "GET"}),
    ("/reservations", {"start_time": f"{DAY}T10:00:00Z", "end_time": f"{DAY}T10:30:00Z"}),
])
def test_creating_in_another_organization_answers_404(worlds, feathers, path, body):
    a, b = worlds
    before = b.view()
    extra = {"service_id": b.service} if path == "/reservations" else {}
    response = a.apex.post(path, json={"organization_id": b.apex.organization_id, **body,
                                       **extra})
    assert (response.status_code, response.json()) == (
        404, feathers.not_found(b.apex.organization_id))
    assert b.view() == before


def test_a_skill_for_another_organizations_assistant_answers_404(worlds, feathers):
    a, b = worlds
    response = a.apex.post("/ai-assistant-skills", json={
        "organization_id": a.apex.organization_id, "assistant_id": b.assistant["id"],
        "name": "S", "content": "C"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(
        b.assistant["id"]))


def test_filtering_on_another_organization_finds_nothing(worlds):
    a, b = worlds
    for path in ("/ai-assistants", "/ai-assistants-change-history", "/ai-assistant-skills",
                 "/api-tools", "/reservation-services", "/reservations"):
        page = a.apex.ok("GET", path, params={"organization_id": b.apex.organization_id})
        assert page["total"] == 0, path


# --- the property ---------------------------------------------------------------------------

OWN_OR_THEIRS = st.sampled_from(["own", "theirs"])
ACTIONS = st.one_of(
    st.tuples(st.just("create_assistant"), st.sampled_from(["voice", "ai-chat"])),
    st.tuples(st.just("per_id"), st.sampled_from(PER_ID), OWN_OR_THEIRS),
    st.tuples(st.just("create_skill"), OWN_OR_THEIRS),
    st.tuples(st.just("create_tool"), st.just(None)),
    st.tuples(st.just("book"), st.integers(9, 16), st.sampled_from([None, "theirs"])),
    st.tuples(st.just("restore_history"), OWN_OR_THEIRS),
    st.tuples(st.just("list_theirs"), st.sampled_from(["/ai-assistants", "/api-tools",
                                                       "/reservations"])),
)


def act(a: World, b: World, action: tuple[Any, ...]) -> None:
    """Run one of A's operations; anything aimed at B's records must answer 404."""
    kind = action[0]
    apex = a.apex
    if kind == "create_assistant":
        apex.create_assistant(assistant_type=action[1])
    elif kind == "per_id":
        target = a if action[2] == "own" else b
        method, path, body = per_id_requests(target)[action[1]]
        response = apex.request(method, path, json=body)
        assert response.status_code in ((200, 404) if target is a else (404,)), response.text
    elif kind == "create_skill":
        target = a if action[1] == "own" else b
        response = apex.post("/ai-assistant-skills", json={
            "organization_id": apex.organization_id, "assistant_id": target.assistant["id"],
            "name": "S", "content": "C"})
        assert response.status_code in ((201, 404) if target is a else (404,)), response.text
    elif kind == "create_tool":
        apex.create_api_tool()
    elif kind == "book":
        body = {"organization_id": apex.organization_id, "service_id": a.service,
                "start_time": f"{DAY}T{action[1]:02d}:00:00Z",
                "end_time": f"{DAY}T{action[1]:02d}:30:00Z"}
        if action[2] == "theirs":  # B's resource: A cannot book it
            body["resource_id"] = b.reservation["resource_id"]
        response = apex.post("/reservations", json=body)
        assert response.status_code in ((404,) if action[2] else (201, 400)), response.text
    elif kind == "restore_history":
        target = a if action[1] == "own" else b
        response = apex.post("/ai-assistants-restore-from-changes-history", json={
            "ai_assistant_id": target.assistant["id"],
            "change_history_id": target.snapshot["id"]})
        assert response.status_code in ((201, 404) if target is a else (404,)), response.text
    else:
        page = apex.ok("GET", action[1], params={"organization_id": b.apex.organization_id})
        assert page["total"] == 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(ACTIONS, min_size=1, max_size=8))
def test_nothing_one_key_does_changes_what_another_key_sees(apex_as, steps):
    a, b = World(apex_as()), World(apex_as())
    before = b.view()
    for step in steps:
        act(a, b, step)
    assert b.view() == before
