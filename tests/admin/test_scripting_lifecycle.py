"""Admin API: lifecycle control of Telnyx test runs and scheduled events.

``PUT /__fake/lifecycle`` sets the policies (account-wide, or for the tenant of ``key`` /
``tenant``); ``POST /__fake/telnyx/test-runs/{id}/advance`` and
``/telnyx/scheduled-events/{id}/advance`` move an open record by hand. Each test sets policies
for its own key only, so the session's shared app keeps its defaults.
"""

from __future__ import annotations

import pytest

RUBRIC = [{"name": "greeting", "criteria": "Greets the caller."}]
DEFAULTS = {"test_runs": {"policy": "after_polls", "polls": 1, "outcome": "passed"},
            "scheduled_events": {"policy": "manual", "outcome": "completed"}}


@pytest.fixture
def frozen_clock(http):
    """Freeze the fake's clock through the admin API; back to real time after the test.
    Answers a function that moves it on by some seconds."""
    assert http.put("/__fake/clock", json={"frozen": True}).status_code == 200
    yield lambda seconds: http.post("/__fake/clock/advance", json={"seconds": seconds})
    http.put("/__fake/clock", json={"now": None, "frozen": False})


@pytest.fixture
def set_policies(http, api_key):
    def put(**policies) -> dict:
        response = http.put("/__fake/lifecycle", json={"key": api_key, **policies})
        assert response.status_code == 200, response.text
        return response.json()

    return put


@pytest.fixture
def trigger_run(telnyx):
    """Trigger a run of a new test; answers (the run's path, the trigger's answer)."""

    def trigger() -> tuple[str, dict]:
        test = telnyx.post("/ai/assistants/tests", json={
            "name": "Greets", "destination": "+13125550100", "instructions": "Say hi.",
            "rubric": RUBRIC}).json()
        run = telnyx.post(f"/ai/assistants/tests/{test['test_id']}/runs").json()
        return f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}", run

    return trigger


@pytest.fixture
def schedule(telnyx):
    """Schedule a phone call of a new assistant; answers (the event's path, the event)."""

    def create() -> tuple[str, dict]:
        assistant = telnyx.create_assistant()
        path = f"/ai/assistants/{assistant['id']}/scheduled_events"
        event = telnyx.post(path, json={
            "telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550100",
            "telnyx_agent_target": "+13125550199",
            "scheduled_at_fixed_datetime": "2030-01-01T09:00:00Z"}).json()
        return f"{path}/{event['scheduled_event_id']}", event

    return create


def advance(http, kind: str, record_id: str, **body):
    return http.post(f"/__fake/telnyx/{kind}/{record_id}/advance", json=body)


# --- the policies ---------------------------------------------------------------------------

def test_get_answers_the_defaults_for_a_tenant_without_policies(http, api_key):
    response = http.get("/__fake/lifecycle", params={"key": api_key})
    assert response.status_code == 200
    assert response.json() == DEFAULTS


def test_put_answers_the_policies_now_in_force_for_the_tenant(http, api_key, set_policies):
    answer = set_policies(test_runs={"policy": "after_polls", "polls": 3, "outcome": "failed"})
    assert answer == {**DEFAULTS,
                      "test_runs": {"policy": "after_polls", "polls": 3, "outcome": "failed"}}
    assert http.get("/__fake/lifecycle", params={"key": api_key}).json() == answer


def test_a_tenant_reset_forgets_the_tenants_policies(http, api_key, set_policies):
    set_policies(test_runs={"policy": "manual"})
    assert http.post("/__fake/reset", json={"api": "telnyx", "key": api_key}).status_code == 200
    assert http.get("/__fake/lifecycle", params={"key": api_key}).json() == DEFAULTS


def test_a_tenants_policies_leave_the_account_wide_ones_alone(http, set_policies):
    set_policies(test_runs={"policy": "manual"})
    assert http.get("/__fake/lifecycle").json() == DEFAULTS


def test_after_polls_without_polls_is_400(http, api_key):
    response = http.put("/__fake/lifecycle",
                        json={"key": api_key, "test_runs": {"policy": "after_polls"}})
    assert response.status_code == 400
    assert response.json() == {"detail": "body/test_runs: 'polls' is a required property"}


def test_an_outcome_of_the_other_kind_is_400(http, api_key):
    response = http.put("/__fake/lifecycle", json={
        "key": api_key, "scheduled_events": {"policy": "immediate", "outcome": "passed"}})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "body/scheduled_events/outcome: 'passed' is not one of ['completed', 'failed']"}


# --- test runs ------------------------------------------------------------------------------

def test_an_after_polls_run_passes_on_the_nth_read(telnyx, set_policies, trigger_run):
    set_policies(test_runs={"policy": "after_polls", "polls": 3})
    path, run = trigger_run()
    assert run["status"] == "pending"
    assert [telnyx.get(path).json()["status"] for _ in range(3)] == ["pending", "pending",
                                                                     "passed"]


def test_an_immediate_run_has_passed_in_the_triggers_answer(set_policies, trigger_run):
    set_policies(test_runs={"policy": "immediate"})
    _, run = trigger_run()
    assert run["status"] == "passed"


def test_advance_finishes_a_manual_run_as_the_api_then_answers_it(
        http, telnyx, set_policies, trigger_run):
    set_policies(test_runs={"policy": "manual", "outcome": "failed"})
    path, run = trigger_run()
    assert telnyx.get(path).json()["status"] == "pending"
    response = advance(http, "test-runs", run["run_id"])
    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    assert telnyx.get(path).json() == response.json()


def test_advance_to_running_keeps_the_run_open(http, telnyx, set_policies, trigger_run):
    set_policies(test_runs={"policy": "manual"})
    path, run = trigger_run()
    advance(http, "test-runs", run["run_id"], status="running")
    assert telnyx.get(path).json()["status"] == "running"


def test_advance_of_a_finished_run_is_409(http, telnyx, trigger_run):
    path, run = trigger_run()
    telnyx.get(path)
    response = advance(http, "test-runs", run["run_id"])
    assert response.status_code == 409
    assert response.json() == {"detail": f"Test run {run['run_id']} is finished (passed)."}


def test_advance_of_an_unknown_run_is_404(http):
    response = advance(http, "test-runs", "no-such-run")
    assert response.status_code == 404
    assert response.json() == {"detail": "Test run no-such-run not found."}


def test_advance_narrowed_to_another_tenant_is_404(http, api_key, trigger_run):
    _, run = trigger_run()
    response = advance(http, "test-runs", run["run_id"], key=f"{api_key}-other")
    assert response.status_code == 404


def test_advance_to_pending_is_400(http, trigger_run):
    _, run = trigger_run()
    response = advance(http, "test-runs", run["run_id"], status="pending")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "body/status: 'pending' is not one of ['starting', 'running', 'passed', "
                  "'failed', 'error']"}


# --- scheduled events -----------------------------------------------------------------------

def test_an_event_stays_pending_by_default(telnyx, schedule):
    path, _ = schedule()
    assert telnyx.get(path).json()["status"] == "pending"


def test_an_after_seconds_event_completes_once_the_clock_moves_past_it(
        telnyx, set_policies, schedule, frozen_clock):
    set_policies(scheduled_events={"policy": "after_seconds", "seconds": 60})
    path, _ = schedule()
    frozen_clock(59)
    assert telnyx.get(path).json()["status"] == "pending"
    frozen_clock(1)
    event = telnyx.get(path).json()
    assert (event["status"], event["call_status"]) == ("completed", "completed")


def test_advance_moves_an_event_through_in_progress_to_completed(http, telnyx, schedule):
    path, event = schedule()
    moving = advance(http, "scheduled-events", event["scheduled_event_id"], status="in_progress")
    assert moving.status_code == 200
    assert telnyx.get(path).json()["status"] == "in_progress"
    done = advance(http, "scheduled-events", event["scheduled_event_id"])
    assert done.json()["status"] == "completed"
    assert telnyx.get(path).json() == done.json()


def test_advance_of_a_finished_event_is_409(http, schedule):
    _, event = schedule()
    advance(http, "scheduled-events", event["scheduled_event_id"], status="failed")
    response = advance(http, "scheduled-events", event["scheduled_event_id"])
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Scheduled event {event['scheduled_event_id']} is finished (failed)."}


def test_advance_of_an_unknown_event_is_404(http):
    response = advance(http, "scheduled-events", "no-such-event")
    assert response.status_code == 404
    assert response.json() == {"detail": "Scheduled event no-such-event not found."}


@pytest.fixture
def account_wide(http):
    """Set account-wide policies for one test; the defaults come back afterwards."""
    def put(**policies) -> None:
        assert http.put("/__fake/lifecycle", json=policies).status_code == 200

    yield put
    http.put("/__fake/lifecycle", json={})


def test_account_wide_policies_apply_to_tenants_without_their_own(
        http, api_key, account_wide, trigger_run):
    account_wide(test_runs={"policy": "immediate", "outcome": "error"})
    assert http.get("/__fake/lifecycle", params={"key": api_key}).json()["test_runs"] == {
        "policy": "immediate", "outcome": "error"}
    assert trigger_run()[1]["status"] == "error"
