"""``/ai-assistant-skills`` over HTTP: create, list, get, patch, delete (for good)."""

from __future__ import annotations

from typing import Any

import pytest

T0_STAMP = "2026-04-25T19:00:00.000Z"  # conftest's FROZEN_AT


@pytest.fixture
def assistant(apex) -> dict[str, Any]:
    return apex.create_assistant()


def test_create_answers_201_with_the_full_skill(apex, assistant, clock):
    response = apex.post("/ai-assistant-skills", json={
        "organization_id": apex.organization_id, "assistant_id": assistant["id"],
        "name": "Refunds", "content": "Refund within 30 days.", "when_to_use": "On refunds."})
    skill = response.json()
    assert (response.status_code, skill) == (201, {
        "id": skill["id"], "assistant_id": assistant["id"],
        "organization_id": apex.organization_id, "name": "Refunds",
        "content": "Refund within 30 days.", "when_to_use": "On refunds.",
        "created_at": T0_STAMP, "updated_at": T0_STAMP})


def test_create_without_when_to_use_leaves_it_out(apex, assistant):
    assert "when_to_use" not in apex.create_skill(assistant["id"])


def test_create_drops_unknown_fields(apex, assistant):
    skill = apex.create_skill(assistant["id"], priority=3, id=1)
    assert "priority" not in skill and skill["id"] != 1


def test_create_for_an_unknown_assistant_answers_404(apex, feathers):
    response = apex.post("/ai-assistant-skills", json={
        "organization_id": apex.organization_id, "assistant_id": 987654321, "name": "S",
        "content": "C"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_create_for_a_deleted_assistant_answers_404(apex, assistant, feathers):
    apex.ok("DELETE", f"/ai-assistants/{assistant['id']}")
    response = apex.post("/ai-assistant-skills", json={
        "organization_id": apex.organization_id, "assistant_id": assistant["id"], "name": "S",
        "content": "C"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(assistant["id"]))


def test_create_for_another_organizations_assistant_answers_404(apex, apex_as, feathers):
    theirs = apex_as().create_assistant()
    response = apex.post("/ai-assistant-skills", json={
        "organization_id": apex.organization_id, "assistant_id": theirs["id"], "name": "S",
        "content": "C"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(theirs["id"]))


def test_create_in_another_organization_answers_404(apex, apex_as, assistant, feathers):
    other = apex_as().organization_id
    response = apex.post("/ai-assistant-skills", json={
        "organization_id": other, "assistant_id": assistant["id"], "name": "S", "content": "C"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(other))


def test_create_lists_every_violation(apex, feathers, ajv_error):
    response = apex.post("/ai-assistant-skills", json={"name": "", "content": 5,
                                                       "when_to_use": None})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/name", "#/allOf/1/properties/name/minLength", "minLength",
                  {"limit": 1}, "must NOT have fewer than 1 characters"),
        ajv_error("body", "/content", "#/allOf/1/properties/content/type", "type",
                  {"type": "string"}, "must be string"),
        ajv_error("body", "/when_to_use", "#/allOf/1/properties/when_to_use/type", "type",
                  {"type": "string"}, "must be string"),
        ajv_error("body", "", "#/required", "required", {"missingProperty": "assistant_id"},
                  "must have required property 'assistant_id'"),
        ajv_error("body", "", "#/required", "required", {"missingProperty": "organization_id"},
                  "must have required property 'organization_id'")))


def test_get_answers_the_skill(apex, assistant):
    skill = apex.create_skill(assistant["id"])
    assert apex.ok("GET", f"/ai-assistant-skills/{skill['id']}") == skill


def test_list_filters_by_assistant(apex):
    first, second = apex.create_assistant(), apex.create_assistant()
    mine = [apex.create_skill(first["id"], name=f"S{n}") for n in range(3)]
    apex.create_skill(second["id"])
    assert apex.ok("GET", "/ai-assistant-skills", params={"assistant_id": first["id"]}) == {
        "total": 3, "limit": 10, "skip": 0, "data": mine}


def test_list_filters_by_name(apex, assistant):
    apex.create_skill(assistant["id"], name="Refunds")
    wanted = apex.create_skill(assistant["id"], name="Shipping")
    page = apex.ok("GET", "/ai-assistant-skills", params={"name": "Shipping"})
    assert page["data"] == [wanted]


def test_patch_changes_the_editable_fields_only(apex, apex_as, assistant, clock):
    skill = apex.create_skill(assistant["id"])
    other_assistant = apex.create_assistant()
    patched = apex.ok("PATCH", f"/ai-assistant-skills/{skill['id']}", json={
        "content": "Refund within 60 days.", "when_to_use": "Always.",
        "assistant_id": other_assistant["id"], "organization_id": apex_as().organization_id})
    assert patched == {**skill, "content": "Refund within 60 days.", "when_to_use": "Always.",
                       "updated_at": "2026-04-25T19:00:00.001Z"}
    assert apex.ok("GET", f"/ai-assistant-skills/{skill['id']}") == patched


def test_patch_validates_the_fields_sent(apex, assistant, feathers, ajv_error):
    skill = apex.create_skill(assistant["id"])
    response = apex.patch(f"/ai-assistant-skills/{skill['id']}", json={"content": ""})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/content", "#/allOf/0/properties/content/minLength", "minLength",
                  {"limit": 1}, "must NOT have fewer than 1 characters")))


def test_a_skill_of_a_deleted_assistant_stays_editable(apex, assistant):
    skill = apex.create_skill(assistant["id"])
    apex.ok("DELETE", f"/ai-assistants/{assistant['id']}")
    patched = apex.ok("PATCH", f"/ai-assistant-skills/{skill['id']}", json={"name": "Kept"})
    assert patched["name"] == "Kept"


def test_delete_removes_the_skill_for_good(apex, assistant, feathers):
    skill = apex.create_skill(assistant["id"])
    assert apex.ok("DELETE", f"/ai-assistant-skills/{skill['id']}") == skill
    for method in ("GET", "DELETE"):
        response = apex.request(method, f"/ai-assistant-skills/{skill['id']}")
        assert (response.status_code, response.json()) == (404, feathers.not_found(skill["id"]))
    assert apex.ok("GET", "/ai-assistant-skills")["total"] == 0


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"name": "X"}),
                                              ("DELETE", None)])
def test_an_unknown_skill_answers_404(apex, feathers, method, body):
    response = apex.request(method, "/ai-assistant-skills/987654321", json=body)
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))
