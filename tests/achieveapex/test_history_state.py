"""AchieveApex's change history at the state layer: snapshots recorded by create, PATCH and
restore, the configuration active at a time, and the restore from a snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant_fake.store import Store, isoformat
from assistant_fake.vendors.achieveapex.assistants import (
    CONFIG_FIELDS,
    FIELD_TYPES_HISTORY,
    VOICE_SETTINGS,
    AiAssistants,
    ChangeHistory,
)
from assistant_fake.vendors.achieveapex.errors import FeathersProblem, bad_request, not_found
from assistant_fake.vendors.achieveapex.query import parse_query, parse_query_string
from assistant_fake.vendors.achieveapex.records import Caller

ORG = Caller(organization_id=1, user_id=11)
COLLEAGUE = Caller(organization_id=1, user_id=12)
OTHER = Caller(organization_id=2, user_id=22)
T0 = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)
T0_TEXT = "2026-04-25T19:00:00.000Z"


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
                **config}
    return body(assistant_type="voice", telnyx_ai_assistant_config=settings)


def query(*pairs: tuple[str, str]):
    return parse_query(parse_query_string(list(pairs)), field_types=FIELD_TYPES_HISTORY)


def snapshots(history: ChangeHistory, caller: Caller, assistant_id: int) -> list[dict]:
    found = history.find(caller, query(("ai_assistant_id", str(assistant_id)),
                                       ("$sort[created_at]", "1"), ("$limit", "50")))
    assert found["total"] == len(found["data"])
    return found["data"]


def active_at(history: ChangeHistory, caller: Caller, assistant_id: int,
              moment: str) -> list[dict]:
    """The reference's query for the configuration active at ``moment``."""
    return history.find(caller, query(
        ("ai_assistant_id", str(assistant_id)), ("created_at[$lte]", moment),
        ("$sort[created_at]", "-1"), ("$limit", "1")))["data"]


def configuration(record: dict[str, Any], *, sync_status: bool = True) -> dict[str, Any]:
    config = {name: record[name] for name in CONFIG_FIELDS if name in record}
    voice = config.get("telnyx_ai_assistant_config")
    if not sync_status and isinstance(voice, dict):
        config["telnyx_ai_assistant_config"] = {
            k: v for k, v in voice.items() if k != "sync_status"}
    return config


def refused(call, *args: Any) -> dict[str, Any]:
    with pytest.raises(FeathersProblem) as problem:
        call(*args)
    return problem.value.body


def later(store: Store, seconds: float) -> None:
    store.clock.freeze(store.clock.now() + timedelta(seconds=seconds))


# --- snapshots -----------------------------------------------------------------------------

def test_create_records_a_snapshot_of_the_created_assistant(assistants, history):
    created = assistants.create(ORG, body())
    assert snapshots(history, ORG, created["id"]) == [{
        "id": 1, "ai_assistant_id": created["id"], "organization_id": 1,
        "created_by_user_id": 11, "snapshot": created, "created_at": T0_TEXT}]


def test_a_snapshot_is_the_assistant_after_the_change(assistants, history, store):
    created = assistants.create(ORG, body())
    later(store, 1)
    patched = assistants.patch(ORG, created["id"], {"instructions": "Be brief."})
    assert [entry["snapshot"] for entry in snapshots(history, ORG, created["id"])] == [
        created, patched]


def test_a_snapshot_names_the_user_whose_change_recorded_it(assistants, history):
    created = assistants.create(ORG, body())
    assistants.patch(COLLEAGUE, created["id"], {"name": "x"})
    entries = snapshots(history, ORG, created["id"])
    assert [entry["created_by_user_id"] for entry in entries] == [11, 12]
    assert entries[1]["snapshot"]["created_by_user_id"] == 11


def test_every_patch_records_a_snapshot_even_an_empty_one(assistants, history):
    created = assistants.create(ORG, body())
    assistants.patch(ORG, created["id"], {})
    assert len(snapshots(history, ORG, created["id"])) == 2


def test_a_snapshot_is_stamped_with_the_assistants_updated_at(assistants, history, store):
    created = assistants.create(ORG, body())
    later(store, 30)
    patched = assistants.patch(ORG, created["id"], {"name": "x"})
    assert snapshots(history, ORG, created["id"])[-1]["created_at"] == patched["updated_at"]


def test_snapshot_times_strictly_increase_on_a_frozen_clock(assistants, history):
    created = assistants.create(ORG, body())
    for name in ("a", "b", "c"):
        assistants.patch(ORG, created["id"], {"name": name})
    times = [entry["created_at"] for entry in snapshots(history, ORG, created["id"])]
    assert times == ["2026-04-25T19:00:00.000Z", "2026-04-25T19:00:00.001Z",
                     "2026-04-25T19:00:00.002Z", "2026-04-25T19:00:00.003Z"]


def test_snapshot_times_strictly_increase_when_the_clock_goes_back(assistants, history, store):
    created = assistants.create(ORG, body())
    later(store, -60)
    assistants.patch(ORG, created["id"], {"name": "a"})
    times = [entry["created_at"] for entry in snapshots(history, ORG, created["id"])]
    assert times == [T0_TEXT, "2026-04-25T19:00:00.001Z"]


def test_later_changes_do_not_alter_earlier_snapshots(assistants, history):
    created = assistants.create(ORG, body(advanced_options={"a": 1}))
    assistants.patch(ORG, created["id"], {"advanced_options": {"a": 2}})
    assert snapshots(history, ORG, created["id"])[0]["snapshot"]["advanced_options"] == {"a": 1}


def test_snapshots_answered_are_copies(assistants, history):
    created = assistants.create(ORG, body())
    history.get(ORG, 1)["snapshot"]["name"] = "changed"
    assert history.get(ORG, 1)["snapshot"] == created


def test_snapshot_ids_come_from_their_own_sequence(assistants, history):
    first = assistants.create(ORG, body())
    second = assistants.create(OTHER, body(OTHER))
    assistants.patch(ORG, first["id"], {"name": "x"})
    assert [e["id"] for e in snapshots(history, ORG, first["id"])] == [1, 3]
    assert [e["id"] for e in snapshots(history, OTHER, second["id"])] == [2]


# --- find and get --------------------------------------------------------------------------

def test_get_answers_a_snapshot(assistants, history):
    created = assistants.create(ORG, body())
    assert history.get(ORG, 1) == snapshots(history, ORG, created["id"])[0]


def test_get_of_an_unknown_snapshot_is_not_found(history):
    assert refused(history.get, ORG, 9) == not_found("No record found for id '9'")


def test_get_of_another_organisations_snapshot_is_not_found(assistants, history):
    assistants.create(OTHER, body(OTHER))
    assert refused(history.get, ORG, 1)["code"] == 404


def test_find_lists_only_the_callers_organisation(assistants, history):
    mine = assistants.create(ORG, body())
    assistants.create(OTHER, body(OTHER))
    found = history.find(ORG, query())
    assert [entry["ai_assistant_id"] for entry in found["data"]] == [mine["id"]]
    assert history.find(ORG, query(("organization_id", "2")))["total"] == 0


def test_find_keeps_snapshots_of_soft_deleted_assistants(assistants, history):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    assert history.find(ORG, query(("ai_assistant_id", str(created["id"]))))["total"] == 1


def test_the_configuration_active_at_a_time_is_the_newest_snapshot_at_or_before_it(
        assistants, history, store):
    created = assistants.create(ORG, body())
    later(store, 60)
    assistants.patch(ORG, created["id"], {"name": "v2"})
    later(store, 60)
    assistants.patch(ORG, created["id"], {"name": "v3"})
    names = {moment: [entry["snapshot"]["name"]
                      for entry in active_at(history, ORG, created["id"], moment)]
             for moment in ("2026-04-25T18:59:59Z", "2026-04-25T19:00:00Z",
                            "2026-04-25T19:00:59.999Z", "2026-04-25T21:01:00+02:00",
                            "2026-04-25T20:00:00Z")}
    assert names == {"2026-04-25T18:59:59Z": [], "2026-04-25T19:00:00Z": ["Support bot"],
                     "2026-04-25T19:00:59.999Z": ["Support bot"],
                     "2026-04-25T21:01:00+02:00": ["v2"], "2026-04-25T20:00:00Z": ["v3"]}


# --- restore -------------------------------------------------------------------------------

def test_restore_gives_the_assistant_the_snapshots_configuration(assistants, history, store):
    created = assistants.create(ORG, body(instructions="One.", advanced_options={"a": 1}))
    later(store, 1)
    assistants.patch(ORG, created["id"], {"instructions": "Two.", "name": "Renamed",
                                          "advanced_options": {"b": 2}})
    later(store, 1)
    restored = history.restore(ORG, created["id"], 1)
    assert restored == {**created, "updated_at": "2026-04-25T19:00:02.000Z"}
    assert assistants.get(ORG, created["id"]) == restored


def test_restore_keeps_id_organisation_creator_and_created_at(assistants, history):
    created = assistants.create(ORG, body())
    assistants.patch(ORG, created["id"], {"name": "x"})
    restored = history.restore(COLLEAGUE, created["id"], 1)
    assert {k: restored[k] for k in ("id", "organization_id", "created_by_user_id",
                                     "created_at", "deleted_at", "assistant_type")} == {
        "id": created["id"], "organization_id": 1, "created_by_user_id": 11,
        "created_at": T0_TEXT, "deleted_at": None, "assistant_type": "conversation"}


def test_restore_removes_fields_the_snapshot_did_not_have(assistants, history):
    created = assistants.create(ORG, body())
    assistants.patch(ORG, created["id"], {"timezone": "Europe/Madrid", "instructions": "x"})
    restored = history.restore(ORG, created["id"], 1)
    assert {"timezone", "instructions"}.isdisjoint(restored)


def test_restore_records_a_snapshot_by_the_restoring_user(assistants, history):
    created = assistants.create(ORG, body())
    assistants.patch(ORG, created["id"], {"name": "x"})
    restored = history.restore(COLLEAGUE, created["id"], 1)
    newest = snapshots(history, ORG, created["id"])[-1]
    assert (newest["snapshot"], newest["created_by_user_id"], newest["created_at"]) == (
        restored, 12, restored["updated_at"])


def test_restoring_other_voice_settings_sets_sync_status_pending(assistants, history):
    created = assistants.create(ORG, voice_body())
    assistants.patch(ORG, created["id"], {"telnyx_ai_assistant_config": {
        **created["telnyx_ai_assistant_config"], "voice_id": "other", "sync_status": "synced"}})
    restored = history.restore(ORG, created["id"], 1)
    assert restored["telnyx_ai_assistant_config"] == {
        **created["telnyx_ai_assistant_config"], "sync_status": "pending"}


def test_restoring_the_same_voice_settings_keeps_the_snapshots_sync_status(assistants, history):
    created = assistants.create(ORG, voice_body())
    assistants.patch(ORG, created["id"], {"name": "x"})
    restored = history.restore(ORG, created["id"], 1)
    assert restored["telnyx_ai_assistant_config"]["sync_status"] == "synced"


def test_restore_of_an_unknown_assistant_is_not_found(assistants, history, store):
    assistants.create(ORG, body())
    writes = store.writes
    assert refused(history.restore, ORG, 42, 1) == not_found("No record found for id '42'")
    assert store.writes == writes


def test_restore_of_a_soft_deleted_assistant_is_not_found(assistants, history, store):
    created = assistants.create(ORG, body())
    assistants.remove(ORG, created["id"])
    writes = store.writes
    assert refused(history.restore, ORG, created["id"], 1)["code"] == 404
    assert store.writes == writes


def test_restore_from_an_unknown_snapshot_is_not_found(assistants, history, store):
    created = assistants.create(ORG, body())
    writes = store.writes
    assert refused(history.restore, ORG, created["id"], 7) == not_found(
        "No record found for id '7'")
    assert store.writes == writes


def test_restore_from_another_organisations_snapshot_is_not_found(assistants, history, store):
    assistants.create(OTHER, body(OTHER))
    mine = assistants.create(ORG, body())
    writes = store.writes
    assert refused(history.restore, ORG, mine["id"], 1)["code"] == 404
    assert store.writes == writes


def test_restore_of_another_organisations_assistant_is_not_found(assistants, history):
    foreign = assistants.create(OTHER, body(OTHER))
    assert refused(history.restore, ORG, foreign["id"], 1)["code"] == 404
    assert assistants.get(OTHER, foreign["id"]) == foreign


def test_restore_from_a_snapshot_of_another_assistant_is_a_bad_request(
        assistants, history, store):
    first = assistants.create(ORG, body(name="first"))
    second = assistants.create(ORG, body(name="second"))
    writes = store.writes
    assert refused(history.restore, ORG, second["id"], 1) == bad_request(
        f"Change history 1 is not a snapshot of AI assistant {second['id']}")
    assert store.writes == writes
    assert (assistants.get(ORG, first["id"]), assistants.get(ORG, second["id"])) == (
        first, second)


# --- properties ----------------------------------------------------------------------------

VOICE_CONFIGS = st.one_of(st.none(), st.fixed_dictionaries(
    {"voice_id": st.sampled_from(["a", "b"])},
    optional={"sync_status": st.sampled_from(["synced", "failed"]),
              "greeting": st.sampled_from(["Hi", "Hello"]),
              "transfer_from_number": st.sampled_from(["+1555", "+1556"])}))
CHANGES = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["a", "b", "c"]),
    "instructions": st.sampled_from(["One.", "Two."]),
    "timezone": st.sampled_from(["UTC", "Europe/Madrid"]),
    "connection": st.sampled_from(["system", "organization"]),
    "advanced_options": st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 2),
                                        max_size=2),
    "telnyx_ai_assistant_config": VOICE_CONFIGS,
})
STEPS = st.lists(st.tuples(
    st.one_of(st.tuples(st.just("patch"), CHANGES),
              st.tuples(st.just("restore"), st.integers(0, 50)),
              st.tuples(st.just("delete-and-back"), CHANGES)),
    st.sampled_from([0, 0.0004, 0.001, 2, -1])), max_size=10)


def voice_of(config: Any) -> dict[str, Any]:
    config = config if isinstance(config, dict) else {}
    return {name: config.get(name) for name in VOICE_SETTINGS}


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["conversation", "voice"]), steps=STEPS)
def test_history_records_every_state_and_restores_any_of_them(kind, steps):
    store = Store()
    store.clock.freeze(T0)
    assistants, history = AiAssistants(store), ChangeHistory(store)
    states = [assistants.create(ORG, body(assistant_type=kind))]
    assistant_id = states[0]["id"]
    counts = {"patch": 0, "restore": 0, "delete-and-back": 0}
    for (action, argument), seconds in steps:
        later(store, seconds)
        before = states[-1]
        if action == "restore":
            k = argument % len(states)
            entry = snapshots(history, ORG, assistant_id)[k]
            after = history.restore(ORG, assistant_id, entry["id"])
            target = entry["snapshot"]
            # round trip: the configuration is snapshot k's, apart from a sync status the
            # restore itself made pending by changing voice settings
            assert configuration(after, sync_status=False) == configuration(
                target, sync_status=False)
            voice = after["telnyx_ai_assistant_config"]
            if isinstance(voice, dict):
                changed = kind == "voice" and voice_of(before["telnyx_ai_assistant_config"]) != (
                    voice_of(target["telnyx_ai_assistant_config"]))
                expected = "pending" if changed else target["telnyx_ai_assistant_config"].get(
                    "sync_status")
                assert voice.get("sync_status") == expected
        elif action == "patch":
            after = assistants.patch(ORG, assistant_id, argument)
        else:
            assistants.remove(ORG, assistant_id)
            after = assistants.patch(ORG, assistant_id, {**argument, "deleted_at": None})
        counts[action] += 1
        assert after["updated_at"] > before["updated_at"]
        states.append(after)

    entries = snapshots(history, ORG, assistant_id)
    assert len(entries) == 1 + sum(counts.values())
    assert [entry["snapshot"] for entry in entries] == states
    times = [entry["created_at"] for entry in entries]
    assert times == sorted(set(times))  # strictly increasing

    first = datetime.fromisoformat(times[0].replace("Z", "+00:00"))
    probes = {isoformat(first + timedelta(milliseconds=delta)) for delta in (-1, 0, 1)}
    for stamp in times:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        probes |= {isoformat(moment + timedelta(milliseconds=delta)) for delta in (-1, 0, 1)}
    for probe in sorted(probes):
        newest = [entry for entry in entries if entry["created_at"] <= probe][-1:]
        assert active_at(history, ORG, assistant_id, probe) == newest
