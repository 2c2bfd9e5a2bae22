"""GET/PUT /__fake/snapshot: the whole state out as one document and back in, atomically."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from assistant_fake.settings import Settings

KEY = "snapshot-key"


def populate(fake) -> dict[str, str]:
    """Some state of every kind in both vendors; the ids the GETs below need."""
    fake.telnyx_assistant(KEY, "Gone")
    kept = fake.telnyx_assistant(KEY, "Kept")
    fake.telnyx(KEY, "POST", f"/ai/assistants/{kept['id']}", json={"greeting": "Hello"})
    fake.telnyx(KEY, "POST", f"/ai/assistants/{kept['id']}/tags", json={"tag": "vip"})
    gone = fake.telnyx_names(KEY).index("Gone")
    gone_id = fake.telnyx(KEY, "GET", "/ai/assistants").json()["data"][gone]["id"]
    fake.telnyx(KEY, "DELETE", f"/ai/assistants/{gone_id}")
    apex = fake.apex_assistant(KEY, "Apex")
    fake.apex(KEY, "PATCH", f"/ai-assistants/{apex['id']}", json={"instructions": "Brief."})
    fake.apex(KEY, "POST", "/ai-assistant-skills", json={
        "assistant_id": apex["id"], "organization_id": apex["organization_id"],
        "name": "Refunds", "content": "How refunds work."})
    return {"telnyx": kept["id"], "apex": str(apex["id"])}


def observe(fake, ids: dict[str, str]) -> list[tuple[int, bytes]]:
    """Every GET that shows the populated state."""
    telnyx = ["/ai/assistants", f"/ai/assistants/{ids['telnyx']}",
              f"/ai/assistants/{ids['telnyx']}/versions", "/ai/assistants/deleted",
              "/ai/assistants/tags"]
    apex = ["/organizations", "/ai-assistants", f"/ai-assistants/{ids['apex']}",
            "/ai-assistants-change-history", "/ai-assistant-skills", "/api-tools"]
    answers = [fake.telnyx(KEY, "GET", path) for path in telnyx]
    answers += [fake.apex(KEY, "GET", path) for path in apex]
    return [(response.status_code, response.content) for response in answers]


@pytest.fixture
def frozen(make_fake):
    return make_fake(Settings(clock=datetime(2026, 2, 1, tzinfo=UTC)))


def test_a_snapshot_names_its_format_and_holds_clock_ids_and_collections(fake):
    snapshot = fake.ok("GET", "/snapshot")
    assert (snapshot["format"], snapshot["version"]) == ("assistant-fake-snapshot", 1)
    assert set(snapshot) == {"format", "version", "collections", "clock", "ids"}


def test_importing_a_snapshot_brings_every_get_back_to_what_it_answered(frozen):
    ids = populate(frozen)
    before = observe(frozen, ids)
    snapshot = frozen.ok("GET", "/snapshot")
    frozen.telnyx_assistant(KEY, "Added later")
    frozen.apex(KEY, "DELETE", f"/ai-assistants/{ids['apex']}")
    frozen.ok("POST", "/clock/advance", json={"seconds": 3600})
    frozen.ok("PUT", "/snapshot", json=snapshot)
    assert observe(frozen, ids) == before


def test_a_snapshot_moves_state_into_another_fake(frozen, make_fake):
    ids = populate(frozen)
    other = make_fake()
    other.ok("PUT", "/snapshot", json=frozen.ok("GET", "/snapshot"))
    assert observe(other, ids) == observe(frozen, ids)


def test_import_answers_how_much_it_loaded(frozen):
    populate(frozen)
    snapshot = frozen.ok("GET", "/snapshot")
    answer = frozen.ok("PUT", "/snapshot", json=snapshot)
    assert answer == {"collections": len(snapshot["collections"]),
                      "records": sum(map(len, snapshot["collections"].values()))}


def test_a_snapshot_resumes_the_seeded_id_sequence_where_it_stood(make_fake):
    fake = make_fake(Settings(seed=3))
    fake.telnyx_assistant(KEY)
    snapshot = fake.ok("GET", "/snapshot")
    expected = fake.telnyx_assistant(KEY, "Next")["id"]
    fake.ok("PUT", "/snapshot", json=snapshot)
    assert fake.telnyx_assistant(KEY, "Next")["id"] == expected


def test_a_snapshot_restores_a_frozen_clock(frozen):
    snapshot = frozen.ok("GET", "/snapshot")
    frozen.ok("PUT", "/clock", json={"now": None, "frozen": False})
    frozen.ok("PUT", "/snapshot", json=snapshot)
    assert frozen.ok("GET", "/clock") == {"now": "2026-02-01T00:00:00.000Z", "frozen": True}


def broken(snapshot: dict, how: str) -> object:
    snapshot = copy.deepcopy(snapshot)
    if how == "format":
        snapshot["format"] = "something-else"
    elif how == "version":
        snapshot["version"] = 2
    elif how == "document":
        snapshot["collections"]["x"] = {"1": "not an object"}
    elif how == "clock":
        snapshot["clock"]["now"] = "not a time"
    elif how == "ids":
        snapshot["ids"] = {"seed": 1, "state": [3, [1, 2, 3], None]}
    elif how == "missing":
        del snapshot["collections"]
    else:
        return [snapshot]
    return snapshot


@pytest.mark.parametrize("how", ["format", "version", "document", "clock", "ids", "missing",
                                 "not-an-object"])
def test_an_invalid_snapshot_is_refused_and_changes_nothing(frozen, how):
    ids = populate(frozen)
    before = observe(frozen, ids)
    snapshot = frozen.ok("GET", "/snapshot")
    frozen.ok("POST", "/reset", json={"api": "achieveapex"})
    after_reset = observe(frozen, ids)
    response = frozen.admin("PUT", "/snapshot", json=broken(snapshot, how))
    assert response.status_code == 400
    assert response.json()["detail"]
    assert observe(frozen, ids) == after_reset != before
