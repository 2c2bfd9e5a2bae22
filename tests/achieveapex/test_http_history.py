"""The change history over HTTP: ``/ai-assistants-change-history`` and the restore from it.

Every create and every PATCH records a snapshot (the record as answered), a restore applies one
and records another (201, Feathers ``create``), and the list speaks the same query language as
every other list, which is how a client finds "the configuration active at T". A Hypothesis
property runs random sequences of changes and restores through HTTP and checks the history's
invariants after each.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

T0 = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)  # conftest's FROZEN_AT
RESTORE = "/ai-assistants-restore-from-changes-history"
# the configuration a restore brings back (AiAssistantFields), as opposed to ids and timestamps
CONFIG = ("name", "ai_model_id", "connection", "specific_openai_secret_key", "timezone",
          "instructions", "instructions_language", "is_easy_mode", "easy_mode_config",
          "human_handoff_config", "ai_assistant_handoff_config", "external_handoff_targets",
          "follow_up_config", "access_permissions_automations", "access_permissions_contact",
          "access_permissions_deals", "access_permissions_customer_support", "advanced_options",
          "additional_json_keys", "disable_reply", "analyze_images",
          "enable_message_burst_handling", "can_send_images", "response_config",
          "schedule_config", "internal_tools", "api_tools", "mcp_tools",
          "telnyx_ai_assistant_config", "acting_user_id")


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def snapshots(apex, assistant_id: int) -> list[dict[str, Any]]:
    return apex.history(assistant_id)["data"]


def restore(apex, assistant_id: int, history_id: int):
    return apex.post(RESTORE, json={"ai_assistant_id": assistant_id,
                                    "change_history_id": history_id})


# --- recording ------------------------------------------------------------------------------

def test_create_records_a_snapshot_of_the_created_assistant(apex):
    created = apex.create_assistant()
    assert apex.history(created["id"]) == {"total": 1, "limit": 50, "skip": 0, "data": [{
        "id": apex.history(created["id"])["data"][0]["id"], "ai_assistant_id": created["id"],
        "organization_id": apex.organization_id,
        "created_by_user_id": created["created_by_user_id"], "snapshot": created,
        "created_at": created["updated_at"]}]}


def test_every_patch_records_a_snapshot_of_the_answer(apex):
    created = apex.create_assistant()
    answers = [created] + [apex.patch_assistant(created["id"], name=name)
                           for name in ("Two", "Three")]
    assert [entry["snapshot"] for entry in snapshots(apex, created["id"])] == answers


def test_an_empty_patch_records_a_snapshot_too(apex):
    created = apex.create_assistant()
    apex.patch_assistant(created["id"])
    assert len(snapshots(apex, created["id"])) == 2


def test_a_failed_patch_records_nothing(apex):
    created = apex.create_assistant()
    response = apex.patch(f"/ai-assistants/{created['id']}", json={"connection": "specific"})
    assert response.status_code == 400
    assert len(snapshots(apex, created["id"])) == 1


def test_delete_records_no_snapshot_and_restore_by_patch_records_one(apex):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    assert len(snapshots(apex, created["id"])) == 1
    apex.patch_assistant(created["id"], deleted_at=None)
    assert len(snapshots(apex, created["id"])) == 2


def test_snapshots_of_a_deleted_assistant_stay_listed(apex):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    assert apex.history(created["id"])["total"] == 1


def test_a_snapshot_is_stamped_with_the_assistants_updated_at(apex, clock):
    created = apex.create_assistant()
    clock.freeze(T0 + timedelta(minutes=3))
    patched = apex.patch_assistant(created["id"], name="Later")
    assert [e["created_at"] for e in snapshots(apex, created["id"])] == [
        stamp(T0), stamp(T0 + timedelta(minutes=3))]
    assert patched["updated_at"] == stamp(T0 + timedelta(minutes=3))


def test_get_answers_one_snapshot(apex):
    created = apex.create_assistant()
    entry = snapshots(apex, created["id"])[0]
    assert apex.ok("GET", f"/ai-assistants-change-history/{entry['id']}") == entry


def test_get_of_an_unknown_snapshot_answers_404(apex, feathers):
    response = apex.get("/ai-assistants-change-history/987654321")
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_get_of_another_organizations_snapshot_answers_404(apex, apex_as, feathers):
    owner = apex_as()
    entry = snapshots(owner, owner.create_assistant()["id"])[0]
    response = apex.get(f"/ai-assistants-change-history/{entry['id']}")
    assert (response.status_code, response.json()) == (404, feathers.not_found(entry["id"]))


# --- the query language ---------------------------------------------------------------------

@pytest.fixture
def two_assistants(apex) -> tuple[dict[str, Any], dict[str, Any]]:
    first, second = apex.create_assistant(name="First"), apex.create_assistant(name="Second")
    for n in range(3):
        apex.patch_assistant(first["id"], instructions=f"Version {n}")
    return first, second


def test_the_list_filters_by_assistant(apex, two_assistants):
    first, second = two_assistants
    assert [e["ai_assistant_id"] for e in snapshots(apex, first["id"])] == [first["id"]] * 4
    assert [e["ai_assistant_id"] for e in snapshots(apex, second["id"])] == [second["id"]]


def test_the_list_without_filters_has_every_snapshot_of_the_organization(apex, two_assistants):
    page = apex.ok("GET", "/ai-assistants-change-history")
    assert (page["total"], page["limit"], len(page["data"])) == (5, 10, 5)


def test_the_list_sorts_newest_first_and_pages(apex, two_assistants):
    first, _ = two_assistants
    every = snapshots(apex, first["id"])
    page = apex.history(first["id"], ("$sort[created_at]", "-1"), ("$limit", "2"),
                        ("$skip", "1"))
    assert page == {"total": 4, "limit": 2, "skip": 1, "data": every[::-1][1:3]}


def test_the_list_filters_ids_with_operators(apex, two_assistants):
    first, _ = two_assistants
    ids = [e["id"] for e in snapshots(apex, first["id"])]
    page = apex.history(first["id"], ("id[$in][]", str(ids[0])), ("id[$in][]", str(ids[2])))
    assert [e["id"] for e in page["data"]] == [ids[0], ids[2]]
    page = apex.history(first["id"], ("id[$gt]", str(ids[1])))
    assert [e["id"] for e in page["data"]] == ids[2:]


def test_the_list_refuses_an_unknown_operator(apex, two_assistants, feathers):
    response = apex.get("/ai-assistants-change-history", params={"created_at[$before]": "x"})
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "Invalid query parameter $before", "/created_at/$before"))


def test_created_at_lte_must_be_a_date_time(apex, feathers, ajv_error):
    response = apex.get("/ai-assistants-change-history", params={"created_at[$lte]": "noon"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/created_at/$lte", "#/properties/created_at/properties/%24lte/format",
                  "format", {"format": "date-time"}, 'must match format "date-time"')))


def test_the_configuration_active_at_a_time_is_the_newest_snapshot_at_or_before_it(
        apex, clock):
    created = apex.create_assistant(name="v1")
    clock.freeze(T0 + timedelta(minutes=1))
    apex.patch_assistant(created["id"], name="v2")
    clock.freeze(T0 + timedelta(minutes=2))
    apex.patch_assistant(created["id"], name="v3")

    def active_at(moment: str) -> list[str]:
        page = apex.ok("GET", "/ai-assistants-change-history", params=[
            ("ai_assistant_id", str(created["id"])), ("created_at[$lte]", moment),
            ("$sort[created_at]", "-1"), ("$limit", "1")])
        return [entry["snapshot"]["name"] for entry in page["data"]]

    assert active_at("2026-04-25T18:59:59.999Z") == []
    assert active_at("2026-04-25T19:00:00.000Z") == ["v1"]
    assert active_at("2026-04-25T19:00:59.999Z") == ["v1"]
    assert active_at("2026-04-25T19:01:00.000Z") == ["v2"]
    assert active_at("2026-04-25T21:01:30+02:00") == ["v2"]
    assert active_at("2026-04-25T19:02:00Z") == ["v3"]
    assert active_at("2030-01-01T00:00:00Z") == ["v3"]


# --- restore --------------------------------------------------------------------------------

def test_restore_applies_the_snapshot_and_answers_201(apex, clock):
    created = apex.create_assistant(instructions="One.", advanced_options={"a": 1})
    clock.freeze(T0 + timedelta(seconds=1))
    apex.patch_assistant(created["id"], instructions="Two.", name="Renamed",
                         advanced_options={"b": 2}, timezone="UTC")
    clock.freeze(T0 + timedelta(seconds=2))
    first = snapshots(apex, created["id"])[0]
    response = restore(apex, created["id"], first["id"])
    assert (response.status_code, response.json()) == (
        201, {**created, "updated_at": stamp(T0 + timedelta(seconds=2))})
    assert apex.ok("GET", f"/ai-assistants/{created['id']}") == response.json()


def test_restore_records_a_new_snapshot(apex):
    created = apex.create_assistant()
    apex.patch_assistant(created["id"], name="Renamed")
    restored = restore(apex, created["id"], snapshots(apex, created["id"])[0]["id"]).json()
    entries = snapshots(apex, created["id"])
    assert len(entries) == 3
    assert (entries[-1]["snapshot"], entries[-1]["created_at"]) == (
        restored, restored["updated_at"])


def test_restore_never_brings_back_ids_or_timestamps(apex):
    created = apex.create_assistant()
    later = apex.patch_assistant(created["id"], name="Renamed")
    restored = restore(apex, created["id"], snapshots(apex, created["id"])[0]["id"]).json()
    assert (restored["id"], restored["created_at"], restored["deleted_at"]) == (
        created["id"], created["created_at"], None)
    assert restored["updated_at"] > later["updated_at"]


def test_restore_removes_fields_the_snapshot_did_not_have(apex):
    created = apex.create_assistant()
    apex.patch_assistant(created["id"], timezone="Europe/Madrid", instructions="x")
    restored = restore(apex, created["id"], snapshots(apex, created["id"])[0]["id"]).json()
    assert {"timezone", "instructions"}.isdisjoint(restored)


def test_restoring_other_voice_settings_sets_sync_status_pending(apex):
    created = apex.create_assistant(assistant_type="voice", telnyx_ai_assistant_config={
        "voice_id": "a", "sync_status": "synced"})
    apex.patch_assistant(created["id"], telnyx_ai_assistant_config={"voice_id": "b"})
    restored = restore(apex, created["id"], snapshots(apex, created["id"])[0]["id"]).json()
    assert restored["telnyx_ai_assistant_config"] == {"voice_id": "a", "sync_status": "pending"}


def test_restore_of_an_unknown_assistant_answers_404(apex, feathers):
    created = apex.create_assistant()
    response = restore(apex, 987654321, snapshots(apex, created["id"])[0]["id"])
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_restore_of_a_deleted_assistant_answers_404(apex, feathers):
    created = apex.create_assistant()
    apex.ok("DELETE", f"/ai-assistants/{created['id']}")
    response = restore(apex, created["id"], snapshots(apex, created["id"])[0]["id"])
    assert (response.status_code, response.json()) == (404, feathers.not_found(created["id"]))


def test_restore_from_an_unknown_snapshot_answers_404(apex, feathers):
    created = apex.create_assistant()
    response = restore(apex, created["id"], 987654321)
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


def test_restore_from_another_organizations_snapshot_answers_404(apex, apex_as, feathers):
    owner = apex_as()
    theirs = snapshots(owner, owner.create_assistant()["id"])[0]
    mine = apex.create_assistant()
    response = restore(apex, mine["id"], theirs["id"])
    assert (response.status_code, response.json()) == (404, feathers.not_found(theirs["id"]))


def test_restore_from_a_snapshot_of_another_assistant_answers_400(apex, feathers):
    first, second = apex.create_assistant(name="First"), apex.create_assistant(name="Second")
    entry = snapshots(apex, first["id"])[0]
    response = restore(apex, second["id"], entry["id"])
    assert (response.status_code, response.json()) == (400, feathers.bad_request(
        f"Change history {entry['id']} is not a snapshot of AI assistant {second['id']}"))
    assert apex.ok("GET", f"/ai-assistants/{second['id']}") == second
    assert len(snapshots(apex, second["id"])) == 1


def test_restore_needs_both_ids(apex, feathers, ajv_error):
    response = apex.post(RESTORE, json={"change_history_id": "1"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "", "#/required", "required", {"missingProperty": "ai_assistant_id"},
                  "must have required property 'ai_assistant_id'"),
        ajv_error("body", "/change_history_id", "#/properties/change_history_id/type", "type",
                  {"type": "integer"}, "must be integer")))


# --- the property ---------------------------------------------------------------------------

CHANGES = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["a", "b", "c"]),
    "instructions": st.sampled_from(["One.", "Two."]),
    "timezone": st.sampled_from(["UTC", "Europe/Madrid"]),
    "advanced_options": st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 2),
                                        max_size=2),
    "telnyx_ai_assistant_config": st.none() | st.fixed_dictionaries(
        {"voice_id": st.sampled_from(["a", "b"])},
        optional={"greeting": st.sampled_from(["Hi", "Hello"])}),
})
STEPS = st.lists(st.tuples(
    st.one_of(st.tuples(st.just("patch"), CHANGES), st.tuples(st.just("restore"),
                                                              st.integers(0, 50))),
    st.sampled_from([0, 0.0004, 1, -1])), max_size=8)


def configuration(record: dict[str, Any]) -> dict[str, Any]:
    """What a restore brings back, the voice sync status (a restore may set it) aside."""
    config = {name: record[name] for name in CONFIG if name in record}
    voice = config.get("telnyx_ai_assistant_config")
    if isinstance(voice, dict):
        config["telnyx_ai_assistant_config"] = {k: v for k, v in voice.items()
                                                if k != "sync_status"}
    return config


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["conversation", "voice"]), steps=STEPS)
def test_history_records_every_state_and_restores_any_of_them(apex_as, store_clock, kind,
                                                              steps):
    apex = apex_as()
    now = T0
    store_clock.freeze(now)
    try:
        states = [apex.create_assistant(assistant_type=kind)]
        assistant_id = states[0]["id"]
        for (action, argument), seconds in steps:
            now += timedelta(seconds=seconds)
            store_clock.freeze(now)
            if action == "patch":
                after = apex.patch_assistant(assistant_id, **argument)
            else:
                entry = snapshots(apex, assistant_id)[argument % len(states)]
                response = restore(apex, assistant_id, entry["id"])
                assert response.status_code == 201
                after = response.json()
                assert configuration(after) == configuration(entry["snapshot"])
            assert after["updated_at"] > states[-1]["updated_at"]
            states.append(after)
            entries = snapshots(apex, assistant_id)
            # one snapshot per state, each the answer that recorded it, in strict time order
            assert [entry["snapshot"] for entry in entries] == states
            assert [e["created_at"] for e in entries] == sorted({e["created_at"]
                                                                 for e in entries})
            assert entries[-1]["snapshot"] == apex.ok("GET", f"/ai-assistants/{assistant_id}")
    finally:
        store_clock.unfreeze()
