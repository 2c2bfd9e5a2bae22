"""Telnyx over HTTP: deleting assistants, Recently Deleted, and restoring.

DELETE is a soft delete by default: the assistant leaves every other path but stays in Recently
Deleted for 30 days and can be restored; ``hard_delete=true`` erases it. An assistant another
one hands off to (a handoff tool or a conversation-flow edge) cannot be deleted (400, 10015).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from assistant_fake.store import isoformat


def delete(telnyx, assistant_id: str, **params: Any):
    return telnyx.delete(f"/ai/assistants/{assistant_id}", params=params)


def handoff_to(assistant_id: str) -> dict[str, Any]:
    return {"type": "handoff", "handoff": {"ai_assistants": [{"id": assistant_id,
                                                              "name": "Billing"}]}}


def flow_to(assistant_id: str) -> dict[str, Any]:
    return {"start_node_id": "greet",
            "nodes": [{"id": "greet", "instructions": "Greet the caller."}],
            "edges": [{"id": "to-billing", "start_node_id": "greet",
                       "condition": {"type": "llm", "prompt": "The caller asks about a bill."},
                       "target": {"type": "assistant", "assistant_id": assistant_id}}]}


def referenced_detail(target: str, by: str) -> str:
    return (f"Assistant {target} is referenced by assistant {by} through a handoff tool or a "
            "conversation-flow edge; remove that reference first.")


# --- delete ---------------------------------------------------------------------------------

def test_delete_answers_the_deleted_object(telnyx, assistant):
    response = delete(telnyx, assistant["id"])
    assert response.status_code == 200
    assert response.json() == {"id": assistant["id"], "object": "assistant.deleted",
                               "deleted": True}


def test_a_soft_deleted_assistant_leaves_get_and_list(telnyx, telnyx_errors, assistant):
    delete(telnyx, assistant["id"])
    response = telnyx.get(f"/ai/assistants/{assistant['id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found(assistant["id"])
    assert telnyx.get("/ai/assistants").json() == {"data": []}


def test_soft_deleting_twice_is_404(telnyx, telnyx_errors, assistant):
    delete(telnyx, assistant["id"])
    response = delete(telnyx, assistant["id"])
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found(assistant["id"])


def test_delete_of_an_unknown_assistant_is_404(telnyx, telnyx_errors):
    response = delete(telnyx, "assistant-unknown", hard_delete="true")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found("assistant-unknown")


def test_hard_delete_answers_the_same_deleted_object(telnyx, assistant):
    response = delete(telnyx, assistant["id"], hard_delete="true")
    assert response.status_code == 200
    assert response.json() == {"id": assistant["id"], "object": "assistant.deleted",
                               "deleted": True}


def test_a_hard_deleted_assistant_is_not_in_recently_deleted(telnyx, telnyx_errors, assistant):
    delete(telnyx, assistant["id"], hard_delete="true")
    assert telnyx.get("/ai/assistants/deleted").json()["data"] == []
    response = telnyx.get(f"/ai/assistants/{assistant['id']}/deleted")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Deleted assistant {assistant['id']} not found.")


def test_a_hard_deleted_assistant_cannot_be_restored(telnyx, assistant):
    delete(telnyx, assistant["id"], hard_delete="true")
    assert telnyx.post(f"/ai/assistants/{assistant['id']}/restore").status_code == 404


def test_hard_delete_erases_an_assistant_that_is_already_soft_deleted(telnyx, assistant):
    delete(telnyx, assistant["id"])
    assert delete(telnyx, assistant["id"], hard_delete="true").status_code == 200
    assert telnyx.get("/ai/assistants/deleted").json()["data"] == []


@pytest.mark.parametrize("value", ["false", "0", "no", "off"])
def test_hard_delete_false_words_make_a_soft_delete(telnyx, assistant, value):
    delete(telnyx, assistant["id"], hard_delete=value)
    assert telnyx.get(f"/ai/assistants/{assistant['id']}/deleted").status_code == 200


@pytest.mark.parametrize("value", ["true", "1", "yes", "on", "True"])
def test_hard_delete_true_words_erase(telnyx, assistant, value):
    delete(telnyx, assistant["id"], hard_delete=value)
    assert telnyx.get(f"/ai/assistants/{assistant['id']}/deleted").status_code == 404


def test_hard_delete_that_is_not_a_boolean_is_bool_parsing(telnyx, assistant):
    response = delete(telnyx, assistant["id"], hard_delete="forever")
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "bool_parsing", "loc": ["query", "hard_delete"],
        "msg": "Input should be a valid boolean, unable to interpret input",
        "input": "forever"}]}
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").status_code == 200


def test_an_empty_hard_delete_is_bool_parsing(telnyx, assistant):
    response = telnyx.delete(f"/ai/assistants/{assistant['id']}?hard_delete=")
    assert response.json()["detail"][0]["type"] == "bool_parsing"


# --- handoff references ---------------------------------------------------------------------

def test_delete_of_an_assistant_another_hands_off_to_is_refused_with_10015(
        telnyx, telnyx_errors, assistant):
    front = telnyx.create_assistant(name="Front desk", tools=[handoff_to(assistant["id"])])
    response = delete(telnyx, assistant["id"])
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        referenced_detail(assistant["id"], front["id"]))
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").status_code == 200


def test_hard_delete_of_a_referenced_assistant_is_refused_too(telnyx, assistant):
    telnyx.create_assistant(name="Front desk", tools=[handoff_to(assistant["id"])])
    assert delete(telnyx, assistant["id"], hard_delete="true").status_code == 400


def test_delete_of_an_assistant_a_conversation_flow_edge_targets_is_refused(
        telnyx, telnyx_errors, assistant):
    front = telnyx.create_assistant(name="Front desk", conversation_flow=flow_to(assistant["id"]))
    response = delete(telnyx, assistant["id"])
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        referenced_detail(assistant["id"], front["id"]))


def test_a_flow_edge_to_a_node_is_no_reference(telnyx, assistant):
    flow = flow_to(assistant["id"])
    flow["edges"][0]["target"] = {"type": "node", "node_id": assistant["id"]}
    telnyx.create_assistant(name="Front desk", conversation_flow=flow)
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_delete_is_allowed_once_the_reference_is_removed(telnyx, assistant):
    front = telnyx.create_assistant(name="Front desk", tools=[handoff_to(assistant["id"])])
    telnyx.post(f"/ai/assistants/{front['id']}", json={"tools": []})
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_a_reference_from_a_soft_deleted_assistant_does_not_block(telnyx, assistant):
    front = telnyx.create_assistant(name="Front desk", tools=[handoff_to(assistant["id"])])
    delete(telnyx, front["id"])
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_a_reference_in_an_unpromoted_draft_does_not_block(telnyx, assistant):
    front = telnyx.create_assistant(name="Front desk")
    telnyx.post(f"/ai/assistants/{front['id']}",
                json={"tools": [handoff_to(assistant["id"])], "promote_to_main": False})
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_an_assistant_handing_off_to_itself_can_be_deleted(telnyx):
    assistant = telnyx.create_assistant()
    telnyx.post(f"/ai/assistants/{assistant['id']}", json={"tools": [handoff_to(assistant["id"])]})
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_an_assistant_that_hands_off_can_itself_be_deleted(telnyx, assistant):
    front = telnyx.create_assistant(name="Front desk", tools=[handoff_to(assistant["id"])])
    assert delete(telnyx, front["id"]).status_code == 200


# --- recently deleted -----------------------------------------------------------------------

def test_recently_deleted_of_a_new_account_is_an_empty_page(telnyx):
    response = telnyx.get("/ai/assistants/deleted")
    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": {"page_number": 1, "page_size": 20,
                                                     "total_pages": 0, "total_results": 0}}


def test_recently_deleted_lists_the_assistant_with_its_deletion_times(telnyx, clock, assistant):
    delete(telnyx, assistant["id"])
    now = clock.now()
    response = telnyx.get("/ai/assistants/deleted")
    assert response.json() == {
        "data": [{**assistant, "deleted_at": isoformat(now),
                  "permanently_deleted_at": isoformat(now + timedelta(days=30))}],
        "meta": {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 1}}


def test_recently_deleted_lists_the_most_recently_deleted_first(telnyx, clock):
    first, second, third = (telnyx.create_assistant(name=n) for n in ("A", "B", "C"))
    for assistant in (second, first, third):
        delete(telnyx, assistant["id"])
        clock.freeze(clock.now() + timedelta(seconds=1))
    names = [a["name"] for a in telnyx.get("/ai/assistants/deleted").json()["data"]]
    assert names == ["C", "A", "B"]


def test_recently_deleted_pages(telnyx):
    for n in range(5):
        delete(telnyx, telnyx.create_assistant(name=f"Bot {n}")["id"])
    response = telnyx.get("/ai/assistants/deleted", params={"page[number]": 2, "page[size]": 2})
    assert len(response.json()["data"]) == 2
    assert response.json()["meta"] == {"page_number": 2, "page_size": 2, "total_pages": 3,
                                       "total_results": 5}


def test_a_page_past_the_end_is_empty_but_keeps_the_totals(telnyx, assistant):
    delete(telnyx, assistant["id"])
    response = telnyx.get("/ai/assistants/deleted", params={"page[number]": 3})
    assert response.json() == {"data": [], "meta": {"page_number": 3, "page_size": 20,
                                                     "total_pages": 1, "total_results": 1}}


@pytest.mark.parametrize(("param", "value", "error"), [
    ("page[number]", "0", {"type": "greater_than_equal",
                           "msg": "Input should be greater than or equal to 1",
                           "ctx": {"ge": 1}}),
    ("page[size]", "0", {"type": "greater_than_equal",
                         "msg": "Input should be greater than or equal to 1", "ctx": {"ge": 1}}),
    ("page[size]", "101", {"type": "less_than_equal",
                           "msg": "Input should be less than or equal to 100",
                           "ctx": {"le": 100}}),
    ("page[number]", "first", {"type": "int_parsing", "msg": "Input should be a valid integer, "
                                                             "unable to parse string as an "
                                                             "integer"}),
    ("page[size]", "2.5", {"type": "int_parsing", "msg": "Input should be a valid integer, "
                                                         "unable to parse string as an "
                                                         "integer"}),
])
def test_recently_deleted_refuses_page_parameters_out_of_bounds(telnyx, param, value, error):
    response = telnyx.get("/ai/assistants/deleted", params={param: value})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["query", param], "input": value, **error}]}


def test_recently_deleted_lists_both_page_errors(telnyx):
    response = telnyx.get("/ai/assistants/deleted", params={"page[number]": "-1",
                                                            "page[size]": "1000"})
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("greater_than_equal", ["query", "page[number]"]),
        ("less_than_equal", ["query", "page[size]"])]


@pytest.mark.parametrize("size", ["1", "100"])
def test_recently_deleted_accepts_page_sizes_on_the_bounds(telnyx, size):
    response = telnyx.get("/ai/assistants/deleted", params={"page[size]": size})
    assert response.json()["meta"]["page_size"] == int(size)


def test_recently_deleted_shows_only_the_callers_own_assistants(telnyx, other_tenant, assistant):
    theirs = other_tenant.create_assistant()
    other_tenant.delete(f"/ai/assistants/{theirs['id']}")
    assert telnyx.get("/ai/assistants/deleted").json()["data"] == []


def test_an_assistant_is_erased_30_days_after_a_soft_delete(telnyx, telnyx_errors, clock,
                                                            assistant):
    delete(telnyx, assistant["id"])
    clock.freeze(clock.now() + timedelta(days=30))
    assert telnyx.get("/ai/assistants/deleted").json()["data"] == []
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Deleted assistant {assistant['id']} not found.")


def test_an_assistant_is_still_restorable_just_before_30_days(telnyx, clock, assistant):
    delete(telnyx, assistant["id"])
    clock.freeze(clock.now() + timedelta(days=30) - timedelta(milliseconds=1))
    assert telnyx.post(f"/ai/assistants/{assistant['id']}/restore").status_code == 200


# --- get deleted ----------------------------------------------------------------------------

def test_get_deleted_answers_the_deleted_assistant(telnyx, assistant):
    delete(telnyx, assistant["id"])
    listed = telnyx.get("/ai/assistants/deleted").json()["data"][0]
    response = telnyx.get(f"/ai/assistants/{assistant['id']}/deleted")
    assert response.status_code == 200
    assert response.json() == listed


def test_get_deleted_of_an_active_assistant_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}/deleted")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Deleted assistant {assistant['id']} not found.")


# --- restore --------------------------------------------------------------------------------

def test_restore_answers_the_assistant_as_it_was(telnyx, assistant):
    delete(telnyx, assistant["id"])
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert response.status_code == 200
    assert response.json() == assistant


def test_a_restored_assistant_is_back_everywhere(telnyx, assistant):
    delete(telnyx, assistant["id"])
    telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant
    assert telnyx.get("/ai/assistants").json() == {"data": [assistant]}
    assert telnyx.get("/ai/assistants/deleted").json()["data"] == []


def test_a_restored_assistant_keeps_its_versions(telnyx, assistant, new_version):
    draft = new_version(name="Draft")
    delete(telnyx, assistant["id"])
    telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    versions = telnyx.get(f"/ai/assistants/{assistant['id']}/versions").json()["data"]
    assert versions == [draft, assistant]


def test_a_restored_assistant_can_be_deleted_again(telnyx, assistant):
    delete(telnyx, assistant["id"])
    telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert delete(telnyx, assistant["id"]).status_code == 200


def test_restore_of_an_active_assistant_is_404(telnyx, telnyx_errors, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Deleted assistant {assistant['id']} not found.")


def test_restore_of_another_accounts_deleted_assistant_is_404(telnyx, other_tenant):
    theirs = other_tenant.create_assistant()
    other_tenant.delete(f"/ai/assistants/{theirs['id']}")
    assert telnyx.post(f"/ai/assistants/{theirs['id']}/restore").status_code == 404
    assert other_tenant.get(f"/ai/assistants/{theirs['id']}/deleted").status_code == 200
