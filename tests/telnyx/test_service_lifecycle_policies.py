"""Lifecycle policies of test runs and scheduled events (plain Python, no HTTP).

A policy says when an open record finishes: ``immediate``, ``after_polls`` (the N-th read),
``after_seconds`` (on the store clock) or ``manual`` (only ``advance``); ``outcome`` says how.
The policy in force when a record is created stays with it. Defaults are today's behaviour:
a run has passed on its first read, an event stays pending.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistants.scheduled_event_response import ScheduledEventResponse
from telnyx.types.ai.assistants.tests.test_run_response import TestRunResponse as RunModel

from assistant_fake.vendors.telnyx.lifecycle import DEFAULT_POLICIES, AlreadyFinished
from assistant_fake.vendors.telnyx.rules import NotFound
from assistant_fake.vendors.telnyx.vendor import TelnyxVendor

RUBRIC = [{"name": "Empathy", "criteria": "Acknowledges the problem."},
          {"name": "Accuracy", "criteria": "Gives correct hours."}]


@pytest.fixture
def lifecycle(service):
    return service.lifecycle


@pytest.fixture
def run_of(service):
    """Trigger a run of a new test of tenant "acme"; answers (test_id, run)."""

    def trigger() -> tuple[str, dict]:
        test = service.tests.create("acme", {"name": "Hours", "destination": "+13125550100",
                                             "instructions": "Ask.", "rubric": RUBRIC})
        return test["test_id"], service.tests.trigger_run("acme", test["test_id"])

    return trigger


@pytest.fixture
def event_of(service, create_assistant):
    """Create a scheduled event of channel ``channel`` for a new assistant of "acme"."""

    def create(channel: str = "phone_call") -> dict:
        assistant = create_assistant(name="Caller", instructions="Call.")
        body = {"telnyx_conversation_channel": channel, "telnyx_end_user_target": "+13125550100",
                "telnyx_agent_target": "+13125550199",
                "scheduled_at_fixed_datetime": "2026-12-01T09:00:00Z"}
        if channel == "sms_chat":
            body["text"] = "Your table is ready."
        return service.scheduled_events.create("acme", assistant["id"], body)

    return create


def read_run(service, test_id: str, run: dict) -> dict:
    return service.tests.get_run("acme", test_id, run["run_id"])


def read_event(service, event: dict) -> dict:
    return service.scheduled_events.get("acme", event["assistant_id"],
                                        event["scheduled_event_id"])


# --- the policies in force ------------------------------------------------------------------

def test_defaults_are_todays_behaviour(lifecycle):
    assert lifecycle.policies("acme") == {
        "test_runs": {"policy": "after_polls", "polls": 1, "outcome": "passed"},
        "scheduled_events": {"policy": "manual", "outcome": "completed"}}


def test_a_tenants_policies_override_the_account_wide_ones(lifecycle):
    lifecycle.set_policies(None, {"test_runs": {"policy": "manual"}})
    lifecycle.set_policies("acme", {"test_runs": {"policy": "immediate", "outcome": "failed"}})
    assert lifecycle.policy("acme", "test_runs") == {"policy": "immediate", "outcome": "failed"}
    assert lifecycle.policy("globex", "test_runs") == {"policy": "manual", "outcome": "passed"}


def test_resetting_the_whole_api_forgets_the_account_wide_policies(store):
    vendor = TelnyxVendor(store)
    vendor.service.lifecycle.set_policies(None, {"test_runs": {"policy": "manual"}})
    vendor.reset()
    assert vendor.service.lifecycle.policies() == DEFAULT_POLICIES


def test_a_kind_left_out_goes_back_to_its_default(lifecycle):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "immediate"}})
    lifecycle.set_policies("acme", {"test_runs": {"policy": "manual"}})
    assert lifecycle.policy("acme", "scheduled_events") == DEFAULT_POLICIES["scheduled_events"]


# --- test runs --------------------------------------------------------------------------------

def test_an_immediate_run_has_finished_in_the_triggers_answer(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "immediate"}})
    _, run = run_of()
    assert run["status"] == "passed"
    assert run["completed_at"] == run["created_at"]
    validate_type(type_=RunModel, value=run)


def test_an_after_polls_run_finishes_on_the_nth_read(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "after_polls", "polls": 3}})
    test_id, run = run_of()
    statuses = [read_run(service, test_id, run)["status"] for _ in range(4)]
    assert statuses == ["pending", "pending", "passed", "passed"]


def test_a_list_that_shows_a_run_counts_as_a_read(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "after_polls", "polls": 2}})
    test_id, run = run_of()
    assert service.tests.list_runs("acme", test_id)["data"][0]["status"] == "pending"
    assert read_run(service, test_id, run)["status"] == "passed"


def test_an_after_seconds_run_finishes_when_the_clock_reaches_its_due_time(
        service, lifecycle, run_of, store, t0):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "after_seconds", "seconds": 60}})
    test_id, run = run_of()
    store.clock.freeze(t0 + timedelta(seconds=59))
    assert read_run(service, test_id, run)["status"] == "pending"
    store.clock.freeze(t0 + timedelta(seconds=90))
    finished = read_run(service, test_id, run)
    assert finished["status"] == "passed"
    assert finished["completed_at"] == "2026-11-21T10:01:00.000Z"


def test_a_manual_run_stays_pending_however_often_it_is_read(
        service, lifecycle, run_of, store, t0):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "manual"}})
    test_id, run = run_of()
    store.clock.freeze(t0 + timedelta(days=1))
    assert {read_run(service, test_id, run)["status"] for _ in range(3)} == {"pending"}


def test_advance_finishes_a_run_with_its_policys_outcome(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "manual", "outcome": "failed"}})
    test_id, run = run_of()
    advanced = service.tests.advance(run["run_id"])
    assert advanced["status"] == "failed"
    assert advanced["detail_status"] == [{"name": "Empathy", "status": "failed"},
                                         {"name": "Accuracy", "status": "failed"}]
    assert advanced["logs"] == f"Test run {run['run_id']} failed 2 criteria."
    assert read_run(service, test_id, run) == advanced
    validate_type(type_=RunModel, value=advanced)


def test_advance_to_an_open_status_keeps_the_run_open(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "manual"}})
    test_id, run = run_of()
    assert service.tests.advance(run["run_id"], "running")["status"] == "running"
    assert read_run(service, test_id, run)["status"] == "running"
    assert service.tests.advance(run["run_id"], "error")["status"] == "error"


def test_advance_of_a_finished_run_is_refused(service, run_of):
    test_id, run = run_of()
    read_run(service, test_id, run)
    with pytest.raises(AlreadyFinished, match=r"is finished \(passed\)"):
        service.tests.advance(run["run_id"])


def test_advance_of_an_unknown_run_is_not_found(service):
    with pytest.raises(NotFound):
        service.tests.advance("no-such-run")


def test_advance_scoped_to_another_tenant_does_not_find_the_run(service, run_of):
    _, run = run_of()
    with pytest.raises(NotFound):
        service.tests.advance(run["run_id"], tenant="globex")
    assert service.tests.advance(run["run_id"], tenant="acme")["status"] == "passed"


def test_a_new_policy_leaves_existing_runs_alone(service, lifecycle, run_of):
    lifecycle.set_policies("acme", {"test_runs": {"policy": "manual"}})
    test_id, run = run_of()
    lifecycle.set_policies("acme", {"test_runs": {"policy": "immediate"}})
    assert read_run(service, test_id, run)["status"] == "pending"


# --- scheduled events -------------------------------------------------------------------------

def test_an_event_stays_pending_by_default(service, event_of, store, t0):
    event = event_of()
    store.clock.freeze(t0 + timedelta(days=30))
    assert read_event(service, event)["status"] == "pending"


def test_an_immediate_phone_call_is_completed_with_one_attempt(service, lifecycle, event_of):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "immediate"}})
    event = event_of()
    assert event["status"] == "completed"
    assert event["call_status"] == "completed"
    assert event["call_attempts"] == [{"attempt_number": 1, "attempted_at": event["created_at"],
                                       "call_status": "completed"}]
    assert event["dispatched_at"] == event["created_at"]
    assert event["conversation_id"]
    validate_type(type_=ScheduledEventResponse, value=event)


def test_a_failed_text_carries_its_error(service, lifecycle, event_of):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "immediate",
                                                         "outcome": "failed"}})
    event = event_of("sms_chat")
    assert event["status"] == "failed"
    assert event["errors"] == ["The message could not be delivered."]
    assert "call_status" not in event
    validate_type(type_=ScheduledEventResponse, value=event)


def test_an_after_polls_event_completes_on_the_nth_read(service, lifecycle, event_of):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "after_polls", "polls": 2}})
    event = event_of()
    listed = service.scheduled_events.list("acme", event["assistant_id"])["data"]
    assert listed[0]["status"] == "pending"
    assert read_event(service, event)["status"] == "completed"


def test_an_after_seconds_event_completes_when_the_clock_reaches_its_due_time(
        service, lifecycle, event_of, store, t0):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "after_seconds",
                                                         "seconds": 300}})
    event = event_of()
    store.clock.freeze(t0 + timedelta(seconds=299))
    assert read_event(service, event)["status"] == "pending"
    store.clock.freeze(t0 + timedelta(seconds=300))
    assert read_event(service, event)["dispatched_at"] == "2026-11-21T10:05:00.000Z"


def test_advance_moves_an_event_through_in_progress_to_its_outcome(service, event_of):
    event = event_of()
    moving = service.scheduled_events.advance(event["scheduled_event_id"], "in_progress")
    assert (moving["status"], moving["call_status"]) == ("in_progress", "in-progress")
    done = service.scheduled_events.advance(event["scheduled_event_id"])
    assert (done["status"], done["call_status"]) == ("completed", "completed")
    assert done["conversation_id"] == moving["conversation_id"]
    assert read_event(service, event) == done


def test_advance_of_a_finished_event_is_refused(service, event_of):
    event = event_of()
    service.scheduled_events.advance(event["scheduled_event_id"], "failed")
    with pytest.raises(AlreadyFinished, match=r"is finished \(failed\)"):
        service.scheduled_events.advance(event["scheduled_event_id"])


def test_advance_of_an_unknown_event_is_not_found(service):
    with pytest.raises(NotFound):
        service.scheduled_events.advance("no-such-event")


def test_internal_lifecycle_state_never_shows(service, lifecycle, event_of, run_of):
    lifecycle.set_policies("acme", {"scheduled_events": {"policy": "after_polls", "polls": 5}})
    event = event_of()
    test_id, run = run_of()
    for record in (event, read_event(service, event), run, read_run(service, test_id, run)):
        assert not [key for key in record if key.startswith("_")]
