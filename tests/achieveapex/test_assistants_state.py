"""AchieveApex's AI assistants at the state layer: create, get, find, patch, soft delete and
restore, the rules beyond the schema, the spec-derived tables, and organisation isolation."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant_fake.core.specs import load_spec
from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.assistants import (
    DEFAULTS,
    FIELD_TYPES_ASSISTANT,
    FIELD_TYPES_HISTORY,
    SPECIFIC_KEY_REQUIRED,
    VOICE_SETTINGS,
    AiAssistants,
    ChangeHistory,
)
from assistant_fake.vendors.achieveapex.errors import FeathersProblem, bad_request, not_found
from assistant_fake.vendors.achieveapex.query import parse_query, parse_query_string
from assistant_fake.vendors.achieveapex.query_parsing import FieldType
from assistant_fake.vendors.achieveapex.records import Caller

ORG = Caller(organization_id=1, user_id=11)
OTHER = Caller(organization_id=2, user_id=22)
T0 = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)
T0_TEXT = "2026-04-25T19:00:00.000Z"
SPEC = load_spec("achieveapex-ai-assistants.yaml")


@pytest.fixture
def store() -> Store:
    store = Store()
    store.clock.freeze(T0)
    return store


def body(caller: Caller = ORG, **fields: Any) -> dict[str, Any]:
    return {"organization_id": caller.organization_id, "name": "Support bot",
            "assistant_type": "conversation", "ai_model_id": 3, **fields}


def voice_body(**config: Any) -> dict[str, Any]:
    settings = {"sync_status": "synced", "voice_provider": "telnyx", "voice_id": "Telnyx.Nova",
                "greeting": "Hello!", "transfer_from_number": "+15550100", **config}
    return body(assistant_type="voice", telnyx_ai_assistant_config=settings)


def query(*pairs: tuple[str, str], types: Any = FIELD_TYPES_ASSISTANT):
    return parse_query(parse_query_string(list(pairs)), field_types=types)


def refused(call, *args: Any) -> dict[str, Any]:
    with pytest.raises(FeathersProblem) as problem:
        call(*args)
    return problem.value.body


def later(store: Store, seconds: float) -> None:
    store.clock.freeze(store.clock.now() + timedelta(seconds=seconds))


def snapshots(history: ChangeHistory, caller: Caller, assistant_id: int) -> list[dict]:
    found = history.find(caller, query(("ai_assistant_id", str(assistant_id)), ("$limit", "50"),
                                       types=FIELD_TYPES_HISTORY))
    return found["data"]


# --- the tables come from the spec ---------------------------------------------------------

def test_field_types_cover_every_property_of_the_ai_assistant_schema():
    schema = SPEC["components"]["schemas"]
    names = {*schema["AiAssistantFixedFields"]["properties"],
             *schema["AiAssistantFields"]["properties"],
             *schema["AiAssistant"]["allOf"][2]["properties"]}
    assert set(FIELD_TYPES_ASSISTANT) == names


def test_field_types_carry_formats_nullability_and_referenced_types():
    assert {name: FIELD_TYPES_ASSISTANT[name] for name in (
        "id", "connection", "deleted_at", "created_at", "telnyx_ai_assistant_config",
        "acting_user_id", "easy_mode_config", "internal_tools", "api_tools", "is_easy_mode",
    )} == {
        "id": "integer", "connection": "string", "deleted_at": "date-time|null",
        "created_at": "date-time", "telnyx_ai_assistant_config": "object|null",
        "acting_user_id": "integer|null", "easy_mode_config": "object|null",
        "internal_tools": "object", "api_tools": "array", "is_easy_mode": "boolean",
    }


def test_history_field_types_follow_the_change_history_schema():
    assert dict(FIELD_TYPES_HISTORY) == {
        "id": "integer", "ai_assistant_id": "integer", "organization_id": "integer",
        "created_by_user_id": "integer", "snapshot": "object", "created_at": "date-time"}


def test_every_field_type_is_one_the_query_engine_reads():
    for spec in (*FIELD_TYPES_ASSISTANT.values(), *FIELD_TYPES_HISTORY.values()):
        FieldType.parse(spec)


def test_defaults_are_the_specs_defaults():
    fields = SPEC["components"]["schemas"]["AiAssistantFields"]["properties"]
    declared = {name: member["default"] for name, member in fields.items() if "default" in member}
    assert dict(DEFAULTS) == declared
    assert DEFAULTS["connection"] == "system"  # a default written beside a $ref


def test_voice_settings_are_members_of_the_specs_voice_configuration():
    config = SPEC["components"]["schemas"]["TelnyxAiAssistantConfig"]["properties"]
    assert set(VOICE_SETTINGS) <= set(config)
    assert set(config) - set(VOICE_SETTINGS) == {
        "sync_status", "transfer_from_number", "external_transfer_caller_id_mode"}


# --- create --------------------------------------------------------------------------------

def test_create_answers_the_full_record_with_the_specs_defaults(assistants):
    assert assistants.create(ORG, body()) == {
        "id": 1, "organization_id": 1, "assistant_type": "conversation", "name": "Support bot",
        "ai_model_id": 3, "connection": "system", "instructions_language": "ENG",
        "is_easy_mode": False, "easy_mode_config": None, "human_handoff_config": {},
        "ai_assistant_handoff_config": {}, "external_handoff_targets": {},
        "follow_up_config": {}, "access_permissions_automations": [],
        "access_permissions_contact": "none", "access_permissions_deals": "none",
        "access_permissions_customer_support": "none", "advanced_options": {},
        "additional_json_keys": [], "disable_reply": False, "analyze_images": False,
        "enable_message_burst_handling": False, "can_send_images": False,
        "response_config": {}, "schedule_config": {}, "internal_tools": {"tools": []},
        "api_tools": [], "mcp_tools": [], "telnyx_ai_assistant_config": None,
        "acting_user_id": None, "created_by_user_id": 11, "created_at": T0_TEXT,
        "updated_at": T0_TEXT, "deleted_at": None,
    }


def test_create_keeps_the_values_sent_over_the_defaults(assistants):
    record = assistants.create(ORG, body(instructions_language="ESP", disable_reply=True,
                                         internal_tools={"tools": ["find_contact"]},
                                         timezone="America/Mexico_City", acting_user_id=5))
    assert (record["instructions_language"], record["disable_reply"], record["internal_tools"],
            record["timezone"], record["acting_user_id"]) == (
        "ESP", True, {"tools": ["find_contact"]}, "America/Mexico_City", 5)


def test_create_leaves_optional_fields_without_default_out(assistants):
    record = assistants.create(ORG, body())
    assert {"timezone", "instructions", "specific_openai_secret_key"}.isdisjoint(record)


def test_create_drops_ids_timestamps_and_fields_the_spec_does_not_define(assistants):
    record = assistants.create(ORG, body(id=99, created_by_user_id=7, created_at="2020-01-01",
                                         deleted_at="2020-01-01", colour="red"))
    assert (record["id"], record["created_by_user_id"], record["created_at"],
            record["deleted_at"]) == (1, 11, T0_TEXT, None)
    assert "colour" not in record


def test_create_does_not_change_the_defaults_or_the_body(assistants):
    sent = body()
    before = (copy.deepcopy(dict(DEFAULTS)), copy.deepcopy(sent))
    record = assistants.create(ORG, sent)
    record["internal_tools"]["tools"].append("get_deal")
    assert (dict(DEFAULTS), sent) == before
    assert assistants.get(ORG, record["id"])["internal_tools"] == {"tools": []}


def test_ids_come_from_one_sequence_across_organisations(assistants):
    ids = [assistants.create(caller, body(caller))["id"] for caller in (ORG, OTHER, ORG)]
    assert ids == [1, 2, 3]


def test_create_in_another_organisation_is_not_found_and_writes_nothing(assistants, store):
    writes = store.writes
    assert refused(assistants.create, ORG, body(OTHER)) == not_found(
        "No record found for id '2'")
    assert store.writes == writes


def test_create_with_a_specific_connection_needs_the_key(assistants, store):
    writes = store.writes
    assert refused(assistants.create, ORG, body(connection="specific")) == bad_request(
        SPECIFIC_KEY_REQUIRED)
    assert store.writes == writes


def test_create_with_a_specific_connection_and_its_key_is_accepted(assistants):
    record = assistants.create(ORG, body(connection="specific",
                                         specific_openai_secret_key="sk-test"))
    assert (record["connection"], record["specific_openai_secret_key"]) == ("specific", "sk-test")


def test_create_keeps_the_voice_configuration_as_sent(assistants):
    record = assistants.create(ORG, voice_body())
    assert record["telnyx_ai_assistant_config"]["sync_status"] == "synced"


# --- get and find --------------------------------------------------------------------------

def test_get_answers_the_record_as_created(assistants):
    created = assistants.create(ORG, body())
    assert assistants.get(ORG, created["id"]) == created


def test_get_of_an_unknown_id_is_not_found(assistants):
    assert refused(assistants.get, ORG, 42) == not_found("No record found for id '42'")


def test_get_of_another_organisations_assistant_is_not_found(assistants):
    created = assistants.create(OTHER, body(OTHER))
    assert refused(assistants.get, ORG, created["id"])["code"] == 404


def test_get_of_a_soft_deleted_assistant_is_not_found(assistants):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    assert refused(assistants.get, ORG, created["id"]) == not_found(
        f"No record found for id '{created['id']}'")


def test_find_answers_a_feathers_page(assistants):
    created = [assistants.create(ORG, body(name=f"bot {n}")) for n in range(3)]
    assert assistants.find(ORG, query(("$limit", "2"))) == {
        "total": 3, "limit": 2, "skip": 0, "data": created[:2]}


def test_find_filters_and_sorts(assistants):
    assistants.create(ORG, body(name="a"))
    assistants.create(ORG, voice_body() | {"name": "b"})
    assistants.create(ORG, voice_body() | {"name": "c"})
    found = assistants.find(ORG, query(("assistant_type", "voice"), ("$sort[name]", "-1")))
    assert [record["name"] for record in found["data"]] == ["c", "b"]


def test_find_leaves_soft_deleted_assistants_out(assistants):
    kept, gone = (assistants.create(ORG, body(name=name)) for name in ("kept", "gone"))
    assistants.remove(ORG, gone["id"])
    found = assistants.find(ORG, query())
    assert [record["id"] for record in found["data"]] == [kept["id"]]


def test_find_filtering_on_deleted_at_lists_deleted_ones(assistants):
    assistants.create(ORG, body(name="kept"))
    gone = assistants.create(ORG, body(name="gone"))
    removed = assistants.remove(ORG, gone["id"])
    assert assistants.find(ORG, query(("deleted_at[$ne]", "null")))["data"] == [removed]
    assert assistants.find(ORG, query(("deleted_at", "null")))["total"] == 1


def test_find_sees_only_the_callers_organisation(assistants):
    mine = assistants.create(ORG, body())
    assistants.create(OTHER, body(OTHER))
    assert assistants.find(ORG, query())["data"] == [mine]
    assert assistants.find(ORG, query(("organization_id", "2")))["total"] == 0


# --- patch ---------------------------------------------------------------------------------

def test_patch_changes_only_the_fields_sent(assistants):
    created = assistants.create(ORG, body(instructions="Help."))
    patched = assistants.patch(ORG, created["id"], {"name": "Renamed"})
    assert patched == {**created, "name": "Renamed", "updated_at": patched["updated_at"]}


def test_patch_replaces_objects_whole(assistants):
    created = assistants.create(ORG, body(advanced_options={"web_search": True, "summary": 1}))
    patched = assistants.patch(ORG, created["id"], {"advanced_options": {"summary": 2}})
    assert patched["advanced_options"] == {"summary": 2}


def test_patch_ignores_fixed_fields_ids_and_timestamps(assistants):
    created = assistants.create(ORG, body())
    patched = assistants.patch(ORG, created["id"], {
        "assistant_type": "voice", "organization_id": 2, "id": 77, "created_by_user_id": 5,
        "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
        "colour": "red"})
    assert patched == {**created, "updated_at": patched["updated_at"]}


def test_patch_sets_updated_at_and_keeps_created_at(assistants, store):
    created = assistants.create(ORG, body())
    later(store, 60)
    patched = assistants.patch(ORG, created["id"], {"name": "Renamed"})
    assert (patched["created_at"], patched["updated_at"]) == (
        T0_TEXT, "2026-04-25T19:01:00.000Z")


def test_patch_on_a_frozen_clock_still_moves_updated_at(assistants):
    created = assistants.create(ORG, body())
    first = assistants.patch(ORG, created["id"], {"name": "x"})
    second = assistants.patch(ORG, created["id"], {"name": "y"})
    assert (first["updated_at"], second["updated_at"]) == (
        "2026-04-25T19:00:00.001Z", "2026-04-25T19:00:00.002Z")


def test_patch_answers_what_get_then_reads(assistants):
    created = assistants.create(ORG, body())
    assert assistants.patch(ORG, created["id"], {"name": "x"}) == assistants.get(
        ORG, created["id"])


def test_patch_of_an_unknown_or_foreign_assistant_is_not_found(assistants):
    foreign = assistants.create(OTHER, body(OTHER))
    assert refused(assistants.patch, ORG, 42, {"name": "x"})["code"] == 404
    assert refused(assistants.patch, ORG, foreign["id"], {"name": "x"})["code"] == 404
    assert assistants.get(OTHER, foreign["id"]) == foreign


def test_patch_of_a_soft_deleted_assistant_is_not_found_and_changes_nothing(assistants, store):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    writes = store.writes
    assert refused(assistants.patch, ORG, created["id"], {"name": "x"}) == not_found(
        f"No record found for id '{created['id']}'")
    assert store.writes == writes


def test_patch_with_deleted_at_null_restores_a_soft_deleted_assistant(assistants, store):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    later(store, 1)
    restored = assistants.patch(ORG, created["id"], {"deleted_at": None, "name": "Back"})
    assert (restored["deleted_at"], restored["name"]) == (None, "Back")
    assert assistants.get(ORG, created["id"]) == restored


def test_patch_with_deleted_at_null_on_an_active_assistant_is_a_plain_patch(assistants):
    created = assistants.create(ORG, body())
    patched = assistants.patch(ORG, created["id"], {"deleted_at": None})
    assert patched == {**created, "updated_at": patched["updated_at"]}


def test_patch_to_a_specific_connection_without_a_key_is_refused(assistants, store):
    created = assistants.create(ORG, body())
    writes = store.writes
    assert refused(assistants.patch, ORG, created["id"], {"connection": "specific"}) == (
        bad_request(SPECIFIC_KEY_REQUIRED))
    assert store.writes == writes
    assert assistants.get(ORG, created["id"]) == created


def test_patch_to_a_specific_connection_may_use_the_stored_key(assistants):
    created = assistants.create(ORG, body(specific_openai_secret_key="sk-stored"))
    patched = assistants.patch(ORG, created["id"], {"connection": "specific"})
    assert (patched["connection"], patched["specific_openai_secret_key"]) == (
        "specific", "sk-stored")


def test_patch_checks_existence_before_rules(assistants):
    assert refused(assistants.patch, ORG, 42, {"connection": "specific"})["code"] == 404


# --- voice sync status ---------------------------------------------------------------------

NEW_VALUES = {
    "voice_runtime": "custom_llm", "use_custom_llm": True, "model": "openai/gpt-4.1",
    "openai_realtime_model": "gpt-realtime", "greeting": "Hi there", "voice_provider": "azure",
    "voice_provider_model": "neural", "voice_id": "other", "voice_name": "Ava",
    "voice_model": "v2", "voice_api_key": "key", "voice_api_key_ref": "ref", "voice_speed": 1.2,
    "voice_language_boost": "Spanish", "voice_expressive_mode": True,
    "voice_similarity_boost": 0.7,
}


def test_every_voice_setting_has_a_test_value():
    assert set(NEW_VALUES) == set(VOICE_SETTINGS)


@pytest.mark.parametrize("setting", VOICE_SETTINGS)
def test_changing_a_voice_setting_sets_sync_status_pending(assistants, setting):
    created = assistants.create(ORG, voice_body())
    config = {**created["telnyx_ai_assistant_config"], setting: NEW_VALUES[setting]}
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": config})
    assert patched["telnyx_ai_assistant_config"] == {**config, "sync_status": "pending"}


def test_pending_wins_over_a_sync_status_sent_with_a_voice_change(assistants):
    created = assistants.create(ORG, voice_body())
    config = {**created["telnyx_ai_assistant_config"], "voice_id": "x", "sync_status": "synced"}
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": config})
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "pending"


def test_unchanged_voice_settings_keep_the_sync_status(assistants):
    created = assistants.create(ORG, voice_body())
    patched = assistants.patch(ORG, created["id"], {
        "name": "Renamed", "telnyx_ai_assistant_config": created["telnyx_ai_assistant_config"]})
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_changing_only_transfer_settings_keeps_the_sync_status(assistants):
    created = assistants.create(ORG, voice_body())
    config = {**created["telnyx_ai_assistant_config"], "transfer_from_number": "+15550199",
              "external_transfer_caller_id_mode": "original"}
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": config})
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_a_voice_setting_left_out_of_the_replacing_object_counts_as_a_change(assistants):
    created = assistants.create(ORG, voice_body())
    config = {k: v for k, v in created["telnyx_ai_assistant_config"].items() if k != "greeting"}
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": config})
    assert patched["telnyx_ai_assistant_config"] == {**config, "sync_status": "pending"}


def test_an_absent_voice_setting_equals_null(assistants):
    created = assistants.create(ORG, voice_body())
    config = {**created["telnyx_ai_assistant_config"], "voice_name": None}
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": config})
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_a_first_voice_configuration_is_pending(assistants):
    created = assistants.create(ORG, body(assistant_type="voice"))
    patched = assistants.patch(ORG, created["id"], {
        "telnyx_ai_assistant_config": {"voice_provider": "telnyx"}})
    assert patched["telnyx_ai_assistant_config"] == {
        "voice_provider": "telnyx", "sync_status": "pending"}


def test_removing_the_voice_configuration_leaves_it_null(assistants):
    created = assistants.create(ORG, voice_body())
    patched = assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": None})
    assert patched["telnyx_ai_assistant_config"] is None


def test_the_sync_rule_applies_only_to_voice_assistants(assistants):
    created = assistants.create(ORG, body(telnyx_ai_assistant_config={"sync_status": "synced"}))
    patched = assistants.patch(ORG, created["id"], {
        "telnyx_ai_assistant_config": {"sync_status": "synced", "voice_id": "x"}})
    assert patched["telnyx_ai_assistant_config"]["sync_status"] == "synced"


# --- remove --------------------------------------------------------------------------------

def test_remove_soft_deletes_and_answers_the_record(assistants, store):
    created = assistants.create(ORG, body())
    later(store, 5)
    removed = assistants.remove(ORG, created["id"])
    stamp = "2026-04-25T19:00:05.000Z"
    assert removed == {**created, "deleted_at": stamp, "updated_at": stamp}


def test_remove_twice_is_not_found(assistants, store):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    writes = store.writes
    assert refused(assistants.remove, ORG, created["id"])["code"] == 404
    assert store.writes == writes


def test_remove_of_another_organisations_assistant_is_not_found(assistants):
    foreign = assistants.create(OTHER, body(OTHER))
    assert refused(assistants.remove, ORG, foreign["id"])["code"] == 404
    assert assistants.get(OTHER, foreign["id"]) == foreign


def test_remove_keeps_the_change_history(assistants, history):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    assert len(snapshots(history, ORG, created["id"])) == 1


def test_remove_records_no_snapshot_and_restoring_records_one(assistants, history):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    restored = assistants.patch(ORG, created["id"], {"deleted_at": None})
    assert [entry["snapshot"] for entry in snapshots(history, ORG, created["id"])] == [
        created, restored]


def test_a_soft_delete_on_a_frozen_clock_still_moves_updated_at(assistants):
    created = assistants.create(ORG, body())
    removed = assistants.remove(ORG, created["id"])
    assert removed["updated_at"] > created["updated_at"]


# --- duplicate (the reference's recipe) ----------------------------------------------------

def test_duplicate_recipe_makes_a_new_assistant_with_the_same_configuration(assistants):
    original = assistants.create(ORG, voice_body(voice_speed=1.1) | {
        "instructions": "Help.", "timezone": "Europe/Madrid",
        "schedule_config": {"days": [1, 2]}, "api_tools": [4]})
    copied = assistants.get(ORG, original["id"])
    for field in ("id", "created_by_user_id", "created_at", "updated_at", "deleted_at"):
        del copied[field]
    copied["name"] = "Support bot (copy)"
    duplicate = assistants.create(ORG, copied)
    assert duplicate["id"] != original["id"]
    assert duplicate == {**original, "id": duplicate["id"], "name": "Support bot (copy)"}


# --- organisation isolation (property) -----------------------------------------------------

ACTIONS = st.lists(st.tuples(st.sampled_from(["create", "patch", "remove", "restore"]),
                             st.sampled_from([ORG, OTHER]), st.integers(1, 6)),
                   min_size=1, max_size=12)


def organisation_view(assistants: AiAssistants, history: ChangeHistory,
                      caller: Caller) -> tuple[Any, Any]:
    everything = query(("deleted_at[$ne]", "2000-01-01T00:00:00Z"), ("$limit", "50"))
    return (assistants.find(caller, everything),
            history.find(caller, query(("$limit", "50"), types=FIELD_TYPES_HISTORY)))


@settings(max_examples=40, deadline=None)
@given(actions=ACTIONS)
def test_no_organisation_sees_or_changes_anothers_records(actions):
    store = Store()
    store.clock.freeze(T0)
    assistants, history = AiAssistants(store), ChangeHistory(store)
    owners: dict[int, Caller] = {}
    for action, caller, number in actions:
        try:
            if action == "create":
                owners[assistants.create(caller, body(caller))["id"]] = caller
            elif action == "patch":
                assistants.patch(caller, number, {"name": f"n{number}", "deleted_at": None})
            elif action == "remove":
                assistants.remove(caller, number)
            else:
                history.restore(caller, number, 1)
        except FeathersProblem as problem:
            assert problem.status in (400, 404)
        later(store, 1)
    for caller in (ORG, OTHER):
        found, snapshots_seen = organisation_view(assistants, history, caller)
        assert {r["id"] for r in found["data"]} == {
            i for i, owner in owners.items() if owner == caller}
        assert all(r["organization_id"] == caller.organization_id for r in found["data"])
        assert all(e["organization_id"] == caller.organization_id
                   and owners[e["ai_assistant_id"]] == caller for e in snapshots_seen["data"])
    for record_id, owner in owners.items():
        stranger = OTHER if owner == ORG else ORG
        before = organisation_view(assistants, history, owner), store.writes
        for call, args in ((assistants.get, ()), (assistants.patch, ({"deleted_at": None},)),
                           (assistants.remove, ()), (history.restore, (1,))):
            assert refused(call, stranger, record_id, *args)["code"] == 404
        for entry in before[0][1]["data"]:
            assert refused(history.get, stranger, entry["id"])["code"] == 404
        assert (organisation_view(assistants, history, owner), store.writes) == before
