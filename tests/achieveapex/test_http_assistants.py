"""``/ai-assistants`` over HTTP: create, get, patch, soft delete, restore, voice sync, duplicate.

The answers are compared whole: the full record a create answers (the spec's defaults filled
in), Feathers' 404 for ids the caller cannot see, and the rule errors' plain 400 bodies. The
store clock is frozen (``clock``) wherever a timestamp is part of the answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

T0 = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)  # conftest's FROZEN_AT
SPECIFIC_KEY_REQUIRED = "specific_openai_secret_key is required when connection is 'specific'"
REQUIRED = {"name": "Support bot", "assistant_type": "conversation", "ai_model_id": 1}
DEFAULTS = {
    "connection": "system", "instructions_language": "ENG", "is_easy_mode": False,
    "easy_mode_config": None, "human_handoff_config": {}, "ai_assistant_handoff_config": {},
    "external_handoff_targets": {}, "follow_up_config": {}, "access_permissions_automations": [],
    "access_permissions_contact": "none", "access_permissions_deals": "none",
    "access_permissions_customer_support": "none", "advanced_options": {},
    "additional_json_keys": [], "disable_reply": False, "analyze_images": False,
    "enable_message_burst_handling": False, "can_send_images": False, "response_config": {},
    "schedule_config": {}, "internal_tools": {"tools": []}, "api_tools": [], "mcp_tools": [],
    "telnyx_ai_assistant_config": None, "acting_user_id": None,
}
EVERY_FIELD = {
    "name": "Front desk", "ai_model_id": 7, "connection": "specific",
    "specific_openai_secret_key": "sk-test-123", "timezone": "America/Mexico_City",
    "instructions": "Greet, qualify, book.", "instructions_language": "ESP",
    "is_easy_mode": True, "easy_mode_config": {"business": "Dental clinic", "tone": "warm"},
    "human_handoff_config": {"enabled": True, "when": "The customer asks for a human."},
    "ai_assistant_handoff_config": {"targets": [{"ai_assistant_id": 9, "when": "billing"}]},
    "external_handoff_targets": {"targets": [{"number": "+13125550100"}]},
    "follow_up_config": {"rules": [{"after_minutes": 60, "message": "Still there?"}]},
    "access_permissions_automations": [12, {"id": 13, "name": "Tag lead"}],
    "access_permissions_contact": "read", "access_permissions_deals": "read_write",
    "access_permissions_customer_support": "none",
    "advanced_options": {"model": "gpt-4.1", "web_search": True},
    "additional_json_keys": ["intent", {"key": "score", "type": "number"}],
    "disable_reply": True, "analyze_images": True, "enable_message_burst_handling": True,
    "can_send_images": True, "response_config": {"mode": "multi", "max_messages": 3},
    "schedule_config": {"timezone": "America/Mexico_City", "out_of_schedule": "reply"},
    "internal_tools": {"tools": ["find_contact", "create_reservation", "http_request"]},
    "api_tools": [3, {"api_tool_id": 4}], "mcp_tools": [{"url": "https://mcp.example.com"}],
    "telnyx_ai_assistant_config": {"voice_runtime": "custom_llm", "voice_provider": "rime",
                                   "voice_speed": 1.25},
    "acting_user_id": 42,
}


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def expected_record(apex, record_id: int, user_id: int, *, created: datetime = T0,
                    updated: datetime | None = None, **fields: Any) -> dict[str, Any]:
    return {"id": record_id, "organization_id": apex.organization_id, **REQUIRED, **DEFAULTS,
            **fields, "created_by_user_id": user_id, "created_at": stamp(created),
            "updated_at": stamp(updated or created), "deleted_at": None}


@pytest.fixture
def voice(apex) -> dict[str, Any]:
    return apex.create_assistant(assistant_type="voice", telnyx_ai_assistant_config={
        "voice_runtime": "telnyx_builtin", "voice_provider": "telnyx", "voice_id": "af_heart",
        "greeting": "Hello!", "sync_status": "synced"})


# --- create ---------------------------------------------------------------------------------

def test_create_answers_201_with_the_full_record_and_the_specs_defaults(apex, clock):
    response = apex.post("/ai-assistants", json={"organization_id": apex.organization_id,
                                                 **REQUIRED})
    created = response.json()
    assert response.status_code == 201
    assert created == expected_record(apex, created["id"], created["created_by_user_id"])


def test_create_keeps_every_configuration_field_sent(apex, clock):
    created = apex.create_assistant(assistant_type="voice", **EVERY_FIELD)
    assert created == expected_record(apex, created["id"], created["created_by_user_id"],
                                      assistant_type="voice", **EVERY_FIELD)


def test_create_ids_are_integers_that_increase(apex):
    first, second = apex.create_assistant(), apex.create_assistant()
    assert isinstance(first["id"], int) and second["id"] > first["id"]


def test_create_records_the_keys_user_as_creator(apex):
    first, second = apex.create_assistant(), apex.create_assistant()
    assert first["created_by_user_id"] == second["created_by_user_id"]


def test_create_drops_fields_the_spec_does_not_define(apex):
    created = apex.create_assistant(favourite_colour="teal", id=999,
                                    created_at="2020-01-01T00:00:00Z")
    assert "favourite_colour" not in created
    assert created["id"] != 999 and created["created_at"] != "2020-01-01T00:00:00.000Z"


def test_create_in_another_organization_answers_404(apex, apex_as, feathers):
    other = apex_as().organization_id
    response = apex.post("/ai-assistants", json={"organization_id": other, **REQUIRED})
    assert (response.status_code, response.json()) == (404, feathers.not_found(other))
    assert apex.ok("GET", "/ai-assistants")["total"] == 0


def test_create_in_an_organization_that_does_not_exist_answers_404(apex, feathers):
    response = apex.post("/ai-assistants", json={"organization_id": 99_999_999, **REQUIRED})
    assert (response.status_code, response.json()) == (404, feathers.not_found(99_999_999))


def test_create_with_a_specific_connection_needs_its_key(apex, feathers):
    response = apex.post("/ai-assistants", json={
        "organization_id": apex.organization_id, **REQUIRED, "connection": "specific"})
    assert (response.status_code, response.json()) == (
        400, feathers.bad_request(SPECIFIC_KEY_REQUIRED))
    assert apex.ok("GET", "/ai-assistants")["total"] == 0


def test_create_with_a_specific_connection_and_its_key_is_accepted(apex):
    created = apex.create_assistant(connection="specific", specific_openai_secret_key="sk-1")
    assert (created["connection"], created["specific_openai_secret_key"]) == ("specific", "sk-1")


@pytest.mark.parametrize("assistant_type", ["conversation", "support-ticket", "ai-chat", "voice"])
def test_create_accepts_every_assistant_type(apex, assistant_type):
    assert apex.create_assistant(assistant_type=assistant_type)["assistant_type"] == (
        assistant_type)


def test_guided_mode_stores_both_its_configuration_and_the_instructions(apex):
    guided = {"is_easy_mode": True, "easy_mode_config": {"goal": "book visits"},
              "instructions": "You book visits for the clinic."}
    created = apex.create_assistant(**guided)
    assert {key: created[key] for key in guided} == guided
    assert apex.ok("GET", f"/ai-assistants/{created['id']}")["easy_mode_config"] == {
        "goal": "book visits"}


# --- get ------------------------------------------------------------------------------------

def test_get_answers_the_record_as_created(apex):
    created = apex.create_assistant(timezone="Europe/Madrid")
    assert apex.ok("GET", f"/ai-assistants/{created['id']}") == created


def test_get_of_an_unknown_id_answers_404(apex, feathers):
    response = apex.get("/ai-assistants/987654321")
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_get_of_another_organizations_assistant_answers_404(apex, apex_as, feathers):
    theirs = apex_as().create_assistant()
    response = apex.get(f"/ai-assistants/{theirs['id']}")
    assert (response.status_code, response.json()) == (404, feathers.not_found(theirs["id"]))


# --- patch ----------------------------------------------------------------------------------

def test_patch_changes_the_fields_sent_and_keeps_the_others(apex, clock):
    created = apex.create_assistant(instructions="Be brief.", timezone="Europe/Madrid")
    clock.freeze(T0 + timedelta(minutes=5))
    patched = apex.patch_assistant(created["id"], name="Renamed", instructions="Be kind.")
    assert patched == {**created, "name": "Renamed", "instructions": "Be kind.",
                       "updated_at": stamp(T0 + timedelta(minutes=5))}


def test_patch_is_read_back_by_get(apex):
    created = apex.create_assistant()
    patched = apex.patch_assistant(created["id"], disable_reply=True)
    assert apex.ok("GET", f"/ai-assistants/{created['id']}") == patched


def test_patch_sets_every_configuration_field(apex):
    created = apex.create_assistant(assistant_type="voice")
    patched = apex.patch_assistant(created["id"], **EVERY_FIELD)
    voice_config = {**EVERY_FIELD["telnyx_ai_assistant_config"], "sync_status": "pending"}
    assert {key: patched[key] for key in EVERY_FIELD} == {
        **EVERY_FIELD, "telnyx_ai_assistant_config": voice_config}


def test_patch_replaces_objects_as_a_whole(apex):
    created = apex.create_assistant(advanced_options={"model": "gpt-4.1", "web_search": True})
    patched = apex.patch_assistant(created["id"], advanced_options={"web_search": False})
    assert patched["advanced_options"] == {"web_search": False}


def test_patch_replaces_arrays_as_a_whole(apex):
    created = apex.create_assistant(internal_tools={"tools": ["find_contact", "get_deal"]},
                                    additional_json_keys=["intent"])
    patched = apex.patch_assistant(created["id"], internal_tools={"tools": ["add_note"]},
                                   additional_json_keys=[])
    assert (patched["internal_tools"], patched["additional_json_keys"]) == (
        {"tools": ["add_note"]}, [])


def test_patch_ignores_the_fixed_fields_ids_and_timestamps(apex, apex_as):
    created = apex.create_assistant()
    patched = apex.patch_assistant(
        created["id"], organization_id=apex_as().organization_id, assistant_type="voice",
        id=created["id"] + 1000, created_by_user_id=1, created_at="2020-01-01T00:00:00Z")
    assert {key: patched[key] for key in ("id", "organization_id", "assistant_type",
                                          "created_by_user_id", "created_at")} == {
        key: created[key] for key in ("id", "organization_id", "assistant_type",
                                      "created_by_user_id", "created_at")}


def test_patch_with_an_empty_body_keeps_the_configuration(apex, clock):
    created = apex.create_assistant()
    clock.freeze(T0 + timedelta(seconds=1))
    patched = apex.patch_assistant(created["id"])
    assert patched == {**created, "updated_at": stamp(T0 + timedelta(seconds=1))}


def test_updated_at_strictly_increases_on_a_frozen_clock(apex, clock):
    created = apex.create_assistant()
    first = apex.patch_assistant(created["id"], name="One")
    second = apex.patch_assistant(created["id"], name="Two")
    assert created["updated_at"] < first["updated_at"] < second["updated_at"]
    assert second["updated_at"] == stamp(T0 + timedelta(milliseconds=2))


def test_patch_to_a_specific_connection_without_a_key_answers_400(apex, feathers):
    created = apex.create_assistant()
    response = apex.patch(f"/ai-assistants/{created['id']}", json={"connection": "specific"})
    assert (response.status_code, response.json()) == (
        400, feathers.bad_request(SPECIFIC_KEY_REQUIRED))
    assert apex.ok("GET", f"/ai-assistants/{created['id']}") == created


def test_patch_to_a_specific_connection_uses_a_stored_key(apex):
    created = apex.create_assistant(specific_openai_secret_key="sk-stored")
    assert apex.patch_assistant(created["id"], connection="specific")["connection"] == "specific"


def test_patch_of_an_unknown_id_answers_404(apex, feathers):
    response = apex.patch("/ai-assistants/987654321", json={"name": "X"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_patch_of_another_organizations_assistant_answers_404_and_changes_nothing(
        apex, apex_as, feathers):
    owner = apex_as()
    theirs = owner.create_assistant()
    response = apex.patch(f"/ai-assistants/{theirs['id']}", json={"name": "Mine now"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(theirs["id"]))
    assert owner.ok("GET", f"/ai-assistants/{theirs['id']}") == theirs


# --- voice ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "value"), [
    ("voice_id", "am_adam"), ("voice_provider", "elevenlabs"), ("greeting", "Hi there!"),
    ("voice_runtime", "openai_realtime_sip"), ("voice_speed", 1.1), ("model", "openai/gpt-4.1"),
])
def test_changing_a_voice_setting_sets_sync_status_to_pending(apex, voice, setting, value):
    config = {**voice["telnyx_ai_assistant_config"], setting: value}
    patched = apex.patch_assistant(voice["id"], telnyx_ai_assistant_config=config)
    assert patched["telnyx_ai_assistant_config"] == {**config, "sync_status": "pending"}


def test_pending_wins_over_a_sync_status_sent_with_the_change(apex, voice):
    config = {**voice["telnyx_ai_assistant_config"], "voice_id": "x", "sync_status": "synced"}
    patched = apex.patch_assistant(voice["id"], telnyx_ai_assistant_config=config)
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "pending"


def test_removing_a_voice_setting_is_a_change(apex, voice):
    config = {k: v for k, v in voice["telnyx_ai_assistant_config"].items() if k != "greeting"}
    patched = apex.patch_assistant(voice["id"], telnyx_ai_assistant_config=config)
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "pending"


def test_the_same_voice_settings_keep_sync_status(apex, voice):
    patched = apex.patch_assistant(voice["id"], name="Renamed",
                                   telnyx_ai_assistant_config=voice["telnyx_ai_assistant_config"])
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_transfer_settings_are_not_voice_settings(apex, voice):
    config = {**voice["telnyx_ai_assistant_config"], "transfer_from_number": "+13125550100",
              "external_transfer_caller_id_mode": "assistant"}
    patched = apex.patch_assistant(voice["id"], telnyx_ai_assistant_config=config)
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_create_keeps_the_sync_status_sent(voice):
    assert voice["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_a_voice_configuration_on_another_type_is_not_marked(apex):
    chat = apex.create_assistant(assistant_type="ai-chat",
                                 telnyx_ai_assistant_config={"voice_id": "a"})
    patched = apex.patch_assistant(chat["id"], telnyx_ai_assistant_config={"voice_id": "b"})
    assert patched["telnyx_ai_assistant_config"] == {"voice_id": "b"}


def test_clearing_the_voice_configuration_leaves_it_null(apex, voice):
    patched = apex.patch_assistant(voice["id"], telnyx_ai_assistant_config=None)
    assert patched["telnyx_ai_assistant_config"] is None


# --- soft delete and restore ----------------------------------------------------------------

def test_delete_answers_the_record_with_deleted_at_set(apex, clock):
    created = apex.create_assistant()
    clock.freeze(T0 + timedelta(hours=1))
    deleted = apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    moment = stamp(T0 + timedelta(hours=1))
    assert deleted == {**created, "deleted_at": moment, "updated_at": moment}


def test_a_deleted_assistant_is_left_out_of_lists(apex):
    kept, gone = apex.create_assistant(name="Kept"), apex.create_assistant(name="Gone")
    apex.ok("DELETE", f"/ai-assistants/{gone['id']}")
    listed = apex.ok("GET", "/ai-assistants")
    assert (listed["total"], [a["id"] for a in listed["data"]]) == (1, [kept["id"]])


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("DELETE", None),
                                              ("PATCH", {"name": "Still there?"})])
def test_a_deleted_assistant_answers_404_by_id(apex, feathers, method, body):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    response = apex.request(method, f"/ai-assistants/{created['id']}", json=body)
    assert (response.status_code, response.json()) == (404, feathers.not_found(created["id"]))


def test_filtering_on_deleted_at_lists_the_deleted_ones(apex):
    apex.create_assistant(name="Kept")
    gone = apex.create_assistant(name="Gone")
    deleted = apex.ok("DELETE", f"/ai-assistants/{gone['id']}")
    only_deleted = apex.ok("GET", "/ai-assistants", params={"deleted_at[$ne]": "null"})
    assert only_deleted == {"total": 1, "limit": 10, "skip": 0, "data": [deleted]}
    at_that_time = apex.ok("GET", "/ai-assistants", params={"deleted_at": deleted["deleted_at"]})
    assert at_that_time["data"] == [deleted]


def test_deleted_at_null_lists_the_active_ones_as_leaving_it_out_does(apex):
    apex.create_assistant(name="Kept")
    gone = apex.create_assistant(name="Gone")
    apex.ok("DELETE", f"/ai-assistants/{gone['id']}")
    assert apex.ok("GET", "/ai-assistants", params={"deleted_at": "null"}) == apex.ok(
        "GET", "/ai-assistants")


def test_patch_deleted_at_null_restores_a_deleted_assistant(apex, clock):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    restored = apex.patch_assistant(created["id"], deleted_at=None)
    assert restored == {**created, "updated_at": stamp(T0 + timedelta(milliseconds=2))}
    assert apex.ok("GET", f"/ai-assistants/{created['id']}") == restored
    assert [a["id"] for a in apex.ok("GET", "/ai-assistants")["data"]] == [created["id"]]


def test_restore_can_change_fields_at_the_same_time(apex):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    restored = apex.patch_assistant(created["id"], deleted_at=None, name="Back again")
    assert (restored["name"], restored["deleted_at"]) == ("Back again", None)


def test_restoring_an_active_assistant_is_a_plain_patch(apex):
    created = apex.create_assistant()
    assert apex.patch_assistant(created["id"], deleted_at=None)["deleted_at"] is None


def test_deleted_at_can_only_be_sent_as_null(apex, feathers, ajv_error):
    created = apex.create_assistant()
    response = apex.patch(f"/ai-assistants/{created['id']}",
                          json={"deleted_at": "2026-01-01T00:00:00Z"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/deleted_at", "#/allOf/1/properties/deleted_at/type", "type",
                  {"type": "null"}, "must be null")))


# --- duplicate (the documented recipe) ------------------------------------------------------

def test_the_duplicate_recipe_creates_an_equal_assistant_under_a_new_name(apex):
    original = apex.create_assistant(assistant_type="voice", **EVERY_FIELD)
    fetched = apex.ok("GET", f"/ai-assistants/{original['id']}")
    body = {key: value for key, value in fetched.items() if key not in (
        "id", "created_by_user_id", "created_at", "updated_at", "deleted_at")}
    response = apex.post("/ai-assistants", json={**body, "name": "Front desk (copy)"})
    copy = response.json()
    assert response.status_code == 201
    assert copy["id"] != original["id"]
    ignored = {"id", "name", "created_at", "updated_at"}
    assert {k: v for k, v in copy.items() if k not in ignored} == {
        k: v for k, v in original.items() if k not in ignored}
    assert copy["name"] == "Front desk (copy)"
    assert apex.ok("GET", "/ai-assistants")["total"] == 2
