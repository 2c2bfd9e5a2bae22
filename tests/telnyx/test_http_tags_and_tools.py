"""Telnyx over HTTP: tags, shared tools (attach, detach) and tool tests.

Tags and attached shared tools change the assistant's main version in place (no new version);
both answer small bodies: ``{"tags": [...]}`` and ``{}``. The tag list of an account is every
tag on an active assistant's main version, sorted.
"""

from __future__ import annotations

from typing import Any


def add_tag(telnyx, assistant_id: str, tag: Any):
    return telnyx.post(f"/ai/assistants/{assistant_id}/tags", json={"tag": tag})


def tool_path(assistant: dict[str, Any], tool_id: str) -> str:
    return f"/ai/assistants/{assistant['id']}/tools/{tool_id}"


# --- tags of an assistant -------------------------------------------------------------------

def test_add_tag_answers_the_assistants_tags(telnyx, assistant):
    response = add_tag(telnyx, assistant["id"], "vip")
    assert response.status_code == 200
    assert response.json() == {"tags": ["vip"]}


def test_tags_keep_the_order_they_were_added_in(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    assert add_tag(telnyx, assistant["id"], "billing").json() == {"tags": ["vip", "billing"]}


def test_adding_a_tag_the_assistant_has_changes_nothing(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    assert add_tag(telnyx, assistant["id"], "vip").json() == {"tags": ["vip"]}


def test_added_tags_show_on_the_assistant(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json()["tags"] == ["vip"]


def test_add_tag_edits_the_main_version_without_a_new_version(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    versions = telnyx.get(f"/ai/assistants/{assistant['id']}/versions").json()["data"]
    assert versions == [{**assistant, "tags": ["vip"]}]


def test_add_tag_extends_tags_set_on_create(telnyx):
    assistant = telnyx.create_assistant(tags=["support"])
    assert add_tag(telnyx, assistant["id"], "vip").json() == {"tags": ["support", "vip"]}


def test_add_tag_without_a_tag_is_422(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/tags", json={"label": "vip"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "missing", "loc": ["body", "tag"],
                                           "msg": "Field required", "input": {"label": "vip"}}]}


def test_add_tag_refuses_a_tag_that_is_not_a_string(telnyx, assistant):
    response = add_tag(telnyx, assistant["id"], ["vip"])
    assert response.json() == {"detail": [{"type": "string_type", "loc": ["body", "tag"],
                                           "msg": "Input should be a valid string",
                                           "input": ["vip"]}]}


def test_add_tag_without_a_body_is_missing_body(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/tags")
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_remove_tag_answers_the_remaining_tags(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    add_tag(telnyx, assistant["id"], "billing")
    response = telnyx.delete(f"/ai/assistants/{assistant['id']}/tags/vip")
    assert response.status_code == 200
    assert response.json() == {"tags": ["billing"]}
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json()["tags"] == ["billing"]


def test_removing_a_tag_the_assistant_lacks_changes_nothing(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "vip")
    response = telnyx.delete(f"/ai/assistants/{assistant['id']}/tags/billing")
    assert response.status_code == 200
    assert response.json() == {"tags": ["vip"]}


def test_remove_tag_decodes_the_tag_in_the_path(telnyx, assistant):
    add_tag(telnyx, assistant["id"], "needs review")
    response = telnyx.delete(f"/ai/assistants/{assistant['id']}/tags/needs%20review")
    assert response.json() == {"tags": []}


# --- tags of the account --------------------------------------------------------------------

def test_the_tags_of_a_new_account_are_empty(telnyx):
    response = telnyx.get("/ai/assistants/tags")
    assert response.status_code == 200
    assert response.json() == {"tags": []}


def test_the_account_tags_are_every_tag_in_use_sorted_once(telnyx):
    telnyx.create_assistant(tags=["vip", "billing"])
    telnyx.create_assistant(tags=["support", "vip"])
    assert telnyx.get("/ai/assistants/tags").json() == {"tags": ["billing", "support", "vip"]}


def test_the_account_tags_leave_out_soft_deleted_assistants(telnyx):
    gone = telnyx.create_assistant(tags=["old"])
    telnyx.create_assistant(tags=["new"])
    telnyx.delete(f"/ai/assistants/{gone['id']}")
    assert telnyx.get("/ai/assistants/tags").json() == {"tags": ["new"]}


def test_the_account_tags_leave_out_unpromoted_drafts(telnyx, assistant):
    telnyx.post(f"/ai/assistants/{assistant['id']}",
                json={"tags": ["draft"], "promote_to_main": False})
    assert telnyx.get("/ai/assistants/tags").json() == {"tags": []}


def test_the_account_tags_are_the_callers_own(telnyx, other_tenant):
    other_tenant.create_assistant(tags=["theirs"])
    assert telnyx.get("/ai/assistants/tags").json() == {"tags": []}


# --- shared tools ---------------------------------------------------------------------------

def test_attach_tool_answers_an_empty_object(telnyx, assistant):
    response = telnyx.put(tool_path(assistant, "tool-1"))
    assert response.status_code == 200
    assert response.json() == {}


def test_attaching_a_tool_twice_answers_the_same(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    assert telnyx.put(tool_path(assistant, "tool-1")).json() == {}


def test_attach_tool_saves_no_version_and_echoes_no_tool_ids(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    assert telnyx.get(f"/ai/assistants/{assistant['id']}/versions").json() == {
        "data": [assistant]}


def test_detach_tool_answers_an_empty_object(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    response = telnyx.delete(tool_path(assistant, "tool-1"))
    assert response.status_code == 200
    assert response.json() == {}


def test_detaching_a_tool_that_is_not_attached_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.delete(tool_path(assistant, "tool-1"))
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"tool-1 is not attached to assistant {assistant['id']}.")


def test_detaching_a_tool_twice_is_404(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    telnyx.delete(tool_path(assistant, "tool-1"))
    assert telnyx.delete(tool_path(assistant, "tool-1")).status_code == 404


def test_tool_ids_sent_on_create_are_attached(telnyx):
    assistant = telnyx.create_assistant(tool_ids=["tool-1"])
    assert telnyx.delete(tool_path(assistant, "tool-1")).status_code == 200


def test_tool_ids_sent_on_update_replace_the_attached_tools(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    telnyx.post(f"/ai/assistants/{assistant['id']}", json={"tool_ids": ["tool-2"]})
    assert telnyx.delete(tool_path(assistant, "tool-1")).status_code == 404
    assert telnyx.delete(tool_path(assistant, "tool-2")).status_code == 200


def test_a_clone_keeps_the_attached_tools(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    assert telnyx.post(tool_path(clone, "tool-1") + "/test").status_code == 200


def test_tool_ids_must_be_strings(telnyx):
    response = telnyx.post("/ai/assistants", json={"name": "a", "instructions": "b",
                                                   "tool_ids": [1]})
    assert response.json() == {"detail": [{"type": "string_type", "loc": ["body", "tool_ids", 0],
                                           "msg": "Input should be a valid string",
                                           "input": 1}]}


# --- tool tests -----------------------------------------------------------------------------

def test_tool_test_answers_a_successful_call_echoing_the_request(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    response = telnyx.post(tool_path(assistant, "tool-1") + "/test", json={
        "arguments": {"order_id": 42}, "dynamic_variables": {"tier": "gold"}})
    assert response.status_code == 200
    assert response.json() == {"data": {
        "success": True, "status_code": 200, "content_type": "application/json",
        "response": '{"arguments": {"order_id": 42}, "ok": true, "tool_id": "tool-1"}',
        "request": {"tool_id": "tool-1", "arguments": {"order_id": 42},
                    "dynamic_variables": {"tier": "gold"}}}}


def test_tool_test_needs_no_body(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    response = telnyx.post(tool_path(assistant, "tool-1") + "/test")
    assert response.status_code == 200
    assert response.json()["data"]["request"] == {"tool_id": "tool-1", "arguments": {},
                                                  "dynamic_variables": {}}


def test_tool_test_of_a_tool_that_is_not_attached_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.post(tool_path(assistant, "tool-1") + "/test", json={})
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Tool tool-1 is not attached to assistant {assistant['id']}.")


def test_tool_test_refuses_arguments_that_are_not_an_object(telnyx, assistant):
    telnyx.put(tool_path(assistant, "tool-1"))
    response = telnyx.post(tool_path(assistant, "tool-1") + "/test",
                           json={"arguments": [1], "dynamic_variables": "x"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "dict_type", "loc": ["body", "arguments"], "msg": "Input should be a valid "
                                                                   "dictionary", "input": [1]},
        {"type": "dict_type", "loc": ["body", "dynamic_variables"],
         "msg": "Input should be a valid dictionary", "input": "x"}]}
