"""Telnyx over HTTP: assistant tests, test suites and test runs.

Tests are created with 201 and grouped into suites by ``test_suite``. Triggering a run answers
201 with a ``pending`` run; the fake runs nothing, so a run has passed every rubric criterion
the first time it is read back. Lists are paginated.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
RUBRIC = [{"name": "greeting", "criteria": "The assistant greets the caller."},
          {"name": "booking", "criteria": "The assistant books a table."}]
TEST = {"name": "Books a table", "destination": "+13125550100",
        "instructions": "Ask for a table for two at 8pm.", "rubric": RUBRIC}


def create_test(telnyx, **fields: Any) -> dict[str, Any]:
    response = telnyx.post("/ai/assistants/tests", json={**TEST, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def trigger(telnyx, test: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


# --- tests ----------------------------------------------------------------------------------

def test_create_answers_201_with_the_test(telnyx):
    response = telnyx.post("/ai/assistants/tests", json=TEST)
    assert response.status_code == 201
    test = response.json()
    assert test == {"test_id": test["test_id"], **TEST, "telnyx_conversation_channel": "web_chat",
                    "created_at": test["created_at"]}
    assert UUID4.match(test["test_id"])
    assert TIMESTAMP.match(test["created_at"])


def test_create_keeps_the_optional_fields(telnyx):
    test = create_test(telnyx, description="Dinner booking.", max_duration_seconds="120",
                       telnyx_conversation_channel="phone_call", test_suite="regression")
    assert (test["description"], test["max_duration_seconds"],
            test["telnyx_conversation_channel"], test["test_suite"]) == (
        "Dinner booking.", 120, "phone_call", "regression")


def test_create_with_an_empty_body_lists_every_required_field(telnyx):
    response = telnyx.post("/ai/assistants/tests", json={})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", field], "msg": "Field required", "input": {}}
        for field in ("name", "destination", "instructions", "rubric")]}


def test_create_refuses_rubric_items_without_name_or_criteria(telnyx):
    response = telnyx.post("/ai/assistants/tests", json={**TEST, "rubric": [{"name": "x"}, {}]})
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "rubric", 0, "criteria"], "msg": "Field required",
         "input": {"name": "x"}},
        {"type": "missing", "loc": ["body", "rubric", 1, "name"], "msg": "Field required",
         "input": {}},
        {"type": "missing", "loc": ["body", "rubric", 1, "criteria"], "msg": "Field required",
         "input": {}}]}


def test_create_refuses_an_unknown_channel_with_an_enum_error(telnyx):
    response = telnyx.post("/ai/assistants/tests", json={**TEST,
                                                         "telnyx_conversation_channel": "fax"})
    assert response.json() == {"detail": [{
        "type": "enum", "loc": ["body", "telnyx_conversation_channel"],
        "msg": "Input should be 'phone_call', 'web_call', 'sms_chat' or 'web_chat'",
        "input": "fax", "ctx": {"expected": "'phone_call', 'web_call', 'sms_chat' or 'web_chat'"}}]}


def test_list_of_a_new_account_is_an_empty_page(telnyx):
    response = telnyx.get("/ai/assistants/tests")
    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": {"page_number": 1, "page_size": 20,
                                                     "total_pages": 0, "total_results": 0}}


def test_list_answers_tests_in_creation_order(telnyx):
    first, second = create_test(telnyx, name="First"), create_test(telnyx, name="Second")
    assert telnyx.get("/ai/assistants/tests").json() == {"data": [first, second], "meta": {
        "page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 2}}


@pytest.mark.parametrize(("param", "value", "expected"), [
    ("test_suite", "regression", ["A"]),
    ("destination", "+13125550111", ["B"]),
    ("telnyx_conversation_channel", "sms_chat", ["B"]),
])
def test_list_filters_by_exact_match(telnyx, param, value, expected):
    create_test(telnyx, name="A", test_suite="regression")
    create_test(telnyx, name="B", destination="+13125550111",
                telnyx_conversation_channel="sms_chat")
    response = telnyx.get("/ai/assistants/tests", params={param: value})
    assert [test["name"] for test in response.json()["data"]] == expected


def test_list_pages(telnyx):
    for n in range(3):
        create_test(telnyx, name=f"T{n}")
    response = telnyx.get("/ai/assistants/tests", params={"page[number]": 2, "page[size]": 2})
    assert [test["name"] for test in response.json()["data"]] == ["T2"]
    assert response.json()["meta"] == {"page_number": 2, "page_size": 2, "total_pages": 2,
                                       "total_results": 3}


def test_list_refuses_page_parameters_out_of_bounds(telnyx):
    response = telnyx.get("/ai/assistants/tests", params={"page[number]": 0,
                                                          "page[size]": 101})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "greater_than_equal", "loc": ["query", "page[number]"],
         "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}},
        {"type": "less_than_equal", "loc": ["query", "page[size]"],
         "msg": "Input should be less than or equal to 100", "input": "101",
         "ctx": {"le": 100}}]}


def test_list_shows_only_the_callers_tests(telnyx, other_tenant):
    other_tenant.post("/ai/assistants/tests", json=TEST)
    assert telnyx.get("/ai/assistants/tests").json()["data"] == []


def test_get_answers_the_test(telnyx):
    test = create_test(telnyx)
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}")
    assert response.status_code == 200
    assert response.json() == test


def test_update_replaces_the_sent_fields_only(telnyx):
    test = create_test(telnyx, test_suite="regression")
    response = telnyx.put(f"/ai/assistants/tests/{test['test_id']}",
                          json={"name": "Books a booth", "rubric": RUBRIC[:1]})
    assert response.status_code == 200
    assert response.json() == {**test, "name": "Books a booth", "rubric": RUBRIC[:1]}
    assert telnyx.get(f"/ai/assistants/tests/{test['test_id']}").json() == response.json()


def test_update_with_an_empty_body_changes_nothing(telnyx):
    test = create_test(telnyx)
    assert telnyx.put(f"/ai/assistants/tests/{test['test_id']}", json={}).json() == test


def test_update_refuses_null_for_a_field(telnyx):
    test = create_test(telnyx, description="Dinner booking.")
    response = telnyx.put(f"/ai/assistants/tests/{test['test_id']}", json={"description": None})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "string_type", "loc": ["body", "description"],
        "msg": "Input should be a valid string", "input": None}]}


def test_update_without_a_body_is_missing_body(telnyx):
    test = create_test(telnyx)
    response = telnyx.put(f"/ai/assistants/tests/{test['test_id']}")
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_update_refuses_wrong_types(telnyx):
    test = create_test(telnyx)
    response = telnyx.put(f"/ai/assistants/tests/{test['test_id']}",
                          json={"max_duration_seconds": "long", "rubric": "all"})
    assert response.json() == {"detail": [
        {"type": "list_type", "loc": ["body", "rubric"], "msg": "Input should be a valid list",
         "input": "all"},
        {"type": "int_parsing", "loc": ["body", "max_duration_seconds"],
         "msg": "Input should be a valid integer, unable to parse string as an integer",
         "input": "long"}]}


def test_delete_answers_200_without_a_body_and_the_test_is_gone(telnyx, telnyx_errors):
    test = create_test(telnyx)
    response = telnyx.delete(f"/ai/assistants/tests/{test['test_id']}")
    assert response.status_code == 200
    assert response.content == b""
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant test {test['test_id']} not found.")


def test_deleting_a_test_deletes_its_runs(telnyx, telnyx_errors):
    test = create_test(telnyx)
    run = trigger(telnyx, test)
    telnyx.delete(f"/ai/assistants/tests/{test['test_id']}")
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(f"Test run {run['run_id']} not found.")


# --- suites ---------------------------------------------------------------------------------

def test_suites_of_a_new_account_are_empty(telnyx):
    response = telnyx.get("/ai/assistants/tests/test-suites")
    assert response.status_code == 200
    assert response.json() == {"data": []}


def test_suites_are_the_distinct_suite_names_sorted(telnyx):
    create_test(telnyx, test_suite="smoke")
    create_test(telnyx, test_suite="regression")
    create_test(telnyx, test_suite="smoke")
    create_test(telnyx)
    assert telnyx.get("/ai/assistants/tests/test-suites").json() == {
        "data": ["regression", "smoke"]}


# --- runs of a test -------------------------------------------------------------------------

def test_trigger_run_answers_201_with_a_pending_run(telnyx):
    test = create_test(telnyx)
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs")
    assert response.status_code == 201
    run = response.json()
    assert run == {"run_id": run["run_id"], "test_id": test["test_id"], "status": "pending",
                   "triggered_by": "api", "created_at": run["created_at"],
                   "updated_at": run["created_at"]}
    assert UUID4.match(run["run_id"])


def test_a_run_has_passed_every_criterion_when_read_back(telnyx):
    test = create_test(telnyx)
    run = trigger(telnyx, test)
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}")
    assert response.status_code == 200
    settled = response.json()
    assert settled == {
        **run, "status": "passed", "completed_at": settled["completed_at"],
        "updated_at": settled["completed_at"], "conversation_id": settled["conversation_id"],
        "detail_status": [{"name": "greeting", "status": "passed"},
                          {"name": "booking", "status": "passed"}],
        "logs": f"Test run {run['run_id']} passed 2 criteria."}
    assert UUID4.match(settled["conversation_id"])


def test_a_settled_run_reads_the_same_every_time(telnyx):
    test = create_test(telnyx)
    run = trigger(telnyx, test)
    path = f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}"
    assert telnyx.get(path).json() == telnyx.get(path).json()


def test_trigger_run_accepts_a_version_of_any_assistant_of_the_account(telnyx, assistant):
    test = create_test(telnyx)
    run = trigger(telnyx, test, destination_version_id=assistant["version_id"])
    assert run["status"] == "pending"


def test_trigger_run_refuses_an_unknown_version_with_10015(telnyx, telnyx_errors):
    test = create_test(telnyx)
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs",
                           json={"destination_version_id": "version-unknown"})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "Assistant version version-unknown does not exist.")


def test_trigger_run_refuses_another_accounts_version(telnyx, telnyx_errors, other_tenant):
    theirs = other_tenant.create_assistant()
    test = create_test(telnyx)
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs",
                           json={"destination_version_id": theirs["version_id"]})
    assert response.status_code == 400


def test_trigger_run_refuses_a_version_of_a_soft_deleted_assistant(telnyx, assistant):
    telnyx.delete(f"/ai/assistants/{assistant['id']}")
    test = create_test(telnyx)
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs",
                           json={"destination_version_id": assistant["version_id"]})
    assert response.status_code == 400


def test_trigger_run_refuses_a_version_id_that_is_not_a_string(telnyx):
    test = create_test(telnyx)
    response = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs",
                           json={"destination_version_id": 7})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "string_type", "loc": ["body", "destination_version_id"],
        "msg": "Input should be a valid string", "input": 7}]}


def test_list_runs_answers_settled_runs_newest_first(telnyx):
    test = create_test(telnyx)
    first, second = trigger(telnyx, test), trigger(telnyx, test)
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs")
    assert response.status_code == 200
    body = response.json()
    assert [run["run_id"] for run in body["data"]] == [second["run_id"], first["run_id"]]
    assert {run["status"] for run in body["data"]} == {"passed"}
    assert body["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 1,
                            "total_results": 2}


def test_list_runs_answers_only_that_tests_runs(telnyx):
    test, other = create_test(telnyx), create_test(telnyx, name="Other")
    trigger(telnyx, other)
    assert telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs").json()["data"] == []


@pytest.mark.parametrize(("status", "count"), [("passed", 1), ("completed", 1), ("pending", 0),
                                               ("failed", 0)])
def test_list_runs_filters_by_status(telnyx, status, count):
    test = create_test(telnyx)
    trigger(telnyx, test)
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs",
                          params={"status": status})
    assert len(response.json()["data"]) == count


def test_get_run_under_another_test_is_404(telnyx, telnyx_errors):
    test, other = create_test(telnyx), create_test(telnyx, name="Other")
    run = trigger(telnyx, test)
    response = telnyx.get(f"/ai/assistants/tests/{other['test_id']}/runs/{run['run_id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(f"Test run {run['run_id']} not found.")


def test_get_of_an_unknown_run_is_404(telnyx, telnyx_errors):
    test = create_test(telnyx)
    response = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs/run-unknown")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found("Test run run-unknown not found.")


def test_another_account_cannot_read_a_run(telnyx, other_tenant):
    test = create_test(telnyx)
    run = trigger(telnyx, test)
    path = f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}"
    assert other_tenant.get(path).status_code == 404


# --- runs of a suite ------------------------------------------------------------------------

def test_trigger_suite_run_answers_201_with_one_run_per_test_of_the_suite(telnyx):
    first = create_test(telnyx, name="A", test_suite="regression")
    second = create_test(telnyx, name="B", test_suite="regression")
    create_test(telnyx, name="C", test_suite="smoke")
    response = telnyx.post("/ai/assistants/tests/test-suites/regression/runs")
    assert response.status_code == 201
    runs = response.json()
    assert [run["test_id"] for run in runs] == [first["test_id"], second["test_id"]]
    assert {run["status"] for run in runs} == {"pending"}
    assert len({run["test_suite_run_id"] for run in runs}) == 1
    assert UUID4.match(runs[0]["test_suite_run_id"])


def test_trigger_suite_run_of_an_unknown_suite_is_404(telnyx, telnyx_errors):
    response = telnyx.post("/ai/assistants/tests/test-suites/nightly/runs", json={})
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found("Test suite nightly not found.")


def test_trigger_suite_run_refuses_an_unknown_version(telnyx, telnyx_errors):
    create_test(telnyx, test_suite="regression")
    response = telnyx.post("/ai/assistants/tests/test-suites/regression/runs",
                           json={"destination_version_id": "version-unknown"})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "Assistant version version-unknown does not exist.")


def test_suite_runs_are_readable_as_runs_of_each_test(telnyx):
    test = create_test(telnyx, test_suite="regression")
    run = telnyx.post("/ai/assistants/tests/test-suites/regression/runs").json()[0]
    settled = telnyx.get(f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}").json()
    assert settled["test_suite_run_id"] == run["test_suite_run_id"]
    assert settled["status"] == "passed"


def test_list_suite_runs_answers_only_runs_triggered_through_the_suite(telnyx):
    test = create_test(telnyx, test_suite="regression")
    trigger(telnyx, test)
    batch = telnyx.post("/ai/assistants/tests/test-suites/regression/runs").json()
    response = telnyx.get("/ai/assistants/tests/test-suites/regression/runs")
    assert response.status_code == 200
    assert [run["run_id"] for run in response.json()["data"]] == [batch[0]["run_id"]]
    assert response.json()["meta"]["total_results"] == 1


def test_list_suite_runs_filters_by_suite_run_batch(telnyx):
    create_test(telnyx, test_suite="regression")
    first = telnyx.post("/ai/assistants/tests/test-suites/regression/runs").json()[0]
    telnyx.post("/ai/assistants/tests/test-suites/regression/runs")
    response = telnyx.get("/ai/assistants/tests/test-suites/regression/runs",
                          params={"test_suite_run_id": first["test_suite_run_id"]})
    assert [run["run_id"] for run in response.json()["data"]] == [first["run_id"]]


def test_list_suite_runs_of_a_suite_without_runs_is_an_empty_page(telnyx):
    response = telnyx.get("/ai/assistants/tests/test-suites/nightly/runs")
    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": {"page_number": 1, "page_size": 20,
                                                     "total_pages": 0, "total_results": 0}}


def test_list_suite_runs_refuses_a_page_size_that_is_not_an_integer(telnyx):
    response = telnyx.get("/ai/assistants/tests/test-suites/regression/runs",
                          params={"page[size]": "ten"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "int_parsing", "loc": ["query", "page[size]"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": "ten"}]}
