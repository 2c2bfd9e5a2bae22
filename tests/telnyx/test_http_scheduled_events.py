"""Telnyx over HTTP: scheduled calls and texts of an assistant.

POST answers 201 with a ``pending`` event; ``text`` is required for ``sms_chat``. Events belong
to one assistant; the list is paginated, earliest scheduled first, with an inclusive date
range. DELETE cancels the event (200, no body) and it is gone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CALL = {"telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550100",
        "telnyx_agent_target": "+13125550199",
        "scheduled_at_fixed_datetime": "2026-12-01T09:00:00Z"}
SMS = {**CALL, "telnyx_conversation_channel": "sms_chat", "text": "Your table is ready."}


@pytest.fixture
def events(assistant) -> str:
    return f"/ai/assistants/{assistant['id']}/scheduled_events"


def schedule(telnyx, events: str, **fields: Any) -> dict[str, Any]:
    response = telnyx.post(events, json={**CALL, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def listed(telnyx, events: str, **params: Any) -> list[str]:
    response = telnyx.get(events, params=params)
    assert response.status_code == 200, response.text
    return [event["scheduled_at_fixed_datetime"] for event in response.json()["data"]]


# --- create ---------------------------------------------------------------------------------

def test_create_answers_201_with_a_pending_phone_call(telnyx, assistant, events):
    response = telnyx.post(events, json=CALL)
    assert response.status_code == 201
    event = response.json()
    assert event == {
        "scheduled_event_id": event["scheduled_event_id"], "assistant_id": assistant["id"],
        "scheduled_at_fixed_datetime": "2026-12-01T09:00:00.000Z",
        "telnyx_conversation_channel": "phone_call",
        "telnyx_end_user_target": "+13125550100", "telnyx_agent_target": "+13125550199",
        "status": "pending", "retry_count": 0, "errors": [], "created_at": event["created_at"]}
    assert UUID4.match(event["scheduled_event_id"])
    assert TIMESTAMP.match(event["created_at"])


def test_create_answers_a_pending_text_with_its_text(telnyx, events):
    event = telnyx.post(events, json=SMS).json()
    assert (event["telnyx_conversation_channel"], event["text"], event["status"]) == (
        "sms_chat", "Your table is ready.", "pending")


def test_a_text_without_text_is_refused_with_10015(telnyx, telnyx_errors, events):
    response = telnyx.post(events, json={key: value for key, value in SMS.items()
                                         if key != "text"})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "text is required for sms_chat scheduled events.")


def test_a_text_with_empty_text_is_refused(telnyx, telnyx_errors, events):
    response = telnyx.post(events, json={**SMS, "text": ""})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "text is required for sms_chat scheduled events.")


def test_a_call_keeps_its_call_settings_and_retries_but_not_text(telnyx, events):
    event = schedule(telnyx, events, text="ignored", call_settings={},
                     max_retries_client_errors=2, retry_interval_secs="600")
    assert event["call_settings"] == {"sip_region": "US"}
    assert (event["max_retries_client_errors"], event["retry_interval_secs"]) == (2, 600)
    assert "text" not in event


def test_a_text_leaves_out_the_call_settings(telnyx, events):
    event = telnyx.post(events, json={**SMS, "call_settings": {"sip_region": "Europe"},
                                      "max_retries_client_errors": 2}).json()
    assert "call_settings" not in event
    assert "max_retries_client_errors" not in event


def test_create_keeps_conversation_metadata_and_dynamic_variables(telnyx, events):
    event = schedule(telnyx, events, conversation_metadata={"order": 42, "vip": True,
                                                            "tier": "gold"},
                     dynamic_variables={"first_name": "Ada"})
    assert event["conversation_metadata"] == {"order": 42, "vip": True, "tier": "gold"}
    assert event["dynamic_variables"] == {"first_name": "Ada"}


def test_create_normalizes_the_scheduled_time_to_utc(telnyx, events):
    event = schedule(telnyx, events, scheduled_at_fixed_datetime="2026-12-01T10:30:00+01:00")
    assert event["scheduled_at_fixed_datetime"] == "2026-12-01T09:30:00.000Z"


def test_create_takes_a_time_without_offset_as_utc(telnyx, events):
    event = schedule(telnyx, events, scheduled_at_fixed_datetime="2026-12-01T09:30:00")
    assert event["scheduled_at_fixed_datetime"] == "2026-12-01T09:30:00.000Z"


def test_create_accepts_a_date_as_its_midnight(telnyx, events):
    event = schedule(telnyx, events, scheduled_at_fixed_datetime="2026-12-01")
    assert event["scheduled_at_fixed_datetime"] == "2026-12-01T00:00:00.000Z"


def test_create_accepts_a_unix_timestamp(telnyx, events):
    event = schedule(telnyx, events, scheduled_at_fixed_datetime=1796115600)
    assert event["scheduled_at_fixed_datetime"] == "2026-12-01T09:00:00.000Z"


def test_create_pads_years_before_1000_to_four_digits(telnyx, events):
    event = schedule(telnyx, events, scheduled_at_fixed_datetime="0999-01-01T00:00:00Z")
    assert event["scheduled_at_fixed_datetime"] == "0999-01-01T00:00:00.000Z"
    assert listed(telnyx, events) == ["0999-01-01T00:00:00.000Z"]


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_a_time_outside_the_representable_range_is_refused_with_10015(
        telnyx, telnyx_errors, events, moment):
    response = telnyx.post(events, json={**CALL, "scheduled_at_fixed_datetime": moment})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "scheduled_at_fixed_datetime is out of range.")


def test_create_without_a_body_lists_nothing_but_missing_body(telnyx, events):
    response = telnyx.post(events)
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_create_with_an_empty_body_lists_every_required_field(telnyx, events):
    response = telnyx.post(events, json={})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", field], "msg": "Field required", "input": {}}
        for field in ("telnyx_conversation_channel", "telnyx_end_user_target",
                      "telnyx_agent_target", "scheduled_at_fixed_datetime")]}


def test_create_refuses_an_unknown_channel_with_an_enum_error(telnyx, events):
    response = telnyx.post(events, json={**CALL, "telnyx_conversation_channel": "web_call"})
    assert response.json() == {"detail": [{
        "type": "enum", "loc": ["body", "telnyx_conversation_channel"],
        "msg": "Input should be 'phone_call' or 'sms_chat'", "input": "web_call",
        "ctx": {"expected": "'phone_call' or 'sms_chat'"}}]}


def test_create_refuses_a_time_that_is_not_a_datetime(telnyx, events):
    response = telnyx.post(events, json={**CALL, "scheduled_at_fixed_datetime": "tomorrow"})
    assert response.json() == {"detail": [{
        "type": "datetime_from_date_parsing", "loc": ["body", "scheduled_at_fixed_datetime"],
        "msg": "Input should be a valid datetime or date, input is too short",
        "input": "tomorrow", "ctx": {"error": "input is too short"}}]}


def test_create_lists_every_error_of_the_nested_fields(telnyx, events):
    response = telnyx.post(events, json={**CALL, "dynamic_variables": {"first_name": 1},
                                         "call_settings": {"sip_region": "Mars"},
                                         "retry_interval_secs": "soon"})
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "dynamic_variables", "first_name"],
         "msg": "Input should be a valid string", "input": 1},
        {"type": "literal_error", "loc": ["body", "call_settings", "sip_region"],
         "msg": "Input should be 'US', 'Europe', 'Canada', 'Australia' or 'Middle East'",
         "input": "Mars",
         "ctx": {"expected": "'US', 'Europe', 'Canada', 'Australia' or 'Middle East'"}},
        {"type": "int_parsing", "loc": ["body", "retry_interval_secs"],
         "msg": "Input should be a valid integer, unable to parse string as an integer",
         "input": "soon"}]}


def test_conversation_metadata_values_must_be_strings_integers_or_booleans(telnyx, events):
    response = telnyx.post(events, json={**CALL, "conversation_metadata": {"tags": ["a"]}})
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("string_type", ["body", "conversation_metadata", "tags", "str"]),
        ("int_type", ["body", "conversation_metadata", "tags", "int"]),
        ("bool_type", ["body", "conversation_metadata", "tags", "bool"])]


# --- list -----------------------------------------------------------------------------------

def test_list_of_an_assistant_without_events_is_an_empty_page(telnyx, events):
    response = telnyx.get(events)
    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": {"page_number": 1, "page_size": 20,
                                                     "total_pages": 0, "total_results": 0}}


def test_list_answers_the_events_as_created(telnyx, events):
    event = schedule(telnyx, events)
    sms = telnyx.post(events, json={**SMS, "scheduled_at_fixed_datetime": "2026-12-02"}).json()
    response = telnyx.get(events)
    assert response.json() == {"data": [event, sms], "meta": {
        "page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 2}}


def test_list_is_earliest_scheduled_first(telnyx, events):
    for moment in ("2026-12-03T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"):
        schedule(telnyx, events, scheduled_at_fixed_datetime=moment)
    assert listed(telnyx, events) == ["2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z",
                                      "2026-12-03T00:00:00.000Z"]


def test_list_filters_by_channel(telnyx, events):
    schedule(telnyx, events)
    sms = telnyx.post(events, json=SMS).json()
    response = telnyx.get(events, params={"conversation_channel": "sms_chat"})
    assert response.json()["data"] == [sms]


def test_list_filters_by_an_inclusive_date_range(telnyx, events):
    for day in ("01", "02", "03", "04"):
        schedule(telnyx, events, scheduled_at_fixed_datetime=f"2026-12-{day}T09:00:00Z")
    assert listed(telnyx, events, from_date="2026-12-02T09:00:00Z",
                  to_date="2026-12-03T09:00:00Z") == [
        "2026-12-02T09:00:00.000Z", "2026-12-03T09:00:00.000Z"]


def test_list_compares_dates_across_offsets(telnyx, events):
    schedule(telnyx, events, scheduled_at_fixed_datetime="2026-12-01T09:00:00Z")
    assert listed(telnyx, events, from_date="2026-12-01T10:00:00+01:00") == [
        "2026-12-01T09:00:00.000Z"]
    assert listed(telnyx, events, from_date="2026-12-01T10:00:01+01:00") == []


def test_list_pages(telnyx, events):
    for day in range(1, 6):
        schedule(telnyx, events, scheduled_at_fixed_datetime=f"2026-12-0{day}")
    response = telnyx.get(events, params={"page[number]": "3", "page[size]": "2"})
    assert [e["scheduled_at_fixed_datetime"] for e in response.json()["data"]] == [
        "2026-12-05T00:00:00.000Z"]
    assert response.json()["meta"] == {"page_number": 3, "page_size": 2, "total_pages": 3,
                                       "total_results": 5}


def test_list_refuses_every_bad_query_parameter_at_once(telnyx, events):
    response = telnyx.get(events, params={"page[number]": "x", "page[size]": "0",
                                          "conversation_channel": "fax", "to_date": "later"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "int_parsing", "loc": ["query", "page[number]"],
         "msg": "Input should be a valid integer, unable to parse string as an integer",
         "input": "x"},
        {"type": "greater_than_equal", "loc": ["query", "page[size]"],
         "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}},
        {"type": "enum", "loc": ["query", "conversation_channel"],
         "msg": "Input should be 'phone_call' or 'sms_chat'", "input": "fax",
         "ctx": {"expected": "'phone_call' or 'sms_chat'"}},
        {"type": "datetime_from_date_parsing", "loc": ["query", "to_date"],
         "msg": "Input should be a valid datetime or date, input is too short",
         "input": "later", "ctx": {"error": "input is too short"}}]}


def test_list_refuses_a_page_size_over_100(telnyx, events):
    response = telnyx.get(events, params={"page[size]": "101"})
    assert response.json() == {"detail": [{
        "type": "less_than_equal", "loc": ["query", "page[size]"],
        "msg": "Input should be less than or equal to 100", "input": "101",
        "ctx": {"le": 100}}]}


def test_list_refuses_a_from_date_outside_the_representable_range(
        telnyx, telnyx_errors, events):
    response = telnyx.get(events, params={"from_date": "9999-12-31T23:59:59-01:00"})
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request("from_date is out of range.")


def test_events_belong_to_their_assistant(telnyx, events):
    schedule(telnyx, events)
    other = telnyx.create_assistant(name="Other")
    assert listed(telnyx, f"/ai/assistants/{other['id']}/scheduled_events") == []


# --- get and delete -------------------------------------------------------------------------

def test_get_answers_the_event(telnyx, events):
    event = schedule(telnyx, events)
    response = telnyx.get(f"{events}/{event['scheduled_event_id']}")
    assert response.status_code == 200
    assert response.json() == event


def test_get_of_an_unknown_event_is_404(telnyx, telnyx_errors, events):
    response = telnyx.get(f"{events}/event-unknown")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found("Scheduled event event-unknown not found.")


def test_get_of_another_assistants_event_is_404(telnyx, telnyx_errors, events):
    event = schedule(telnyx, events)
    other = telnyx.create_assistant(name="Other")
    response = telnyx.get(
        f"/ai/assistants/{other['id']}/scheduled_events/{event['scheduled_event_id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Scheduled event {event['scheduled_event_id']} not found.")


def test_delete_answers_200_without_a_body(telnyx, events):
    event = schedule(telnyx, events)
    response = telnyx.delete(f"{events}/{event['scheduled_event_id']}")
    assert response.status_code == 200
    assert response.content == b""


def test_a_deleted_event_is_gone(telnyx, telnyx_errors, events):
    event = schedule(telnyx, events)
    telnyx.delete(f"{events}/{event['scheduled_event_id']}")
    assert telnyx.get(f"{events}/{event['scheduled_event_id']}").status_code == 404
    assert listed(telnyx, events) == []


def test_deleting_an_event_twice_is_404(telnyx, telnyx_errors, events):
    event = schedule(telnyx, events)
    telnyx.delete(f"{events}/{event['scheduled_event_id']}")
    response = telnyx.delete(f"{events}/{event['scheduled_event_id']}")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Scheduled event {event['scheduled_event_id']} not found.")


def test_events_of_a_restored_assistant_are_back(telnyx, assistant, events):
    event = schedule(telnyx, events)
    telnyx.delete(f"/ai/assistants/{assistant['id']}")
    assert telnyx.get(events).status_code == 404
    telnyx.post(f"/ai/assistants/{assistant['id']}/restore")
    assert telnyx.get(events).json()["data"] == [event]
