"""Telnyx scheduled events: phone calls and SMS an assistant makes at a fixed time."""

from __future__ import annotations

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistants.scheduled_event_response import ScheduledEventResponse
from telnyx.types.ai.assistants.scheduled_phone_call_event_response import (
    ScheduledPhoneCallEventResponse,
)
from telnyx.types.ai.assistants.scheduled_sms_event_response import ScheduledSMSEventResponse

from assistant_fake.vendors.telnyx.rules import BadRequest, NotFound


@pytest.fixture
def events(service):
    return service.scheduled_events


@pytest.fixture
def assistant_id(create_assistant) -> str:
    return create_assistant(name="Caller", instructions="Call.")["id"]


def call(at: str = "2026-12-01T09:00:00Z", **fields) -> dict:
    return {"telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550100",
            "telnyx_agent_target": "+13125550199", "scheduled_at_fixed_datetime": at, **fields}


def sms(at: str = "2026-12-01T09:00:00Z", **fields) -> dict:
    return call(at, telnyx_conversation_channel="sms_chat", text="Your table is ready.", **fields)


def test_create_phone_call_event_starts_pending(events, assistant_id):
    event = events.create("acme", assistant_id, call())
    assert event["status"] == "pending"
    assert event["assistant_id"] == assistant_id
    assert event["scheduled_event_id"]
    parsed = validate_type(type_=ScheduledEventResponse, value=event)
    assert isinstance(parsed, ScheduledPhoneCallEventResponse)


def test_create_sms_event_keeps_its_text(events, assistant_id):
    event = events.create("acme", assistant_id, sms())
    assert event["text"] == "Your table is ready."
    assert isinstance(validate_type(type_=ScheduledEventResponse, value=event),
                      ScheduledSMSEventResponse)


def test_create_sms_event_without_text_is_refused(events, assistant_id):
    body = sms()
    del body["text"]
    with pytest.raises(BadRequest, match="text"):
        events.create("acme", assistant_id, body)
    assert events.list("acme", assistant_id)["data"] == []


def test_create_normalizes_the_scheduled_time_to_utc(events, assistant_id):
    event = events.create("acme", assistant_id, call("2026-12-01T10:00:00+01:00"))
    assert event["scheduled_at_fixed_datetime"] == "2026-12-01T09:00:00.000Z"


def test_create_echoes_phone_call_options(events, assistant_id):
    event = events.create("acme", assistant_id, call(
        call_settings={"sip_region": "Europe"}, max_retries_client_errors=2,
        retry_interval_secs=60, dynamic_variables={"name": "Ann"},
        conversation_metadata={"order": 7}))
    assert event["call_settings"] == {"sip_region": "Europe"}
    assert (event["max_retries_client_errors"], event["retry_interval_secs"]) == (2, 60)
    assert event["dynamic_variables"] == {"name": "Ann"}
    assert event["conversation_metadata"] == {"order": 7}


def test_sms_event_drops_phone_call_only_options(events, assistant_id):
    event = events.create("acme", assistant_id, sms(call_settings={"sip_region": "US"}))
    assert "call_settings" not in event


def test_create_for_unknown_assistant_is_not_found(events):
    with pytest.raises(NotFound):
        events.create("acme", "assistant-missing", call())


def test_create_for_soft_deleted_assistant_is_not_found(service, events, assistant_id):
    service.assistants.delete("acme", assistant_id)
    with pytest.raises(NotFound):
        events.create("acme", assistant_id, call())


def test_get_answers_the_created_event(events, assistant_id):
    event = events.create("acme", assistant_id, call())
    assert events.get("acme", assistant_id, event["scheduled_event_id"]) == event


def test_get_event_through_another_assistant_is_not_found(service, events, assistant_id):
    event = events.create("acme", assistant_id, call())
    other = service.assistants.create("acme", {"name": "B", "instructions": "x"})["id"]
    with pytest.raises(NotFound):
        events.get("acme", other, event["scheduled_event_id"])


def test_list_is_paginated_earliest_scheduled_first(events, assistant_id):
    late = events.create("acme", assistant_id, call("2026-12-03T09:00:00Z"))
    early = events.create("acme", assistant_id, call("2026-12-01T09:00:00Z"))
    middle = events.create("acme", assistant_id, call("2026-12-02T09:00:00Z"))
    first = events.list("acme", assistant_id, page_number=1, page_size=2)
    assert first["data"] == [early, middle]
    assert first["meta"] == {"page_number": 1, "page_size": 2, "total_pages": 2,
                             "total_results": 3}
    assert events.list("acme", assistant_id, page_number=2, page_size=2)["data"] == [late]


def test_list_filters_by_conversation_channel(events, assistant_id):
    events.create("acme", assistant_id, call())
    text = events.create("acme", assistant_id, sms())
    assert events.list("acme", assistant_id, conversation_channel="sms_chat")["data"] == [text]


def test_list_date_range_is_inclusive(events, assistant_id):
    events.create("acme", assistant_id, call("2026-12-01T09:00:00Z"))
    inside = events.create("acme", assistant_id, call("2026-12-02T09:00:00Z"))
    events.create("acme", assistant_id, call("2026-12-03T09:00:00Z"))
    found = events.list("acme", assistant_id, from_date="2026-12-02T09:00:00Z",
                        to_date="2026-12-02T09:00:00Z")
    assert found["data"] == [inside]


def test_list_for_unknown_assistant_is_not_found(events):
    with pytest.raises(NotFound):
        events.list("acme", "assistant-missing")


def test_delete_cancels_the_event_and_forgets_it(events, assistant_id):
    event = events.create("acme", assistant_id, call())
    assert events.delete("acme", assistant_id, event["scheduled_event_id"]) is None
    with pytest.raises(NotFound):
        events.get("acme", assistant_id, event["scheduled_event_id"])
    assert events.list("acme", assistant_id)["data"] == []


def test_deleting_an_event_twice_is_not_found(events, assistant_id):
    event = events.create("acme", assistant_id, call())
    events.delete("acme", assistant_id, event["scheduled_event_id"])
    with pytest.raises(NotFound):
        events.delete("acme", assistant_id, event["scheduled_event_id"])


def test_events_are_invisible_to_another_tenant(events, assistant_id):
    event = events.create("acme", assistant_id, call())
    with pytest.raises(NotFound):
        events.get("globex", assistant_id, event["scheduled_event_id"])
    with pytest.raises(NotFound):
        events.list("globex", assistant_id)
