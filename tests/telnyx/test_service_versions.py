"""Telnyx assistant versions and canary deploys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistants.canary_deploy_response import CanaryDeployResponse
from telnyx.types.ai.inference_embedding import InferenceEmbedding

from assistant_fake.vendors.telnyx.rules import MAX_VERSIONS, BadRequest, NotFound

HANGUP = {"type": "hangup", "hangup": {"description": "Hang up."}}


@pytest.fixture
def assistant(create_assistant):
    return create_assistant(name="v1", instructions="Help.")


def draft(assistants, assistant, name: str = "draft") -> dict:
    return assistants.update("acme", assistant["id"], {"name": name, "promote_to_main": False})


def version_ids(assistants, assistant) -> list[str]:
    return [v["version_id"] for v in assistants.list_versions("acme", assistant["id"])["data"]]


def serve(version_id: str) -> dict:
    return {"rules": [{"serve": {"version_id": version_id}}]}


# --- versions -------------------------------------------------------------------------------

def test_every_update_is_kept_as_a_version_newest_first(assistants, assistant, store, t0):
    store.clock.freeze(t0 + timedelta(minutes=1))
    second = assistants.update("acme", assistant["id"], {"name": "v2"})
    versions = assistants.list_versions("acme", assistant["id"])["data"]
    assert [v["name"] for v in versions] == ["v2", "v1"]
    assert versions[0] == second
    for version in versions:
        validate_type(type_=InferenceEmbedding, value=version)


def test_get_version_answers_any_version(assistants, assistant):
    assistants.update("acme", assistant["id"], {"name": "v2"})
    assert assistants.get_version("acme", assistant["id"], assistant["version_id"]) == assistant


def test_get_unknown_version_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.get_version("acme", assistant["id"], "no-such-version")


def test_update_version_changes_a_non_main_version_in_place(assistants, assistant):
    pending = draft(assistants, assistant)
    changed = assistants.update_version("acme", assistant["id"], pending["version_id"],
                                        {"instructions": "Be brief."})
    assert changed["version_id"] == pending["version_id"]
    assert changed["instructions"] == "Be brief." and changed["name"] == "draft"
    assert assistants.get("acme", assistant["id"]) == assistant


def test_update_version_refuses_the_main_version(assistants, assistant):
    with pytest.raises(BadRequest, match="main version"):
        assistants.update_version("acme", assistant["id"], assistant["version_id"], {"name": "x"})


def test_update_version_applies_the_single_instance_tool_rule(assistants, assistant):
    pending = draft(assistants, assistant)
    with pytest.raises(BadRequest):
        assistants.update_version("acme", assistant["id"], pending["version_id"],
                                  {"tools": [HANGUP, HANGUP]})


def test_delete_version_removes_a_non_main_version(assistants, assistant):
    pending = draft(assistants, assistant)
    assistants.delete_version("acme", assistant["id"], pending["version_id"])
    assert version_ids(assistants, assistant) == [assistant["version_id"]]


def test_delete_version_refuses_the_main_version(assistants, assistant):
    with pytest.raises(BadRequest, match="main version"):
        assistants.delete_version("acme", assistant["id"], assistant["version_id"])


def test_delete_unknown_version_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.delete_version("acme", assistant["id"], "no-such-version")


def test_delete_version_served_by_the_canary_is_refused(assistants, assistant):
    pending = draft(assistants, assistant)
    assistants.create_canary("acme", assistant["id"], serve(pending["version_id"]))
    with pytest.raises(BadRequest, match="canary"):
        assistants.delete_version("acme", assistant["id"], pending["version_id"])


def test_promote_makes_the_version_main(assistants, assistant):
    pending = draft(assistants, assistant)
    promoted = assistants.promote_version("acme", assistant["id"], pending["version_id"])
    assert promoted == pending
    assert assistants.get("acme", assistant["id"]) == pending


def test_promote_removes_the_canary_deploy(assistants, assistant):
    pending = draft(assistants, assistant)
    assistants.create_canary("acme", assistant["id"], serve(pending["version_id"]))
    assistants.promote_version("acme", assistant["id"], pending["version_id"])
    with pytest.raises(NotFound):
        assistants.get_canary("acme", assistant["id"])


def test_promote_unknown_version_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.promote_version("acme", assistant["id"], "no-such-version")


def test_an_assistant_keeps_at_most_ten_versions_dropping_the_oldest(assistants, assistant):
    for number in range(2, 13):
        assistants.update("acme", assistant["id"], {"name": f"v{number}"})
    names = [v["name"] for v in assistants.list_versions("acme", assistant["id"])["data"]]
    assert len(names) == MAX_VERSIONS
    assert names == [f"v{number}" for number in range(12, 2, -1)]


def test_version_pruning_spares_the_main_and_canary_versions(assistants, assistant):
    pending = draft(assistants, assistant)
    assistants.create_canary("acme", assistant["id"], serve(pending["version_id"]))
    for number in range(12):
        assistants.update("acme", assistant["id"], {"name": f"d{number}",
                                                     "promote_to_main": False})
    kept = version_ids(assistants, assistant)
    assert len(kept) == MAX_VERSIONS
    assert assistant["version_id"] in kept and pending["version_id"] in kept


def test_versions_of_another_tenants_assistant_are_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.list_versions("globex", assistant["id"])


# --- canary deploys -------------------------------------------------------------------------

def test_create_canary_answers_the_sdk_canary_shape(assistants, assistant):
    pending = draft(assistants, assistant)
    body = {"rules": [{"match": [{"attribute": "to", "operator": "in", "values": ["+1"]}],
                       "serve": {"version_id": pending["version_id"]}},
                      {"serve": {"rollout": [{"version_id": pending["version_id"],
                                              "weight": 10}]}}]}
    canary = assistants.create_canary("acme", assistant["id"], body)
    validate_type(type_=CanaryDeployResponse, value=canary)
    assert canary["assistant_id"] == assistant["id"]
    assert canary["rules"][1] == {"serve": body["rules"][1]["serve"], "match": []}
    assert canary["created_at"] == canary["updated_at"] == "2026-11-21T10:00:00.000Z"


def test_get_canary_answers_the_created_canary(assistants, assistant):
    canary = assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))
    assert assistants.get_canary("acme", assistant["id"]) == canary


def test_get_canary_when_none_exists_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.get_canary("acme", assistant["id"])


def test_create_canary_when_one_exists_is_refused(assistants, assistant):
    assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))
    with pytest.raises(BadRequest, match="already"):
        assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))


def test_create_canary_with_unknown_version_is_refused_and_stores_nothing(assistants, assistant):
    with pytest.raises(BadRequest):
        assistants.create_canary("acme", assistant["id"], serve("no-such-version"))
    with pytest.raises(NotFound):
        assistants.get_canary("acme", assistant["id"])


def test_create_canary_with_weights_summing_to_100_is_refused(assistants, assistant):
    pending = draft(assistants, assistant)
    rollout = [{"version_id": pending["version_id"], "weight": 60},
               {"version_id": assistant["version_id"], "weight": 40}]
    with pytest.raises(BadRequest, match="weights"):
        assistants.create_canary("acme", assistant["id"], {"rules": [{"serve":
                                                                      {"rollout": rollout}}]})


def test_update_canary_replaces_the_rules_and_keeps_created_at(assistants, assistant, store, t0):
    pending = draft(assistants, assistant)
    created = assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))
    store.clock.freeze(t0 + timedelta(hours=1))
    updated = assistants.update_canary("acme", assistant["id"], serve(pending["version_id"]))
    assert updated["rules"] == [{"serve": {"version_id": pending["version_id"]}, "match": []}]
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_at"] == "2026-11-21T11:00:00.000Z"


def test_update_canary_when_none_exists_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.update_canary("acme", assistant["id"], serve(assistant["version_id"]))


def test_update_canary_with_bad_rules_keeps_the_old_rules(assistants, assistant):
    created = assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))
    with pytest.raises(BadRequest):
        assistants.update_canary("acme", assistant["id"], serve("no-such-version"))
    assert assistants.get_canary("acme", assistant["id"]) == created


def test_delete_canary_removes_it(assistants, assistant):
    assistants.create_canary("acme", assistant["id"], serve(assistant["version_id"]))
    assert assistants.delete_canary("acme", assistant["id"]) is None
    with pytest.raises(NotFound):
        assistants.get_canary("acme", assistant["id"])


def test_delete_canary_when_none_exists_is_not_found(assistants, assistant):
    with pytest.raises(NotFound):
        assistants.delete_canary("acme", assistant["id"])


def test_canary_of_unknown_assistant_is_not_found(assistants):
    with pytest.raises(NotFound):
        assistants.create_canary("acme", "assistant-missing", {"rules": []})
