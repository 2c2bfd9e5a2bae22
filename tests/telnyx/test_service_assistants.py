"""Telnyx assistants: create, read, update, clone, import, tags, shared tools, isolation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.inference_embedding import InferenceEmbedding

from assistant_fake.store import Collection, IdGenerator, Store
from assistant_fake.vendors.telnyx.rules import (
    DEFAULT_MODEL,
    DEFAULT_VERSION_NAME,
    BadRequest,
    NotFound,
)
from assistant_fake.vendors.telnyx.service import TelnyxService

HANGUP = {"type": "hangup", "hangup": {"description": "Hang up."}}


# --- create ---------------------------------------------------------------------------------

def test_create_answers_an_assistant_the_sdk_accepts(create_assistant):
    validate_type(type_=InferenceEmbedding, value=create_assistant())


def test_create_id_is_assistant_dash_uuid4(create_assistant):
    assistant_id = create_assistant()["id"]
    assert assistant_id.startswith("assistant-") and len(assistant_id) == len("assistant-") + 36


def test_create_without_model_applies_the_default_model(create_assistant):
    assert create_assistant()["model"] == DEFAULT_MODEL


def test_create_keeps_a_sent_model(create_assistant):
    assert create_assistant(model="openai/gpt-4o")["model"] == "openai/gpt-4o"


def test_create_stamps_created_at_from_the_store_clock(create_assistant):
    assert create_assistant()["created_at"] == "2026-11-21T10:00:00.000Z"


def test_create_starts_a_main_version_with_the_default_version_name(create_assistant):
    assistant = create_assistant()
    assert assistant["version_id"]
    assert assistant["version_name"] == DEFAULT_VERSION_NAME
    assert assistant["version_created_at"] == assistant["created_at"]


def test_create_generates_a_numeric_texml_app_id(create_assistant):
    app_id = create_assistant()["telephony_settings"]["default_texml_app_id"]
    assert app_id.isdigit() and len(app_id) == 19


def test_create_generates_a_messaging_profile_uuid(create_assistant):
    profile = create_assistant()["messaging_settings"]["default_messaging_profile_id"]
    assert len(profile) == 36 and profile.count("-") == 4


def test_create_keeps_sent_texml_app_and_messaging_profile(create_assistant):
    assistant = create_assistant(telephony_settings={"default_texml_app_id": "42",
                                                     "time_limit_secs": 60},
                                 messaging_settings={"default_messaging_profile_id": "mp-1"})
    assert assistant["telephony_settings"] == {"default_texml_app_id": "42", "time_limit_secs": 60}
    assert assistant["messaging_settings"] == {"default_messaging_profile_id": "mp-1"}


def test_create_echoes_every_other_sent_field(create_assistant):
    fields = {"description": "d", "greeting": "Hi {{name}}", "tags": ["a"], "tools": [HANGUP],
              "dynamic_variables": {"name": "Ann"}, "enabled_features": ["telephony"],
              "voice_settings": {"voice": "Telnyx.KokoroTTS.af_heart"}}
    assistant = create_assistant(**fields)
    assert {key: assistant[key] for key in fields} == fields


def test_create_never_echoes_tool_ids_or_unknown_keys(create_assistant):
    assistant = create_assistant(tool_ids=["tool-1"], promote_to_main=True, surprise=1)
    assert not {"tool_ids", "promote_to_main", "surprise"} & set(assistant)


def test_create_refuses_two_single_instance_tools_and_stores_nothing(assistants, store,
                                                                     create_assistant):
    with pytest.raises(BadRequest):
        create_assistant(tools=[HANGUP, HANGUP])
    assert assistants.list("acme") == {"data": []}
    assert store.writes == 0


def test_create_with_the_same_seed_is_reproducible(t0):
    def first_assistant():
        store = Store(ids=IdGenerator(seed=1))
        store.clock.freeze(t0)
        return TelnyxService(store).assistants.create("acme", {"name": "Support",
                                                               "instructions": "Help."})
    assert first_assistant() == first_assistant()


# --- list, get ------------------------------------------------------------------------------

def test_list_answers_every_assistant_in_creation_order(assistants, create_assistant):
    first, second = create_assistant(name="A"), create_assistant(name="B")
    assert assistants.list("acme") == {"data": [first, second]}


def test_get_answers_the_created_assistant(assistants, create_assistant):
    assistant = create_assistant()
    assert assistants.get("acme", assistant["id"]) == assistant


def test_get_unknown_assistant_is_not_found(assistants):
    with pytest.raises(NotFound):
        assistants.get("acme", "assistant-missing")


def test_single_assistant_calls_do_not_scan_other_assistants(assistants, monkeypatch,
                                                             create_assistant):
    assistant_id = create_assistant()["id"]
    create_assistant()

    def no_scan(self):
        raise AssertionError(f"scanned {self.name}")
    monkeypatch.setattr(Collection, "values", no_scan)
    assistants.get("acme", assistant_id)
    assistants.update("acme", assistant_id, {"name": "New"})
    assistants.add_tag("acme", assistant_id, "x")
    assistants.attach_tool("acme", assistant_id, "tool-1")
    assistants.list_versions("acme", assistant_id)
    assistants.clone("acme", assistant_id)


# --- update ---------------------------------------------------------------------------------

def test_update_merges_sent_fields_into_main(assistants, create_assistant):
    assistant = create_assistant(description="old", greeting="Hi")
    updated = assistants.update("acme", assistant["id"], {"description": "new"})
    assert updated["description"] == "new"
    assert (updated["greeting"], updated["name"]) == ("Hi", "Support")


def test_update_merges_nested_settings_and_keeps_the_generated_texml_app(assistants,
                                                                         create_assistant):
    assistant = create_assistant()
    app_id = assistant["telephony_settings"]["default_texml_app_id"]
    updated = assistants.update("acme", assistant["id"],
                                {"telephony_settings": {"time_limit_secs": 600}})
    assert updated["telephony_settings"] == {"default_texml_app_id": app_id,
                                             "time_limit_secs": 600}


def test_update_with_tools_replaces_the_tool_list(assistants, create_assistant):
    assistant = create_assistant(tools=[HANGUP])
    transfer = {"type": "transfer", "transfer": {"from": "+1", "targets": []}}
    updated = assistants.update("acme", assistant["id"], {"tools": [transfer]})
    assert updated["tools"] == [transfer]


def test_update_with_tool_ids_replaces_the_attached_shared_tools(assistants, create_assistant):
    assistant = create_assistant(tool_ids=["tool-1", "tool-2"])
    assistants.update("acme", assistant["id"], {"tool_ids": ["tool-3"]})
    assert assistants.attached_tool_ids("acme", assistant["id"]) == ["tool-3"]


def test_update_with_duplicate_single_instance_tool_is_refused_and_changes_nothing(
        assistants, store, create_assistant):
    assistant = create_assistant()
    writes = store.writes
    with pytest.raises(BadRequest):
        assistants.update("acme", assistant["id"], {"name": "X", "tools": [HANGUP, HANGUP]})
    assert assistants.get("acme", assistant["id"]) == assistant
    assert store.writes == writes


def test_update_makes_a_new_main_version(assistants, create_assistant):
    assistant = create_assistant()
    updated = assistants.update("acme", assistant["id"], {"name": "Renamed"})
    assert updated["version_id"] != assistant["version_id"]
    assert assistants.get("acme", assistant["id"]) == updated


def test_update_keeps_id_and_created_at(assistants, create_assistant):
    assistant = create_assistant()
    updated = assistants.update("acme", assistant["id"], {"id": "other", "created_at": "x"})
    assert (updated["id"], updated["created_at"]) == (assistant["id"], assistant["created_at"])


def test_update_with_promote_to_main_false_keeps_main_unchanged(assistants, create_assistant):
    assistant = create_assistant()
    draft = assistants.update("acme", assistant["id"], {"name": "Draft",
                                                        "promote_to_main": False})
    assert draft["name"] == "Draft"
    assert assistants.get("acme", assistant["id"]) == assistant


def test_update_with_version_name_names_the_new_version(assistants, create_assistant):
    assistant = create_assistant()
    updated = assistants.update("acme", assistant["id"], {"version_name": "Spring promo"})
    assert updated["version_name"] == "Spring promo"


def test_update_with_null_required_field_keeps_it(assistants, create_assistant):
    assistant = create_assistant()
    updated = assistants.update("acme", assistant["id"], {"model": None, "name": None})
    assert (updated["model"], updated["name"]) == (DEFAULT_MODEL, "Support")


def test_update_unknown_assistant_is_not_found(assistants):
    with pytest.raises(NotFound):
        assistants.update("acme", "assistant-missing", {"name": "x"})


# --- clone ----------------------------------------------------------------------------------

def test_clone_copies_everything_but_telephony_and_messaging_settings(assistants, create_assistant):
    source = create_assistant(tools=[HANGUP], tags=["a"], greeting="Hi")
    clone = assistants.clone("acme", source["id"])
    assert "telephony_settings" not in clone and "messaging_settings" not in clone
    for key in ("name", "instructions", "model", "tools", "tags", "greeting"):
        assert clone[key] == source[key]


def test_clone_has_its_own_id_creation_time_and_version(assistants, store, create_assistant):
    source = create_assistant()
    store.clock.freeze(datetime(2026, 11, 22, tzinfo=UTC))
    clone = assistants.clone("acme", source["id"])
    assert clone["id"] != source["id"] and clone["version_id"] != source["version_id"]
    assert clone["created_at"] == clone["version_created_at"] == "2026-11-22T00:00:00.000Z"
    assert len(assistants.list_versions("acme", clone["id"])["data"]) == 1


def test_clone_carries_the_attached_shared_tools(assistants, create_assistant):
    source = create_assistant(tool_ids=["tool-1"])
    clone = assistants.clone("acme", source["id"])
    assert assistants.attached_tool_ids("acme", clone["id"]) == ["tool-1"]


def test_clone_of_unknown_assistant_is_not_found(assistants):
    with pytest.raises(NotFound):
        assistants.clone("acme", "assistant-missing")


# --- import ---------------------------------------------------------------------------------

def test_import_makes_one_assistant_per_import_id_with_import_metadata(assistants):
    data = assistants.import_assistants("acme", {"provider": "vapi", "api_key_ref": "k",
                                                 "import_ids": ["a1", "a2"]})["data"]
    assert [item["import_metadata"] for item in data] == [
        {"import_provider": "vapi", "import_id": "a1"},
        {"import_provider": "vapi", "import_id": "a2"}]
    for item in data:
        validate_type(type_=InferenceEmbedding, value=item)


def test_reimporting_an_id_returns_the_existing_assistant(assistants):
    body = {"provider": "retell", "api_key_ref": "k", "import_ids": ["r1"]}
    first = assistants.import_assistants("acme", body)["data"][0]
    again = assistants.import_assistants("acme", body)["data"][0]
    assert again["id"] == first["id"]
    assert len(assistants.list("acme")["data"]) == 1


def test_same_import_id_from_another_provider_is_another_assistant(assistants):
    vapi = assistants.import_assistants("acme", {"provider": "vapi", "api_key_ref": "k",
                                                 "import_ids": ["x"]})["data"][0]
    retell = assistants.import_assistants("acme", {"provider": "retell", "api_key_ref": "k",
                                                   "import_ids": ["x"]})["data"][0]
    assert vapi["id"] != retell["id"]


def test_import_without_ids_answers_the_assistants_imported_from_that_provider(assistants):
    imported = assistants.import_assistants("acme", {"provider": "vapi", "api_key_ref": "k",
                                                     "import_ids": ["a1"]})["data"]
    assistants.import_assistants("acme", {"provider": "retell", "api_key_ref": "k",
                                          "import_ids": ["b1"]})
    again = assistants.import_assistants("acme", {"provider": "vapi", "api_key_ref": "k"})
    assert again == {"data": imported}


def test_import_without_ids_from_a_new_provider_is_empty(assistants):
    assert assistants.import_assistants("acme", {"provider": "elevenlabs",
                                                 "api_key_ref": "k"}) == {"data": []}


def test_reimport_after_hard_delete_makes_a_new_assistant(assistants):
    body = {"provider": "vapi", "api_key_ref": "k", "import_ids": ["a1"]}
    first = assistants.import_assistants("acme", body)["data"][0]
    assistants.delete("acme", first["id"], hard=True)
    again = assistants.import_assistants("acme", body)["data"][0]
    assert again["id"] != first["id"]


# --- tags -----------------------------------------------------------------------------------

def test_add_tag_answers_the_assistants_tags(assistants, create_assistant):
    assistant = create_assistant(tags=["a"])
    assert assistants.add_tag("acme", assistant["id"], "b") == {"tags": ["a", "b"]}


def test_add_tag_twice_does_not_duplicate_it(assistants, create_assistant):
    assistant = create_assistant()
    assistants.add_tag("acme", assistant["id"], "vip")
    assert assistants.add_tag("acme", assistant["id"], "vip") == {"tags": ["vip"]}


def test_remove_tag_removes_it(assistants, create_assistant):
    assistant = create_assistant(tags=["a", "b"])
    assert assistants.remove_tag("acme", assistant["id"], "a") == {"tags": ["b"]}
    assert assistants.get("acme", assistant["id"])["tags"] == ["b"]


def test_remove_missing_tag_changes_nothing(assistants, create_assistant):
    assistant = create_assistant(tags=["a"])
    assert assistants.remove_tag("acme", assistant["id"], "zzz") == {"tags": ["a"]}


def test_tag_edits_do_not_create_versions(assistants, create_assistant):
    assistant = create_assistant()
    assistants.add_tag("acme", assistant["id"], "x")
    assert len(assistants.list_versions("acme", assistant["id"])["data"]) == 1


def test_list_tags_is_the_sorted_union_over_active_assistants(assistants, create_assistant):
    create_assistant(tags=["sales", "emea"])
    create_assistant(tags=["emea", "apac"])
    gone = create_assistant(tags=["deleted-only"])
    assistants.delete("acme", gone["id"])
    assert assistants.list_tags("acme") == {"tags": ["apac", "emea", "sales"]}


# --- shared tools ---------------------------------------------------------------------------

def test_attach_tool_answers_an_empty_object_and_is_not_echoed(assistants, create_assistant):
    assistant = create_assistant()
    assert assistants.attach_tool("acme", assistant["id"], "tool-1") == {}
    assert "tool_ids" not in assistants.get("acme", assistant["id"])
    assert assistants.attached_tool_ids("acme", assistant["id"]) == ["tool-1"]


def test_attach_the_same_tool_twice_keeps_one(assistants, create_assistant):
    assistant = create_assistant()
    assistants.attach_tool("acme", assistant["id"], "tool-1")
    assistants.attach_tool("acme", assistant["id"], "tool-1")
    assert assistants.attached_tool_ids("acme", assistant["id"]) == ["tool-1"]


def test_detach_tool_removes_it(assistants, create_assistant):
    assistant = create_assistant(tool_ids=["tool-1", "tool-2"])
    assert assistants.detach_tool("acme", assistant["id"], "tool-1") == {}
    assert assistants.attached_tool_ids("acme", assistant["id"]) == ["tool-2"]


def test_detach_a_tool_that_is_not_attached_is_not_found(assistants, create_assistant):
    assistant = create_assistant()
    with pytest.raises(NotFound):
        assistants.detach_tool("acme", assistant["id"], "tool-1")


# --- tenant isolation -----------------------------------------------------------------------

def test_another_tenant_cannot_see_or_change_an_assistant(assistants, create_assistant):
    assistant = create_assistant(tenant="acme", tags=["a"])
    assert assistants.list("globex") == {"data": []}
    assert assistants.list_tags("globex") == {"tags": []}
    for call in (lambda: assistants.get("globex", assistant["id"]),
                 lambda: assistants.update("globex", assistant["id"], {"name": "x"}),
                 lambda: assistants.delete("globex", assistant["id"]),
                 lambda: assistants.clone("globex", assistant["id"]),
                 lambda: assistants.add_tag("globex", assistant["id"], "b")):
        with pytest.raises(NotFound):
            call()
    assert assistants.get("acme", assistant["id"]) == assistant


def test_import_index_is_per_tenant(assistants):
    body = {"provider": "vapi", "api_key_ref": "k", "import_ids": ["a1"]}
    mine = assistants.import_assistants("acme", body)["data"][0]
    theirs = assistants.import_assistants("globex", body)["data"][0]
    assert mine["id"] != theirs["id"]
