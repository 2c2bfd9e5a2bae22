"""Telnyx assistant tests, test suites and test runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistants.assistant_test import AssistantTest
from telnyx.types.ai.assistants.tests.test_run_response import TestRunResponse as RunModel

from assistant_fake.vendors.telnyx.assistant_tests import settle_run
from assistant_fake.vendors.telnyx.rules import DEFAULT_TEST_CHANNEL, BadRequest, NotFound

RUBRIC = [{"name": "Empathy", "criteria": "Acknowledges the problem."},
          {"name": "Accuracy", "criteria": "Gives the right hours."}]


@pytest.fixture
def tests(service):
    return service.tests


def new_test(tests, tenant: str = "acme", **fields) -> dict:
    body = {"name": "Opening hours", "destination": "+13125550100",
            "instructions": "Ask when the shop opens.", "rubric": RUBRIC, **fields}
    return tests.create(tenant, body)


# --- tests ----------------------------------------------------------------------------------

def test_create_answers_a_test_the_sdk_accepts(tests):
    test = new_test(tests, description="d", max_duration_seconds=120, test_suite="smoke")
    validate_type(type_=AssistantTest, value=test)
    assert test["rubric"] == RUBRIC and test["test_suite"] == "smoke"
    assert test["created_at"] == "2026-11-21T10:00:00.000Z"


def test_create_without_channel_uses_the_default_channel(tests):
    assert new_test(tests)["telnyx_conversation_channel"] == DEFAULT_TEST_CHANNEL


@pytest.mark.parametrize("field", ["name", "destination", "instructions", "rubric"])
def test_create_without_a_required_field_is_refused(tests, field):
    body = {"name": "n", "destination": "d", "instructions": "i", "rubric": RUBRIC}
    del body[field]
    with pytest.raises(BadRequest, match=field):
        tests.create("acme", body)


def test_get_answers_the_created_test(tests):
    test = new_test(tests)
    assert tests.get("acme", test["test_id"]) == test


def test_get_unknown_test_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.get("acme", "missing")


def test_update_replaces_sent_fields_only(tests):
    test = new_test(tests, description="old")
    updated = tests.update("acme", test["test_id"], {"description": "new", "test_suite": "s"})
    assert (updated["description"], updated["test_suite"], updated["name"]) == (
        "new", "s", "Opening hours")
    assert tests.get("acme", test["test_id"]) == updated


def test_update_unknown_test_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.update("acme", "missing", {"name": "x"})


def test_delete_removes_the_test_and_its_runs(tests):
    test = new_test(tests)
    run = tests.trigger_run("acme", test["test_id"])
    assert tests.delete("acme", test["test_id"]) is None
    with pytest.raises(NotFound):
        tests.get("acme", test["test_id"])
    with pytest.raises(NotFound):
        tests.get_run("acme", test["test_id"], run["run_id"])


def test_delete_unknown_test_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.delete("acme", "missing")


def test_list_is_paginated_in_creation_order(tests):
    created = [new_test(tests, name=f"t{i}") for i in range(3)]
    first = tests.list("acme", page_number=1, page_size=2)
    assert first["data"] == created[:2]
    assert first["meta"] == {"page_number": 1, "page_size": 2, "total_pages": 2,
                             "total_results": 3}


def test_list_filters_by_suite_destination_and_channel(tests):
    match = new_test(tests, test_suite="smoke", telnyx_conversation_channel="phone_call")
    new_test(tests, test_suite="smoke", destination="+1999")
    new_test(tests, test_suite="nightly")
    found = tests.list("acme", test_suite="smoke", destination="+13125550100",
                       telnyx_conversation_channel="phone_call")
    assert found["data"] == [match]


def test_list_suites_answers_the_distinct_suite_names_sorted(tests):
    for suite in ("smoke", "nightly", "smoke"):
        new_test(tests, test_suite=suite)
    new_test(tests)
    assert tests.list_suites("acme") == {"data": ["nightly", "smoke"]}


# --- runs -----------------------------------------------------------------------------------

def test_trigger_run_answers_a_pending_run(tests):
    test = new_test(tests)
    run = tests.trigger_run("acme", test["test_id"])
    assert run["status"] == "pending" and run["test_id"] == test["test_id"]
    assert run["triggered_by"] and run["run_id"]
    validate_type(type_=RunModel, value=run)


def test_a_run_has_passed_the_first_time_it_is_read_back(tests, store, t0):
    test = new_test(tests)
    run = tests.trigger_run("acme", test["test_id"])
    store.clock.freeze(t0 + timedelta(minutes=2))
    read = tests.get_run("acme", test["test_id"], run["run_id"])
    assert read["status"] == "passed"
    assert read["completed_at"] == "2026-11-21T10:02:00.000Z"
    assert read["detail_status"] == [{"name": "Empathy", "status": "passed"},
                                     {"name": "Accuracy", "status": "passed"}]
    validate_type(type_=RunModel, value=read)


def test_a_settled_run_does_not_change_on_later_reads(tests, store, t0):
    test = new_test(tests)
    run = tests.trigger_run("acme", test["test_id"])
    first = tests.get_run("acme", test["test_id"], run["run_id"])
    store.clock.freeze(t0 + timedelta(hours=1))
    assert tests.get_run("acme", test["test_id"], run["run_id"]) == first


def test_settle_run_leaves_a_finished_run_alone(t0):
    run = {"run_id": "r", "status": "failed"}
    assert settle_run(run, t0) is run


def test_trigger_run_for_unknown_test_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.trigger_run("acme", "missing")


def test_trigger_run_with_an_existing_version_is_accepted(tests, create_assistant):
    assistant = create_assistant(name="A", instructions="x")
    test = new_test(tests)
    run = tests.trigger_run("acme", test["test_id"], assistant["version_id"])
    assert run["status"] == "pending"


def test_trigger_run_with_unknown_version_is_refused(tests):
    test = new_test(tests)
    with pytest.raises(BadRequest, match="version"):
        tests.trigger_run("acme", test["test_id"], "no-such-version")
    assert tests.list_runs("acme", test["test_id"])["data"] == []


def test_trigger_run_with_another_tenants_version_is_refused(tests, create_assistant):
    assistant = create_assistant("globex", name="A", instructions="x")
    test = new_test(tests)
    with pytest.raises(BadRequest):
        tests.trigger_run("acme", test["test_id"], assistant["version_id"])


def test_get_run_through_another_test_is_not_found(tests):
    first, second = new_test(tests), new_test(tests)
    run = tests.trigger_run("acme", first["test_id"])
    with pytest.raises(NotFound):
        tests.get_run("acme", second["test_id"], run["run_id"])


def test_list_runs_is_paginated_newest_first_and_settles_runs(tests):
    test = new_test(tests)
    runs = [tests.trigger_run("acme", test["test_id"]) for _ in range(3)]
    listed = tests.list_runs("acme", test["test_id"], page_number=1, page_size=2)
    assert [run["run_id"] for run in listed["data"]] == [runs[2]["run_id"], runs[1]["run_id"]]
    assert {run["status"] for run in listed["data"]} == {"passed"}
    assert listed["meta"]["total_results"] == 3


def test_list_runs_filters_by_status(tests):
    test = new_test(tests)
    tests.trigger_run("acme", test["test_id"])
    assert tests.list_runs("acme", test["test_id"], status="pending")["data"] == []
    assert len(tests.list_runs("acme", test["test_id"], status="passed")["data"]) == 1
    assert len(tests.list_runs("acme", test["test_id"], status="completed")["data"]) == 1


def test_list_runs_for_unknown_test_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.list_runs("acme", "missing")


def test_trigger_suite_run_makes_one_run_per_test_in_the_suite(tests):
    smoke = [new_test(tests, test_suite="smoke") for _ in range(2)]
    new_test(tests, test_suite="nightly")
    runs = tests.trigger_suite_run("acme", "smoke")
    assert [run["test_id"] for run in runs] == [test["test_id"] for test in smoke]
    assert len({run["test_suite_run_id"] for run in runs}) == 1
    for run in runs:
        validate_type(type_=RunModel, value=run)


def test_trigger_suite_run_for_an_unknown_suite_is_not_found(tests):
    with pytest.raises(NotFound):
        tests.trigger_suite_run("acme", "nope")


def test_trigger_suite_run_with_unknown_version_is_refused(tests):
    new_test(tests, test_suite="smoke")
    with pytest.raises(BadRequest):
        tests.trigger_suite_run("acme", "smoke", "no-such-version")


def test_list_suite_runs_filters_by_batch(tests):
    new_test(tests, test_suite="smoke")
    first = tests.trigger_suite_run("acme", "smoke")
    tests.trigger_suite_run("acme", "smoke")
    batch = first[0]["test_suite_run_id"]
    listed = tests.list_suite_runs("acme", "smoke", test_suite_run_id=batch)
    assert [run["run_id"] for run in listed["data"]] == [first[0]["run_id"]]
    assert len(tests.list_suite_runs("acme", "smoke")["data"]) == 2


def test_list_suite_runs_leaves_out_single_test_runs(tests):
    test = new_test(tests, test_suite="smoke")
    tests.trigger_run("acme", test["test_id"])
    assert tests.list_suite_runs("acme", "smoke")["data"] == []


def test_tests_and_runs_are_invisible_to_another_tenant(tests):
    test = new_test(tests, test_suite="smoke")
    run = tests.trigger_run("acme", test["test_id"])
    assert tests.list("globex")["data"] == []
    assert tests.list_suites("globex") == {"data": []}
    with pytest.raises(NotFound):
        tests.get("globex", test["test_id"])
    with pytest.raises(NotFound):
        tests.get_run("globex", test["test_id"], run["run_id"])
