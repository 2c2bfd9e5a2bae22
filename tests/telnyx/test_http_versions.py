"""Telnyx over HTTP: an assistant's versions, and promoting one to main.

Every update saves a version; the main version is what GET /ai/assistants/{id} answers.
Non-main versions can be read, changed in place and deleted through the versions path; the
main version cannot be changed or deleted there (400, Telnyx code 10015).
"""

from __future__ import annotations

from typing import Any

import pytest

HANGUP = {"type": "hangup", "hangup": {"description": "Hang up."}}


def versions(telnyx, assistant_id: str) -> list[dict[str, Any]]:
    response = telnyx.get(f"/ai/assistants/{assistant_id}/versions")
    assert response.status_code == 200
    return response.json()["data"]


def version_path(assistant: dict[str, Any], version_id: str) -> str:
    return f"/ai/assistants/{assistant['id']}/versions/{version_id}"


# --- list -----------------------------------------------------------------------------------

def test_a_new_assistant_has_one_version_its_main(telnyx, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}/versions")
    assert response.status_code == 200
    assert response.json() == {"data": [assistant]}


def test_versions_are_listed_newest_first(telnyx, assistant):
    second = telnyx.post(f"/ai/assistants/{assistant['id']}", json={"name": "Second"}).json()
    third = telnyx.post(f"/ai/assistants/{assistant['id']}", json={"name": "Third"}).json()
    assert versions(telnyx, assistant["id"]) == [third, second, assistant]


def test_versions_include_drafts_that_were_not_promoted(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    assert versions(telnyx, assistant["id"]) == [draft, assistant]


def test_versions_share_the_assistant_id_and_creation_time(telnyx, assistant, new_version):
    new_version()
    assert {(v["id"], v["created_at"]) for v in versions(telnyx, assistant["id"])} == {
        (assistant["id"], assistant["created_at"])}


def test_an_assistant_keeps_its_ten_newest_versions(telnyx, assistant):
    answers = [telnyx.post(f"/ai/assistants/{assistant['id']}", json={"name": f"v{n}"}).json()
               for n in range(2, 12)]
    listed = versions(telnyx, assistant["id"])
    assert listed == list(reversed(answers))
    response = telnyx.get(version_path(assistant, assistant["version_id"]))
    assert response.status_code == 404


def test_pruning_never_drops_the_main_version(telnyx, assistant, new_version):
    drafts = [new_version(name=f"Draft {n}") for n in range(10)]
    listed = versions(telnyx, assistant["id"])
    assert len(listed) == 10
    assert assistant in listed
    assert drafts[0] not in listed


def test_pruning_never_drops_a_version_the_canary_serves(telnyx, assistant, new_version):
    served = new_version(name="Canary")
    telnyx.post(f"/ai/assistants/{assistant['id']}/canary-deploys",
                json={"rules": [{"serve": {"version_id": served["version_id"]}}]})
    for n in range(10):
        new_version(name=f"Later {n}")
    listed_ids = [v["version_id"] for v in versions(telnyx, assistant["id"])]
    assert len(listed_ids) == 10
    assert served["version_id"] in listed_ids
    assert assistant["version_id"] in listed_ids


# --- get ------------------------------------------------------------------------------------

def test_get_version_answers_that_version(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    response = telnyx.get(version_path(assistant, draft["version_id"]))
    assert response.status_code == 200
    assert response.json() == draft


def test_get_version_answers_the_main_version_too(telnyx, assistant):
    assert telnyx.get(version_path(assistant, assistant["version_id"])).json() == assistant


def test_get_version_accepts_include_mcp_servers(telnyx):
    assistant = telnyx.create_assistant(mcp_servers=[{"id": "mcp-1", "allowed_tools": ["a"]}])
    response = telnyx.get(version_path(assistant, assistant["version_id"]),
                          params={"include_mcp_servers": "true"})
    assert response.json()["mcp_servers"] == [{"id": "mcp-1", "allowed_tools": ["a"]}]


def test_get_version_refuses_include_mcp_servers_that_is_not_a_boolean(telnyx, assistant):
    response = telnyx.get(version_path(assistant, assistant["version_id"]),
                          params={"include_mcp_servers": "all"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "bool_parsing", "loc": ["query", "include_mcp_servers"],
        "msg": "Input should be a valid boolean, unable to interpret input", "input": "all"}]}


def test_get_of_an_unknown_version_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.get(version_path(assistant, "version-unknown"))
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Version version-unknown of assistant {assistant['id']} not found.")


def test_a_version_of_another_assistant_is_not_found(telnyx, telnyx_errors, assistant):
    other = telnyx.create_assistant(name="Other")
    response = telnyx.get(version_path(assistant, other["version_id"]))
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Version {other['version_id']} of assistant {assistant['id']} not found.")


# --- update ---------------------------------------------------------------------------------

def test_update_version_changes_a_draft_in_place(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    response = telnyx.post(version_path(assistant, draft["version_id"]),
                           json={"greeting": "Welcome!"})
    assert response.status_code == 200
    assert response.json() == {**draft, "greeting": "Welcome!"}
    assert telnyx.get(version_path(assistant, draft["version_id"])).json() == response.json()


def test_update_version_saves_no_new_version_and_leaves_main_alone(
        telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    telnyx.post(version_path(assistant, draft["version_id"]), json={"name": "Draft 2"})
    assert [v["version_id"] for v in versions(telnyx, assistant["id"])] == [
        draft["version_id"], assistant["version_id"]]
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant


def test_update_version_can_rename_the_version(telnyx, assistant, new_version):
    draft = new_version()
    renamed = telnyx.post(version_path(assistant, draft["version_id"]),
                          json={"version_name": "Holiday hours"}).json()
    assert renamed["version_name"] == "Holiday hours"


def test_update_version_ignores_promote_to_main(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    updated = telnyx.post(version_path(assistant, draft["version_id"]),
                          json={"name": "Draft 2", "promote_to_main": True}).json()
    assert "promote_to_main" not in updated
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json()["name"] == "Support bot"


def test_update_version_of_the_main_version_is_refused_with_10015(
        telnyx, telnyx_errors, assistant):
    response = telnyx.post(version_path(assistant, assistant["version_id"]), json={"name": "X"})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "The main version cannot be updated through the versions endpoint; update the "
        "assistant instead.")
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant


def test_update_version_refuses_duplicate_single_instance_tools(
        telnyx, telnyx_errors, assistant, new_version):
    draft = new_version()
    response = telnyx.post(version_path(assistant, draft["version_id"]),
                           json={"tools": [HANGUP, HANGUP]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "Only one tool of type 'hangup' is allowed per assistant.")
    assert telnyx.get(version_path(assistant, draft["version_id"])).json() == draft


def test_update_version_validates_the_body_like_an_update(telnyx, assistant, new_version):
    draft = new_version()
    response = telnyx.post(version_path(assistant, draft["version_id"]),
                           json={"version_name": "x" * 51, "tools": [{"type": "nope"}]})
    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("union_tag_invalid", ["body", "tools", 0]),
        ("string_too_long", ["body", "version_name"])]


def test_update_version_coerces_lax_values(telnyx, assistant, new_version):
    draft = new_version()
    updated = telnyx.post(version_path(assistant, draft["version_id"]),
                          json={"dynamic_variables_webhook_timeout_ms": "900"}).json()
    assert updated["dynamic_variables_webhook_timeout_ms"] == 900


def test_update_of_an_unknown_version_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.post(version_path(assistant, "version-unknown"), json={"name": "X"})
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Version version-unknown of assistant {assistant['id']} not found.")


def test_update_version_without_a_body_is_missing_body(telnyx, assistant, new_version):
    draft = new_version()
    response = telnyx.post(version_path(assistant, draft["version_id"]))
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


# --- delete ---------------------------------------------------------------------------------

def test_delete_version_answers_204_without_a_body(telnyx, assistant, new_version):
    draft = new_version()
    response = telnyx.delete(version_path(assistant, draft["version_id"]))
    assert response.status_code == 204
    assert response.content == b""


def test_a_deleted_version_is_gone(telnyx, telnyx_errors, assistant, new_version):
    draft = new_version()
    telnyx.delete(version_path(assistant, draft["version_id"]))
    assert versions(telnyx, assistant["id"]) == [assistant]
    response = telnyx.get(version_path(assistant, draft["version_id"]))
    assert response.status_code == 404


def test_deleting_a_version_twice_is_404(telnyx, telnyx_errors, assistant, new_version):
    draft = new_version()
    telnyx.delete(version_path(assistant, draft["version_id"]))
    response = telnyx.delete(version_path(assistant, draft["version_id"]))
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Version {draft['version_id']} of assistant {assistant['id']} not found.")


def test_delete_of_the_main_version_is_refused_with_10015(telnyx, telnyx_errors, assistant):
    response = telnyx.delete(version_path(assistant, assistant["version_id"]))
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "The main version cannot be deleted through the versions endpoint; update the "
        "assistant instead.")
    assert versions(telnyx, assistant["id"]) == [assistant]


def test_delete_of_a_version_the_canary_serves_is_refused(
        telnyx, telnyx_errors, assistant, new_version):
    draft = new_version()
    telnyx.post(f"/ai/assistants/{assistant['id']}/canary-deploys", json={"rules": [
        {"serve": {"rollout": [{"version_id": draft["version_id"], "weight": 10}]}}]})
    response = telnyx.delete(version_path(assistant, draft["version_id"]))
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        f"Version {draft['version_id']} is served by the canary deploy; update or delete the "
        "canary deploy first.")


def test_a_version_can_be_deleted_once_the_canary_is_gone(telnyx, assistant, new_version):
    draft = new_version()
    canary = f"/ai/assistants/{assistant['id']}/canary-deploys"
    telnyx.post(canary, json={"rules": [{"serve": {"version_id": draft["version_id"]}}]})
    telnyx.delete(canary)
    assert telnyx.delete(version_path(assistant, draft["version_id"])).status_code == 204


# --- promote --------------------------------------------------------------------------------

def test_promote_answers_the_assistant_with_the_promoted_version(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    response = telnyx.post(version_path(assistant, draft["version_id"]) + "/promote")
    assert response.status_code == 200
    assert response.json() == draft
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == draft


def test_promote_keeps_the_old_main_as_a_version(telnyx, assistant, new_version):
    draft = new_version()
    telnyx.post(version_path(assistant, draft["version_id"]) + "/promote")
    assert versions(telnyx, assistant["id"]) == [draft, assistant]


def test_a_demoted_version_can_be_updated_and_deleted(telnyx, assistant, new_version):
    draft = new_version()
    telnyx.post(version_path(assistant, draft["version_id"]) + "/promote")
    old_main = version_path(assistant, assistant["version_id"])
    assert telnyx.post(old_main, json={"name": "Old"}).status_code == 200
    assert telnyx.delete(old_main).status_code == 204


def test_promote_of_the_main_version_changes_nothing(telnyx, assistant):
    response = telnyx.post(version_path(assistant, assistant["version_id"]) + "/promote")
    assert response.status_code == 200
    assert response.json() == assistant


def test_promote_removes_the_canary_deploy(telnyx, telnyx_errors, assistant, new_version):
    draft = new_version()
    canary = f"/ai/assistants/{assistant['id']}/canary-deploys"
    telnyx.post(canary, json={"rules": [{"serve": {"version_id": draft["version_id"]}}]})
    telnyx.post(version_path(assistant, draft["version_id"]) + "/promote")
    response = telnyx.get(canary)
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant {assistant['id']} has no canary deploy.")


def test_promote_of_the_main_version_still_removes_the_canary_deploy(
        telnyx, assistant, new_version):
    draft = new_version()
    canary = f"/ai/assistants/{assistant['id']}/canary-deploys"
    telnyx.post(canary, json={"rules": [{"serve": {"version_id": draft["version_id"]}}]})
    telnyx.post(version_path(assistant, assistant["version_id"]) + "/promote")
    assert telnyx.get(canary).status_code == 404


def test_promote_of_an_unknown_version_is_404_and_changes_nothing(
        telnyx, telnyx_errors, assistant):
    response = telnyx.post(version_path(assistant, "version-unknown") + "/promote")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Version version-unknown of assistant {assistant['id']} not found.")
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant


@pytest.mark.parametrize("body", [{"version_id": "other"}, [1, 2]])
def test_promote_ignores_any_body(telnyx, assistant, new_version, body):
    draft = new_version()
    response = telnyx.post(version_path(assistant, draft["version_id"]) + "/promote", json=body)
    assert response.status_code == 200
    assert response.json()["version_id"] == draft["version_id"]
