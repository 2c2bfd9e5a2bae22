"""Telnyx over HTTP: canary deploys, which route part of an assistant's traffic to versions.

One canary deploy per assistant: POST creates it (200), PUT replaces its rules, DELETE removes
it (204). Each rule serves exactly one version or a weighted rollout of versions (weights > 0,
summing to less than 100, the rest going to main). Broken rules are 400, Telnyx code 10015.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def canary(assistant) -> str:
    return f"/ai/assistants/{assistant['id']}/canary-deploys"


@pytest.fixture
def draft(new_version) -> dict[str, Any]:
    return new_version(name="Candidate")


def serve(version_id: str) -> dict[str, Any]:
    return {"serve": {"version_id": version_id}}


def rollout(*slots: tuple[str, Any]) -> dict[str, Any]:
    return {"serve": {"rollout": [{"version_id": v, "weight": w} for v, w in slots]}}


# --- create and get -------------------------------------------------------------------------

def test_create_answers_200_with_the_canary_deploy(telnyx, assistant, canary, draft):
    response = telnyx.post(canary, json={"rules": [serve(draft["version_id"])]})
    assert response.status_code == 200
    body = response.json()
    assert body == {"assistant_id": assistant["id"],
                    "rules": [{"serve": {"version_id": draft["version_id"]}, "match": []}],
                    "created_at": body["created_at"], "updated_at": body["created_at"]}
    assert TIMESTAMP.match(body["created_at"])


def test_get_answers_the_canary_deploy_as_created(telnyx, canary, draft):
    created = telnyx.post(canary, json={"rules": [serve(draft["version_id"])]}).json()
    response = telnyx.get(canary)
    assert response.status_code == 200
    assert response.json() == created


def test_create_keeps_match_clauses(telnyx, canary, draft):
    rule = {"match": [{"attribute": "telnyx_end_user_target", "operator": "starts_with",
                       "values": ["+44"]}],
            "serve": {"version_id": draft["version_id"]}}
    assert telnyx.post(canary, json={"rules": [rule]}).json()["rules"] == [rule]


def test_create_keeps_a_weighted_rollout(telnyx, canary, draft):
    created = telnyx.post(canary, json={"rules": [rollout((draft["version_id"], 25))]}).json()
    assert created["rules"] == [{"serve": {"rollout": [
        {"version_id": draft["version_id"], "weight": 25.0}]}, "match": []}]


def test_create_coerces_a_weight_given_as_a_string(telnyx, canary, draft):
    created = telnyx.post(canary, json={"rules": [rollout((draft["version_id"], "12.5"))]})
    assert created.json()["rules"][0]["serve"]["rollout"][0]["weight"] == 12.5


def test_create_may_serve_the_main_version(telnyx, assistant, canary):
    response = telnyx.post(canary, json={"rules": [serve(assistant["version_id"])]})
    assert response.status_code == 200


def test_create_without_rules_makes_an_empty_canary(telnyx, canary):
    response = telnyx.post(canary, json={})
    assert response.status_code == 200
    assert response.json()["rules"] == []


def test_create_when_a_canary_exists_is_refused_with_10015(
        telnyx, telnyx_errors, assistant, canary, draft):
    first = telnyx.post(canary, json={"rules": [serve(draft["version_id"])]}).json()
    response = telnyx.post(canary, json={"rules": []})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        f"Assistant {assistant['id']} already has a canary deploy; update it with PUT or "
        "delete it first.")
    assert telnyx.get(canary).json() == first


def test_get_without_a_canary_is_404(telnyx, telnyx_errors, assistant, canary):
    response = telnyx.get(canary)
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant {assistant['id']} has no canary deploy.")


def test_canary_deploys_belong_to_one_assistant(telnyx, canary, draft):
    telnyx.post(canary, json={"rules": [serve(draft["version_id"])]})
    other = telnyx.create_assistant(name="Other")
    assert telnyx.get(f"/ai/assistants/{other['id']}/canary-deploys").status_code == 404


# --- update ---------------------------------------------------------------------------------

def test_update_replaces_every_rule_and_keeps_created_at(telnyx, assistant, canary, draft):
    created = telnyx.post(canary, json={"rules": [serve(draft["version_id"])]}).json()
    response = telnyx.put(canary, json={"rules": [rollout((draft["version_id"], 5))]})
    assert response.status_code == 200
    updated = response.json()
    assert updated["rules"] == [{"serve": {"rollout": [
        {"version_id": draft["version_id"], "weight": 5.0}]}, "match": []}]
    assert updated["created_at"] == created["created_at"]
    assert updated["assistant_id"] == assistant["id"]
    assert telnyx.get(canary).json() == updated


def test_update_without_a_canary_is_404(telnyx, telnyx_errors, assistant, canary, draft):
    response = telnyx.put(canary, json={"rules": [serve(draft["version_id"])]})
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant {assistant['id']} has no canary deploy.")


def test_a_refused_update_keeps_the_old_rules(telnyx, canary, draft):
    created = telnyx.post(canary, json={"rules": [serve(draft["version_id"])]}).json()
    assert telnyx.put(canary, json={"rules": [serve("version-unknown")]}).status_code == 400
    assert telnyx.get(canary).json() == created


# --- delete ---------------------------------------------------------------------------------

def test_delete_answers_204_without_a_body(telnyx, canary, draft):
    telnyx.post(canary, json={"rules": [serve(draft["version_id"])]})
    response = telnyx.delete(canary)
    assert response.status_code == 204
    assert response.content == b""
    assert telnyx.get(canary).status_code == 404


def test_delete_without_a_canary_is_404(telnyx, telnyx_errors, assistant, canary):
    response = telnyx.delete(canary)
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant {assistant['id']} has no canary deploy.")


def test_a_new_canary_can_be_created_after_a_delete(telnyx, canary, draft):
    telnyx.post(canary, json={"rules": []})
    telnyx.delete(canary)
    assert telnyx.post(canary, json={"rules": [serve(draft["version_id"])]}).status_code == 200


# --- rules refused with 400 -----------------------------------------------------------------

@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_rule_serving_both_a_version_and_a_rollout_is_refused(
        telnyx, telnyx_errors, canary, draft, method):
    if method == "PUT":
        telnyx.post(canary, json={"rules": []})
    rule = {"serve": {"version_id": draft["version_id"],
                      "rollout": [{"version_id": draft["version_id"], "weight": 10}]}}
    response = telnyx.request(method, canary, json={"rules": [rule]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0].serve must set exactly one of version_id or rollout.")


def test_a_rule_serving_nothing_is_refused(telnyx, telnyx_errors, canary, draft):
    response = telnyx.post(canary, json={"rules": [serve(draft["version_id"]), {"serve": {}}]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[1].serve must set exactly one of version_id or rollout.")


def test_a_rule_serving_an_unknown_version_is_refused(telnyx, telnyx_errors, canary):
    response = telnyx.post(canary, json={"rules": [serve("version-b"), serve("version-a")]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0] serves unknown version(s): version-b.")


def test_a_rule_serving_an_empty_version_id_is_refused(telnyx, telnyx_errors, canary):
    response = telnyx.post(canary, json={"rules": [serve("")]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request("rules[0] serves unknown version(s): .")


def test_a_rollout_naming_unknown_versions_lists_them_sorted(telnyx, telnyx_errors, canary):
    response = telnyx.post(canary, json={"rules": [rollout(("v-z", 10), ("v-a", 10))]})
    assert response.json() == telnyx_errors.bad_request(
        "rules[0] serves unknown version(s): v-a, v-z.")


def test_a_version_of_another_assistant_is_unknown_to_this_canary(telnyx, telnyx_errors, canary):
    other = telnyx.create_assistant(name="Other")
    response = telnyx.post(canary, json={"rules": [serve(other["version_id"])]})
    assert response.json() == telnyx_errors.bad_request(
        f"rules[0] serves unknown version(s): {other['version_id']}.")


def test_an_empty_rollout_is_refused(telnyx, telnyx_errors, canary):
    response = telnyx.post(canary, json={"rules": [{"serve": {"rollout": []}}]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0].serve.rollout must not be empty.")


@pytest.mark.parametrize("weight", [0, -5, "NaN"])
def test_a_rollout_weight_that_is_not_positive_is_refused(
        telnyx, telnyx_errors, canary, draft, weight):
    response = telnyx.post(canary, json={"rules": [rollout((draft["version_id"], weight))]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0].serve.rollout weights must be greater than 0.")


@pytest.mark.parametrize("weights", [(100,), (60, 40), ("Infinity",)])
def test_rollout_weights_summing_to_100_or_more_are_refused(
        telnyx, telnyx_errors, assistant, canary, new_version, weights):
    slots = [(new_version(name=f"v{n}")["version_id"], w) for n, w in enumerate(weights)]
    response = telnyx.post(canary, json={"rules": [rollout(*slots)]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0].serve.rollout weights must sum to less than 100.")


def test_rollout_weights_just_under_100_are_accepted(telnyx, canary, new_version):
    first, second = new_version(name="a"), new_version(name="b")
    response = telnyx.post(canary, json={"rules": [
        rollout((first["version_id"], 49.5), (second["version_id"], 50))]})
    assert response.status_code == 200


def test_a_rollout_naming_a_version_twice_is_refused(telnyx, telnyx_errors, canary, draft):
    response = telnyx.post(canary, json={"rules": [
        rollout((draft["version_id"], 10), (draft["version_id"], 20))]})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "rules[0].serve.rollout names a version more than once.")


# --- 422 ------------------------------------------------------------------------------------

def test_create_without_a_body_is_missing_body(telnyx, canary):
    response = telnyx.post(canary)
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_rules_that_are_not_a_list_are_list_type(telnyx, canary):
    response = telnyx.put(canary, json={"rules": {"serve": {}}})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "list_type", "loc": ["body", "rules"], "msg": "Input should be a valid list",
        "input": {"serve": {}}}]}


def test_rule_errors_are_all_listed(telnyx, canary):
    response = telnyx.post(canary, json={"rules": [
        {"match": [{"attribute": "to", "operator": "equals", "values": "+1"}]},
        {"serve": {"rollout": [{"version_id": 3, "weight": "heavy"}]}}]})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "literal_error", "loc": ["body", "rules", 0, "match", 0, "operator"],
         "msg": "Input should be 'in', 'not_in' or 'starts_with'", "input": "equals",
         "ctx": {"expected": "'in', 'not_in' or 'starts_with'"}},
        {"type": "list_type", "loc": ["body", "rules", 0, "match", 0, "values"],
         "msg": "Input should be a valid list", "input": "+1"},
        {"type": "missing", "loc": ["body", "rules", 0, "serve"], "msg": "Field required",
         "input": {"match": [{"attribute": "to", "operator": "equals", "values": "+1"}]}},
        {"type": "string_type", "loc": ["body", "rules", 1, "serve", "rollout", 0, "version_id"],
         "msg": "Input should be a valid string", "input": 3},
        {"type": "float_parsing", "loc": ["body", "rules", 1, "serve", "rollout", 0, "weight"],
         "msg": "Input should be a valid number, unable to parse string as a number",
         "input": "heavy"}]}


def test_a_rollout_slot_without_weight_or_version_lists_both(telnyx, canary):
    response = telnyx.post(canary, json={"rules": [{"serve": {"rollout": [{}]}}]})
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "rules", 0, "serve", "rollout", 0, field],
         "msg": "Field required", "input": {}} for field in ("version_id", "weight")]}
