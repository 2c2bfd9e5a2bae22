"""Telnyx over HTTP: creating, listing, reading, updating, cloning and importing assistants.

POST /ai/assistants answers 200 (not 201) with the assistant; updates are POSTs to the
assistant's own path and save a new version; lists have no pagination. Request bodies are
validated the way Telnyx's FastAPI backend does it: every error at once, pydantic v2 types and
messages, lax coercion, extra fields ignored.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

DEFAULT_MODEL = "meta-llama/Meta-Llama-3.1-70B-Instruct"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
HANGUP = {"type": "hangup", "hangup": {"description": "Hang up when the caller is done."}}
WEBHOOK = {"type": "webhook", "webhook": {"name": "lookup", "description": "Find the order.",
                                          "url": "https://example.com/orders"}}
TOOL_TAGS = ("'function', 'webhook', 'client_side_tool', 'retrieval', 'handoff', 'hangup', "
             "'transfer', 'invite', 'refer', 'send_dtmf', 'send_message', 'skip_turn', "
             "'vision', 'pay', 'update_dynamic_variables', 'book_appointment', "
             "'check_availability'")


def create(telnyx, **fields: Any):
    return telnyx.post("/ai/assistants",
                       json={"name": "Support bot", "instructions": "Help.", **fields})


def update(telnyx, assistant_id: str, **fields: Any):
    return telnyx.post(f"/ai/assistants/{assistant_id}", json=fields)


# --- create ---------------------------------------------------------------------------------

def test_create_answers_200_with_the_assistant_and_only_its_fields(telnyx):
    response = create(telnyx)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {
        "id", "name", "created_at", "model", "instructions",
        "dynamic_variables_webhook_timeout_ms", "telephony_settings", "messaging_settings",
        "version_id", "version_name", "version_created_at"}


def test_create_echoes_name_and_instructions(telnyx):
    assistant = create(telnyx, name="Front desk", instructions="Greet {{caller}}.").json()
    assert (assistant["name"], assistant["instructions"]) == ("Front desk", "Greet {{caller}}.")


def test_create_ids_are_assistant_dash_uuid4(telnyx):
    assistant_id = create(telnyx).json()["id"]
    assert assistant_id.startswith("assistant-")
    assert UUID4.match(assistant_id.removeprefix("assistant-"))


def test_create_without_model_applies_the_default_model(telnyx):
    assert create(telnyx).json()["model"] == DEFAULT_MODEL


def test_create_keeps_a_sent_model(telnyx):
    assert create(telnyx, model="openai/gpt-4o").json()["model"] == "openai/gpt-4o"


def test_create_stamps_created_at_in_rfc3339_with_milliseconds(telnyx):
    assistant = create(telnyx).json()
    assert TIMESTAMP.match(assistant["created_at"])
    assert assistant["version_created_at"] == assistant["created_at"]


def test_create_starts_a_main_version_named_new_assistant(telnyx):
    assistant = create(telnyx).json()
    assert UUID4.match(assistant["version_id"])
    assert assistant["version_name"] == "New assistant"


def test_create_fills_the_dynamic_variables_webhook_timeout_default(telnyx):
    assert create(telnyx).json()["dynamic_variables_webhook_timeout_ms"] == 1500


def test_create_makes_a_texml_app_and_a_messaging_profile(telnyx):
    assistant = create(telnyx).json()
    app_id = assistant["telephony_settings"]["default_texml_app_id"]
    assert app_id.isdigit() and len(app_id) == 19
    assert UUID4.match(assistant["messaging_settings"]["default_messaging_profile_id"])


def test_create_keeps_a_sent_texml_app_and_messaging_profile(telnyx):
    assistant = create(telnyx, telephony_settings={"default_texml_app_id": "1234"},
                       messaging_settings={"default_messaging_profile_id": "profile-1"}).json()
    assert assistant["telephony_settings"] == {"default_texml_app_id": "1234",
                                               "time_limit_secs": 1800}
    assert assistant["messaging_settings"] == {"default_messaging_profile_id": "profile-1"}


def test_create_fills_nested_defaults_of_the_sent_settings(telnyx):
    assistant = create(telnyx, voice_settings={"voice": "Telnyx.KokoroTTS.af_heart"}).json()
    assert assistant["voice_settings"] == {
        "voice": "Telnyx.KokoroTTS.af_heart", "voice_speed": 1, "temperature": 0.5,
        "similarity_boost": 0.75, "style": 0, "speed": 1.0, "use_speaker_boost": True}


def test_create_fills_tool_defaults(telnyx):
    assistant = create(telnyx, tools=[{"type": "hangup", "hangup": {}}, WEBHOOK]).json()
    assert assistant["tools"] == [
        {"type": "hangup", "hangup": {"description": "This tool is used to hang up the call."}},
        {"type": "webhook", "webhook": {**WEBHOOK["webhook"], "method": "POST",
                                        "async": False}}]


def test_create_fills_the_defaults_of_handoff_and_pay_tools(telnyx):
    assistant = create(telnyx, tools=[
        {"type": "handoff", "handoff": {"ai_assistants": [{"id": "assistant-x", "name": "X"}]}},
        {"type": "pay", "pay": {"connector_name": "stripe"}}]).json()
    assert assistant["tools"] == [
        {"type": "handoff", "handoff": {"ai_assistants": [{"id": "assistant-x", "name": "X"}],
                                        "voice_mode": "unified"}},
        {"type": "pay", "pay": {"connector_name": "stripe", "currency": "USD",
                                "payment_method": "credit-card"}}]


def test_create_fills_the_defaults_of_every_sent_settings_object(telnyx):
    assistant = create(telnyx, transcription={"model": "deepgram/flux", "settings": {}},
                       insight_settings={}, privacy_settings={}, post_conversation_settings={},
                       external_llm={"base_url": "https://llm.example.com/v1", "model": "m"})
    assert {key: assistant.json()[key] for key in (
        "transcription", "insight_settings", "privacy_settings", "post_conversation_settings",
        "external_llm")} == {
        "transcription": {"model": "deepgram/flux",
                          "settings": {"eot_threshold": 0.8, "eot_timeout_ms": 5000}},
        "insight_settings": {"model": "zai-org/GLM-5.3-Flash"},
        "privacy_settings": {"pii_redaction": "disabled", "in_transit_data_locality": False},
        "post_conversation_settings": {"enabled": False},
        "external_llm": {"base_url": "https://llm.example.com/v1", "model": "m",
                         "forward_metadata": False}}


def test_create_accepts_every_tool_type_once(telnyx):
    tools = [
        {"type": "function", "function": {"name": "f"}},
        WEBHOOK,
        {"type": "client_side_tool", "client_side_tool": {
            "name": "c", "description": "d", "parameters": {"type": "object"}}},
        {"type": "retrieval", "retrieval": {"bucket_ids": ["docs"], "max_num_results": 3}},
        {"type": "handoff", "handoff": {"ai_assistants": [{"id": "assistant-x", "name": "X"}]}},
        HANGUP,
        {"type": "transfer", "transfer": {"from": "+13125550199",
                                          "targets": [{"to": "+13125550100", "name": "Desk"}]}},
        {"type": "invite", "invite": {"from": "+13125550199"}},
        {"type": "refer", "refer": {"targets": [{"name": "PBX", "sip_address": "sip:a@b"}]}},
        {"type": "send_dtmf", "send_dtmf": {}},
        {"type": "send_message", "send_message": {"message_template": None}},
        {"type": "skip_turn", "skip_turn": {}},
        {"type": "vision"},
        {"type": "pay", "pay": {"connector_name": "stripe"}},
        {"type": "update_dynamic_variables", "update_dynamic_variables": {
            "name": "remember", "description": "d", "updatable_variables": [{"name": "tier"}]}},
        {"type": "book_appointment", "book_appointment": {"event_type_id": 1,
                                                          "api_key_ref": "cal"}},
        {"type": "check_availability", "check_availability": {"event_type_id": 1,
                                                              "api_key_ref": "cal"}},
    ]
    response = create(telnyx, tools=tools)
    assert response.status_code == 200, response.text
    assert [tool["type"] for tool in response.json()["tools"]] == [t["type"] for t in tools]


def test_create_accepts_the_transfer_targets_as_a_template_string(telnyx):
    tool = {"type": "transfer", "transfer": {"from": "+13125550199", "targets": "{{targets}}"}}
    assert create(telnyx, tools=[tool]).json()["tools"][0]["transfer"]["targets"] == (
        "{{targets}}")


def test_create_coerces_a_numeric_string_to_an_integer_and_stores_it(telnyx):
    assistant = create(telnyx, dynamic_variables_webhook_timeout_ms="2500").json()
    assert assistant["dynamic_variables_webhook_timeout_ms"] == 2500
    stored = telnyx.get(f"/ai/assistants/{assistant['id']}").json()
    assert stored["dynamic_variables_webhook_timeout_ms"] == 2500


def test_create_coerces_boolean_words_and_numeric_strings_in_nested_settings(telnyx):
    assistant = create(telnyx, privacy_settings={"data_retention": "yes"},
                       voice_settings={"voice": "v", "voice_speed": "1.25"}).json()
    assert assistant["privacy_settings"]["data_retention"] is True
    assert assistant["voice_settings"]["voice_speed"] == 1.25


def test_create_accepts_a_whole_float_for_an_integer(telnyx):
    assistant = create(telnyx, dynamic_variables_webhook_timeout_ms=2000.0).json()
    assert assistant["dynamic_variables_webhook_timeout_ms"] == 2000


def test_create_ignores_unknown_fields_at_every_level(telnyx):
    assistant = create(telnyx, colour="blue", voice_settings={"voice": "v", "pitch": 3}).json()
    assert "colour" not in assistant
    assert "pitch" not in assistant["voice_settings"]


def test_create_ignores_server_owned_fields(telnyx):
    assistant = create(telnyx, id="assistant-mine", created_at="2020-01-01T00:00:00Z",
                       version_id="v-mine").json()
    assert assistant["id"] != "assistant-mine"
    assert assistant["created_at"] != "2020-01-01T00:00:00Z"
    assert assistant["version_id"] != "v-mine"


def test_create_accepts_tool_ids_but_never_echoes_them(telnyx):
    assistant = create(telnyx, tool_ids=["tool-1"]).json()
    assert "tool_ids" not in assistant
    assert "tool_ids" not in telnyx.get(f"/ai/assistants/{assistant['id']}").json()


def test_create_keeps_unicode_text(telnyx):
    assistant = create(telnyx, name="Zoë 🤖", greeting="¡Hola!").json()
    assert (assistant["name"], assistant["greeting"]) == ("Zoë 🤖", "¡Hola!")


def test_create_answers_the_same_assistant_a_get_answers(telnyx):
    created = create(telnyx, description="Answers calls.", tags=["support"]).json()
    assert telnyx.get(f"/ai/assistants/{created['id']}").json() == created


# --- create: 422 ----------------------------------------------------------------------------

def test_create_without_name_and_instructions_lists_both_missing_fields(telnyx):
    response = telnyx.post("/ai/assistants", json={})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {}},
        {"type": "missing", "loc": ["body", "instructions"], "msg": "Field required",
         "input": {}}]}


def test_create_with_wrong_types_lists_every_error_in_field_order(telnyx):
    response = telnyx.post("/ai/assistants", json={
        "name": 7, "instructions": ["Help."], "tags": "vip", "enabled_features": ["fax"]})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string",
         "input": 7},
        {"type": "string_type", "loc": ["body", "instructions"],
         "msg": "Input should be a valid string", "input": ["Help."]},
        {"type": "enum", "loc": ["body", "enabled_features", 0],
         "msg": "Input should be 'telephony' or 'messaging'", "input": "fax",
         "ctx": {"expected": "'telephony' or 'messaging'"}},
        {"type": "list_type", "loc": ["body", "tags"], "msg": "Input should be a valid list",
         "input": "vip"}]}


def test_create_refuses_null_for_a_field_that_is_not_nullable(telnyx):
    response = create(telnyx, description=None)
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "description"],
         "msg": "Input should be a valid string", "input": None}]}


def test_create_with_an_unknown_tool_type_is_union_tag_invalid(telnyx):
    response = create(telnyx, tools=[{"type": "teleport", "teleport": {}}])
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "union_tag_invalid", "loc": ["body", "tools", 0],
        "msg": f"Input tag 'teleport' found using 'type' does not match any of the expected "
               f"tags: {TOOL_TAGS}",
        "input": {"type": "teleport", "teleport": {}},
        "ctx": {"discriminator": "'type'", "tag": "teleport", "expected_tags": TOOL_TAGS}}]}


def test_create_with_a_tool_without_type_is_union_tag_not_found(telnyx):
    response = create(telnyx, tools=[{"hangup": {}}])
    assert response.json() == {"detail": [{
        "type": "union_tag_not_found", "loc": ["body", "tools", 0],
        "msg": "Unable to extract tag using discriminator 'type'", "input": {"hangup": {}},
        "ctx": {"discriminator": "'type'"}}]}


def test_create_reports_missing_tool_fields_under_the_tool_tag(telnyx):
    response = create(telnyx, tools=[{"type": "webhook", "webhook": {"url": "https://x"}}])
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "tools", 0, "webhook", "webhook", field],
         "msg": "Field required", "input": {"url": "https://x"}}
        for field in ("name", "description")]}


def test_create_reports_a_tool_without_its_parameters_object(telnyx):
    response = create(telnyx, tools=[{"type": "hangup"}])
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "tools", 0, "hangup", "hangup"],
         "msg": "Field required", "input": {"type": "hangup"}}]}


def test_create_with_an_unknown_webhook_method_is_a_literal_error(telnyx):
    tool = {"type": "webhook", "webhook": {**WEBHOOK["webhook"], "method": "FETCH"}}
    response = create(telnyx, tools=[tool])
    assert response.json() == {"detail": [{
        "type": "literal_error", "loc": ["body", "tools", 0, "webhook", "webhook", "method"],
        "msg": "Input should be 'GET', 'POST', 'PUT', 'DELETE' or 'PATCH'", "input": "FETCH",
        "ctx": {"expected": "'GET', 'POST', 'PUT', 'DELETE' or 'PATCH'"}}]}


def test_create_ignores_import_metadata_which_only_an_import_sets(telnyx):
    assistant = create(telnyx, import_metadata={"import_provider": "vapi", "import_id": "x"})
    assert "import_metadata" not in assistant.json()


@pytest.mark.parametrize(("value", "error"), [
    (0, {"type": "greater_than_equal", "msg": "Input should be greater than or equal to 1",
         "ctx": {"ge": 1}}),
    (10001, {"type": "less_than_equal", "msg": "Input should be less than or equal to 10000",
             "ctx": {"le": 10000}}),
])
def test_create_refuses_a_webhook_timeout_out_of_bounds(telnyx, value, error):
    response = create(telnyx, dynamic_variables_webhook_timeout_ms=value)
    assert response.json() == {"detail": [
        {"type": error["type"], "loc": ["body", "dynamic_variables_webhook_timeout_ms"],
         "msg": error["msg"], "input": value, "ctx": error["ctx"]}]}


@pytest.mark.parametrize("value", [1, 10000])
def test_create_accepts_a_webhook_timeout_on_its_bounds(telnyx, value):
    assert create(telnyx, dynamic_variables_webhook_timeout_ms=value).status_code == 200


def test_create_refuses_a_string_that_is_not_an_integer(telnyx):
    response = create(telnyx, dynamic_variables_webhook_timeout_ms="1500.5")
    assert response.json() == {"detail": [{
        "type": "int_parsing", "loc": ["body", "dynamic_variables_webhook_timeout_ms"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": "1500.5"}]}


def test_create_refuses_a_fractional_number_for_an_integer(telnyx):
    response = create(telnyx, dynamic_variables_webhook_timeout_ms=1500.5)
    assert response.json() == {"detail": [{
        "type": "int_from_float", "loc": ["body", "dynamic_variables_webhook_timeout_ms"],
        "msg": "Input should be a valid integer, got a number with a fractional part",
        "input": 1500.5}]}


def test_create_refuses_a_voice_speed_out_of_bounds(telnyx):
    response = create(telnyx, voice_settings={"voice": "v", "voice_speed": 2})
    assert response.json() == {"detail": [{
        "type": "less_than_equal", "loc": ["body", "voice_settings", "voice_speed"],
        "msg": "Input should be less than or equal to 1.5", "input": 2, "ctx": {"le": 1.5}}]}


def test_create_refuses_every_settings_value_out_of_its_bounds_at_once(telnyx):
    response = create(
        telnyx, external_llm={},
        voice_settings={"voice": "v", "background_audio": {
            "type": "predefined_media", "value": "office", "volume": 0.05}},
        transcription={"settings": {"eot_threshold": 0.95, "eot_timeout_ms": 499}},
        telephony_settings={"time_limit_secs": 14401, "user_idle_timeout_secs": 9},
        messaging_settings={"conversation_inactivity_minutes": 0})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "external_llm", "base_url"],
         "msg": "Field required", "input": {}},
        {"type": "missing", "loc": ["body", "external_llm", "model"], "msg": "Field required",
         "input": {}},
        {"type": "greater_than_equal",
         "loc": ["body", "voice_settings", "background_audio", "predefined_media", "volume"],
         "msg": "Input should be greater than or equal to 0.1", "input": 0.05,
         "ctx": {"ge": 0.1}},
        {"type": "less_than_equal", "loc": ["body", "transcription", "settings", "eot_threshold"],
         "msg": "Input should be less than or equal to 0.9", "input": 0.95, "ctx": {"le": 0.9}},
        {"type": "greater_than_equal",
         "loc": ["body", "transcription", "settings", "eot_timeout_ms"],
         "msg": "Input should be greater than or equal to 500", "input": 499,
         "ctx": {"ge": 500}},
        {"type": "less_than_equal", "loc": ["body", "telephony_settings", "time_limit_secs"],
         "msg": "Input should be less than or equal to 14400", "input": 14401,
         "ctx": {"le": 14400}},
        {"type": "greater_than_equal",
         "loc": ["body", "telephony_settings", "user_idle_timeout_secs"],
         "msg": "Input should be greater than or equal to 10", "input": 9, "ctx": {"ge": 10}},
        {"type": "greater_than_equal",
         "loc": ["body", "messaging_settings", "conversation_inactivity_minutes"],
         "msg": "Input should be greater than or equal to 1", "input": 0, "ctx": {"ge": 1}}]}


def test_create_refuses_a_background_audio_of_an_unknown_kind(telnyx):
    response = create(telnyx, voice_settings={"voice": "v", "background_audio": {
        "type": "radio", "value": "jazz"}})
    assert response.json() == {"detail": [{
        "type": "union_tag_invalid", "loc": ["body", "voice_settings", "background_audio"],
        "msg": "Input tag 'radio' found using 'type' does not match any of the expected tags: "
               "'predefined_media', 'media_url', 'media_name'",
        "input": {"type": "radio", "value": "jazz"},
        "ctx": {"discriminator": "'type'", "tag": "radio",
                "expected_tags": "'predefined_media', 'media_url', 'media_name'"}}]}


def test_create_refuses_voice_settings_without_a_voice(telnyx):
    response = create(telnyx, voice_settings={"voice_speed": 1})
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "voice_settings", "voice"], "msg": "Field required",
         "input": {"voice_speed": 1}}]}


def test_create_refuses_an_unknown_transcription_model(telnyx):
    response = create(telnyx, transcription={"model": "whisper-9"})
    error = response.json()["detail"][0]
    assert (error["type"], error["loc"], error["input"]) == (
        "literal_error", ["body", "transcription", "model"], "whisper-9")
    assert "'deepgram/flux'" in error["msg"]


def test_create_refuses_a_non_boolean_word(telnyx):
    response = create(telnyx, privacy_settings={"data_retention": "perhaps"})
    assert response.json() == {"detail": [{
        "type": "bool_parsing", "loc": ["body", "privacy_settings", "data_retention"],
        "msg": "Input should be a valid boolean, unable to interpret input",
        "input": "perhaps"}]}


def test_create_refuses_a_settings_object_that_is_a_string(telnyx):
    response = create(telnyx, telephony_settings="default")
    assert response.json() == {"detail": [{
        "type": "model_attributes_type", "loc": ["body", "telephony_settings"],
        "msg": "Input should be a valid dictionary or object to extract fields from",
        "input": "default"}]}


def test_create_ignores_a_version_name_which_only_updates_take(telnyx):
    assert create(telnyx, version_name="x" * 60).json()["version_name"] == "New assistant"


# --- create: 400 ----------------------------------------------------------------------------

@pytest.mark.parametrize("tool", [
    HANGUP,
    {"type": "transfer", "transfer": {"from": "+1", "targets": [{"to": "+2"}]}},
    {"type": "retrieval", "retrieval": {"bucket_ids": ["docs"]}},
    {"type": "send_dtmf", "send_dtmf": {}},
])
def test_create_refuses_a_second_tool_of_a_single_instance_type(telnyx, telnyx_errors, tool):
    response = create(telnyx, tools=[tool, tool])
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        f"Only one tool of type '{tool['type']}' is allowed per assistant.")


def test_a_refused_create_stores_nothing(telnyx):
    create(telnyx, tools=[HANGUP, HANGUP])
    assert telnyx.get("/ai/assistants").json() == {"data": []}


@pytest.mark.parametrize("tool", [
    WEBHOOK,
    {"type": "function", "function": {"name": "f"}},
    {"type": "client_side_tool", "client_side_tool": {"name": "c", "description": "d",
                                                      "parameters": {"type": "object"}}},
])
def test_create_accepts_several_tools_of_a_multi_instance_type(telnyx, tool):
    response = create(telnyx, tools=[tool, tool, HANGUP])
    assert response.status_code == 200
    assert len(response.json()["tools"]) == 3


# --- list -----------------------------------------------------------------------------------

def test_list_of_a_new_account_is_empty_data_without_meta(telnyx):
    response = telnyx.get("/ai/assistants")
    assert response.status_code == 200
    assert response.json() == {"data": []}


def test_list_answers_every_assistant_oldest_first(telnyx):
    first = create(telnyx, name="First").json()
    second = create(telnyx, name="Second").json()
    assert telnyx.get("/ai/assistants").json() == {"data": [first, second]}


def test_list_shows_each_assistant_by_its_main_version(telnyx, assistant):
    update(telnyx, assistant["id"], name="Draft", promote_to_main=False)
    assert telnyx.get("/ai/assistants").json()["data"] == [assistant]


def test_list_leaves_out_soft_deleted_assistants(telnyx, assistant):
    kept = create(telnyx, name="Kept").json()
    telnyx.delete(f"/ai/assistants/{assistant['id']}")
    assert telnyx.get("/ai/assistants").json() == {"data": [kept]}


def test_list_shows_only_the_callers_own_assistants(telnyx, other_tenant, assistant):
    other_tenant.create_assistant(name="Theirs")
    assert telnyx.get("/ai/assistants").json() == {"data": [assistant]}


def test_list_ignores_pagination_parameters(telnyx):
    created = [create(telnyx, name=f"Bot {n}").json() for n in range(3)]
    response = telnyx.get("/ai/assistants", params={"page[size]": 1})
    assert response.json() == {"data": created}


# --- get ------------------------------------------------------------------------------------

def test_get_answers_the_assistant(telnyx, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}")
    assert response.status_code == 200
    assert response.json() == assistant


def test_get_accepts_the_call_context_query_parameters(telnyx, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}", params={
        "fetch_dynamic_variables_from_webhook": "true", "from": "+13125550100",
        "to": "+13125550199", "call_control_id": "v3:abc"})
    assert response.status_code == 200
    assert response.json() == assistant


def test_get_refuses_a_fetch_flag_that_is_not_a_boolean(telnyx, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}",
                          params={"fetch_dynamic_variables_from_webhook": "sometimes"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "bool_parsing", "loc": ["query", "fetch_dynamic_variables_from_webhook"],
        "msg": "Input should be a valid boolean, unable to interpret input",
        "input": "sometimes"}]}


def test_get_validates_the_query_before_looking_up_the_assistant(telnyx):
    response = telnyx.get("/ai/assistants/assistant-unknown",
                          params={"fetch_dynamic_variables_from_webhook": "2"})
    assert response.status_code == 422


def test_get_of_an_unknown_assistant_is_404_resource_not_found(telnyx, telnyx_errors):
    response = telnyx.get("/ai/assistants/assistant-unknown")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found("assistant-unknown")


# --- update ---------------------------------------------------------------------------------

def test_update_answers_the_new_main_version(telnyx, assistant):
    response = update(telnyx, assistant["id"], name="Renamed")
    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "Renamed"
    assert updated["id"] == assistant["id"]
    assert updated["created_at"] == assistant["created_at"]
    assert updated["version_id"] != assistant["version_id"]
    assert updated["version_name"] == "New assistant"
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == updated


def test_update_keeps_every_field_it_does_not_send(telnyx):
    assistant = create(telnyx, description="Answers calls.", greeting="Hi!",
                       dynamic_variables_webhook_timeout_ms=3000).json()
    updated = update(telnyx, assistant["id"], name="Renamed").json()
    assert {key: updated[key] for key in ("description", "greeting", "instructions", "model",
                                          "dynamic_variables_webhook_timeout_ms")} == {
        "description": "Answers calls.", "greeting": "Hi!", "instructions": "Help.",
        "model": DEFAULT_MODEL, "dynamic_variables_webhook_timeout_ms": 3000}


def test_update_merges_a_settings_object_key_by_key(telnyx, assistant):
    updated = update(telnyx, assistant["id"],
                     telephony_settings={"noise_suppression": "krisp"}).json()
    assert updated["telephony_settings"]["noise_suppression"] == "krisp"
    assert updated["telephony_settings"]["default_texml_app_id"] == (
        assistant["telephony_settings"]["default_texml_app_id"])


AVATAR = {"provider": "telnyx", "model": "foxtrot-1", "avatar_id": "a1",
          "background_id": "office"}


def test_update_never_resets_a_stored_nested_value_to_its_default(telnyx):
    assistant = create(telnyx, telephony_settings={"time_limit_secs": 600}).json()
    updated = update(telnyx, assistant["id"], telephony_settings={"noise_suppression": "krisp"})
    assert updated.json()["telephony_settings"]["time_limit_secs"] == 600
    assert updated.json()["telephony_settings"]["noise_suppression"] == "krisp"


def test_update_fills_spec_defaults_into_a_settings_object_it_adds(telnyx, assistant):
    updated = update(telnyx, assistant["id"], voice_settings={"voice": "Telnyx.KokoroTTS.af_heart"})
    assert updated.json()["voice_settings"]["voice_speed"] == 1


def test_update_with_null_removes_a_nullable_field(telnyx):
    assistant = create(telnyx, avatar_settings=AVATAR).json()
    assert assistant["avatar_settings"] == AVATAR
    updated = update(telnyx, assistant["id"], avatar_settings=None)
    assert updated.status_code == 200
    assert "avatar_settings" not in updated.json()


def test_update_with_null_removes_a_nullable_nested_field(telnyx):
    voice = {"voice": "v", "tool_call_audio": {"type": "media_url", "value": "https://a/b.mp3"}}
    assistant = create(telnyx, voice_settings=voice).json()
    updated = update(telnyx, assistant["id"], voice_settings={"voice": "v",
                                                              "tool_call_audio": None}).json()
    assert "tool_call_audio" not in updated["voice_settings"]


def test_update_refuses_null_for_a_field_that_is_not_nullable(telnyx, assistant):
    response = update(telnyx, assistant["id"], name=None, greeting=None)
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", field], "msg": "Input should be a valid string",
         "input": None} for field in ("name", "greeting")]}


def test_update_with_a_tools_array_replaces_the_old_tools(telnyx):
    assistant = create(telnyx, tools=[HANGUP, WEBHOOK]).json()
    updated = update(telnyx, assistant["id"], tools=[{"type": "skip_turn", "skip_turn": {}}])
    assert updated.json()["tools"] == [{"type": "skip_turn", "skip_turn": {}}]


def test_update_with_an_empty_tools_array_removes_every_tool(telnyx):
    assistant = create(telnyx, tools=[HANGUP]).json()
    assert update(telnyx, assistant["id"], tools=[]).json()["tools"] == []


def test_update_names_the_new_version(telnyx, assistant):
    updated = update(telnyx, assistant["id"], version_name="Spring campaign").json()
    assert updated["version_name"] == "Spring campaign"


def test_update_refuses_a_version_name_over_50_characters(telnyx, assistant):
    response = update(telnyx, assistant["id"], version_name="x" * 51)
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "string_too_long", "loc": ["body", "version_name"],
        "msg": "String should have at most 50 characters", "input": "x" * 51,
        "ctx": {"max_length": 50}}]}


def test_update_accepts_a_version_name_of_exactly_50_characters(telnyx, assistant):
    assert update(telnyx, assistant["id"], version_name="x" * 50).status_code == 200


def test_update_never_echoes_promote_to_main(telnyx, assistant):
    assert "promote_to_main" not in update(telnyx, assistant["id"], promote_to_main=True).json()


def test_update_with_promote_to_main_false_answers_the_new_version_and_keeps_main(
        telnyx, assistant):
    draft = update(telnyx, assistant["id"], name="Draft", promote_to_main=False).json()
    assert draft["name"] == "Draft"
    assert draft["version_id"] != assistant["version_id"]
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant


def test_update_with_promote_to_main_as_a_boolean_word(telnyx, assistant):
    update(telnyx, assistant["id"], name="Draft", promote_to_main="false")
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json()["name"] == "Support bot"


def test_update_refuses_a_promote_to_main_that_is_not_a_boolean(telnyx, assistant):
    response = update(telnyx, assistant["id"], promote_to_main="later")
    assert response.json() == {"detail": [{
        "type": "bool_parsing", "loc": ["body", "promote_to_main"],
        "msg": "Input should be a valid boolean, unable to interpret input", "input": "later"}]}


def test_update_with_an_empty_body_saves_an_unchanged_new_version(telnyx, assistant):
    updated = update(telnyx, assistant["id"]).json()
    assert updated["version_id"] != assistant["version_id"]
    assert {**updated, "version_id": None, "version_created_at": None} == {
        **assistant, "version_id": None, "version_created_at": None}


def test_update_without_a_body_is_missing_body(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}")
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_update_cannot_change_id_or_created_at(telnyx, assistant):
    updated = update(telnyx, assistant["id"], id="assistant-other",
                     created_at="2020-01-01T00:00:00Z").json()
    assert (updated["id"], updated["created_at"]) == (assistant["id"], assistant["created_at"])


def test_update_with_wrong_types_lists_every_error(telnyx, assistant):
    response = update(telnyx, assistant["id"], name=[], tools={}, enabled_features="telephony")
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string",
         "input": []},
        {"type": "list_type", "loc": ["body", "tools"], "msg": "Input should be a valid list",
         "input": {}},
        {"type": "list_type", "loc": ["body", "enabled_features"],
         "msg": "Input should be a valid list", "input": "telephony"}]}


def test_update_refuses_duplicate_single_instance_tools_with_10015(
        telnyx, telnyx_errors, assistant):
    response = update(telnyx, assistant["id"], tools=[HANGUP, WEBHOOK, HANGUP])
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        "Only one tool of type 'hangup' is allowed per assistant.")


def test_a_refused_update_saves_no_version(telnyx, assistant):
    update(telnyx, assistant["id"], tools=[HANGUP, HANGUP])
    versions = telnyx.get(f"/ai/assistants/{assistant['id']}/versions").json()["data"]
    assert versions == [assistant]


def test_update_of_an_unknown_assistant_is_404(telnyx, telnyx_errors):
    response = update(telnyx, "assistant-unknown", name="X")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found("assistant-unknown")


# --- clone ----------------------------------------------------------------------------------

def test_clone_answers_a_new_assistant_with_the_same_configuration(telnyx):
    source = create(telnyx, description="Answers calls.", tools=[HANGUP], tags=["support"],
                    voice_settings={"voice": "Telnyx.KokoroTTS.af_heart"}).json()
    response = telnyx.post(f"/ai/assistants/{source['id']}/clone")
    assert response.status_code == 200
    clone = response.json()
    assert clone["id"] != source["id"]
    assert clone["version_id"] != source["version_id"]
    assert clone["version_name"] == "New assistant"
    same = ("name", "instructions", "model", "description", "tools", "tags", "voice_settings",
            "dynamic_variables_webhook_timeout_ms")
    assert {key: clone[key] for key in same} == {key: source[key] for key in same}


def test_clone_leaves_out_telephony_and_messaging_settings(telnyx, assistant):
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    assert "telephony_settings" not in clone
    assert "messaging_settings" not in clone


def test_clone_copies_the_main_version_not_a_newer_draft(telnyx, assistant):
    update(telnyx, assistant["id"], name="Draft", promote_to_main=False)
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    assert clone["name"] == "Support bot"


def test_clone_is_listed_after_its_source(telnyx, assistant):
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    assert telnyx.get("/ai/assistants").json() == {"data": [assistant, clone]}


def test_clone_starts_with_a_single_version(telnyx, assistant):
    update(telnyx, assistant["id"], name="Second")
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    assert telnyx.get(f"/ai/assistants/{clone['id']}/versions").json() == {"data": [clone]}


def test_clone_ignores_a_body(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/clone", json={"name": "Other"})
    assert response.json()["name"] == "Support bot"


# --- import ---------------------------------------------------------------------------------

def test_import_answers_one_assistant_per_import_id(telnyx):
    response = telnyx.post("/ai/assistants/import", json={
        "provider": "vapi", "api_key_ref": "vapi_key", "import_ids": ["a1", "a2"]})
    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["import_metadata"] for item in data] == [
        {"import_provider": "vapi", "import_id": "a1"},
        {"import_provider": "vapi", "import_id": "a2"}]
    assert [item["name"] for item in data] == ["vapi assistant a1", "vapi assistant a2"]


def test_imported_assistants_are_ordinary_assistants(telnyx):
    imported = telnyx.post("/ai/assistants/import", json={
        "provider": "retell", "api_key_ref": "k", "import_ids": ["r1"]}).json()["data"][0]
    assert telnyx.get(f"/ai/assistants/{imported['id']}").json() == imported
    assert telnyx.get("/ai/assistants").json() == {"data": [imported]}


def test_importing_the_same_id_again_reuses_the_assistant(telnyx):
    body = {"provider": "elevenlabs", "api_key_ref": "k", "import_ids": ["e1"]}
    first = telnyx.post("/ai/assistants/import", json=body).json()["data"]
    again = telnyx.post("/ai/assistants/import", json=body).json()["data"]
    assert [a["id"] for a in again] == [a["id"] for a in first]
    assert len(telnyx.get("/ai/assistants").json()["data"]) == 1


def test_import_of_a_repeated_id_imports_it_once(telnyx):
    data = telnyx.post("/ai/assistants/import", json={
        "provider": "vapi", "api_key_ref": "k", "import_ids": ["a1", "a1"]}).json()["data"]
    assert len(data) == 1


def test_import_without_ids_answers_the_assistants_imported_from_that_provider(telnyx):
    vapi = telnyx.post("/ai/assistants/import", json={
        "provider": "vapi", "api_key_ref": "k", "import_ids": ["a1"]}).json()["data"]
    telnyx.post("/ai/assistants/import", json={
        "provider": "retell", "api_key_ref": "k", "import_ids": ["r1"]})
    response = telnyx.post("/ai/assistants/import", json={"provider": "vapi", "api_key_ref": "k"})
    assert response.json() == {"data": vapi}


def test_import_without_ids_from_a_new_provider_is_empty(telnyx):
    response = telnyx.post("/ai/assistants/import", json={"provider": "vapi", "api_key_ref": "k"})
    assert response.json() == {"data": []}


def test_import_of_an_id_whose_assistant_was_deleted_imports_it_anew(telnyx):
    body = {"provider": "vapi", "api_key_ref": "k", "import_ids": ["a1"]}
    first = telnyx.post("/ai/assistants/import", json=body).json()["data"][0]
    telnyx.delete(f"/ai/assistants/{first['id']}")
    again = telnyx.post("/ai/assistants/import", json=body).json()["data"][0]
    assert again["id"] != first["id"]


def test_import_without_provider_and_key_ref_lists_both(telnyx):
    response = telnyx.post("/ai/assistants/import", json={})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", "provider"], "msg": "Field required", "input": {}},
        {"type": "missing", "loc": ["body", "api_key_ref"], "msg": "Field required",
         "input": {}}]}


def test_import_from_an_unknown_provider_is_an_enum_error(telnyx):
    response = telnyx.post("/ai/assistants/import", json={"provider": "bland",
                                                          "api_key_ref": "k"})
    assert response.json() == {"detail": [{
        "type": "enum", "loc": ["body", "provider"],
        "msg": "Input should be 'elevenlabs', 'vapi' or 'retell'", "input": "bland",
        "ctx": {"expected": "'elevenlabs', 'vapi' or 'retell'"}}]}


def test_import_refuses_import_ids_that_are_not_a_list_of_strings(telnyx):
    response = telnyx.post("/ai/assistants/import", json={
        "provider": "vapi", "api_key_ref": "k", "import_ids": ["a1", 2]})
    assert response.json() == {"detail": [{
        "type": "string_type", "loc": ["body", "import_ids", 1],
        "msg": "Input should be a valid string", "input": 2}]}
