"""Deterministic mode: a seed for generated ids and a settable, freezable clock, so two runs of
the same requests answer byte for byte the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant_fake.settings import Settings

START = datetime(2026, 1, 1, tzinfo=UTC)
KEY = "deterministic-key"


def session(fake) -> list[tuple[int, str, bytes]]:
    """One fixed sequence of requests over both vendors; every answer, raw."""
    answers = []

    def keep(response):
        assert response.status_code < 300, response.text
        answers.append((response.status_code, response.headers["content-type"],
                        response.content))
        return response.json() if "json" in response.headers["content-type"] else None

    created = keep(fake.telnyx(KEY, "POST", "/ai/assistants", json={
        "name": "Support", "instructions": "Help.", "tools": [{"type": "hangup", "hangup": {}}]}))
    assistant_id = created["id"]
    keep(fake.telnyx(KEY, "POST", f"/ai/assistants/{assistant_id}", json={"greeting": "Hi"}))
    keep(fake.telnyx(KEY, "GET", f"/ai/assistants/{assistant_id}/versions"))
    keep(fake.telnyx(KEY, "POST", f"/ai/assistants/{assistant_id}/chat",
                     json={"content": "hello", "conversation_id": "c1"}))
    keep(fake.telnyx(KEY, "POST", f"/ai/assistants/{assistant_id}/chat/sms",
                     json={"from": "+13125550100", "to": "+13125550199", "text": "Hi"}))
    keep(fake.telnyx(KEY, "POST", f"/ai/assistants/{assistant_id}/scheduled_events", json={
        "telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550199",
        "telnyx_agent_target": "+13125550100",
        "scheduled_at_fixed_datetime": "2026-01-02T09:00:00Z"}))
    test = keep(fake.telnyx(KEY, "POST", "/ai/assistants/tests", json={
        "name": "Greets", "destination": assistant_id, "instructions": "Say hi.",
        "rubric": [{"name": "greets", "criteria": "It greets."}]}))
    run = keep(fake.telnyx(KEY, "POST", f"/ai/assistants/tests/{test['test_id']}/runs",
                           json={}))
    keep(fake.telnyx(KEY, "GET", f"/ai/assistants/tests/{test['test_id']}/runs/{run['run_id']}"))
    keep(fake.telnyx(KEY, "DELETE", f"/ai/assistants/{assistant_id}"))
    keep(fake.telnyx(KEY, "GET", "/ai/assistants/deleted"))
    organization = keep(fake.apex(KEY, "GET", "/organizations"))["data"][0]["id"]
    apex = keep(fake.apex(KEY, "POST", "/ai-assistants", json={
        "organization_id": organization, "name": "Apex", "assistant_type": "voice",
        "ai_model_id": 1}))
    keep(fake.apex(KEY, "PATCH", f"/ai-assistants/{apex['id']}", json={"instructions": "Brief"}))
    keep(fake.apex(KEY, "GET", "/ai-assistants-change-history"))
    keep(fake.apex(KEY, "DELETE", f"/ai-assistants/{apex['id']}"))
    return answers


def test_two_fresh_fakes_with_the_same_seed_and_clock_answer_byte_for_byte_alike(make_fake):
    settings = Settings(seed=42, clock=START)
    assert session(make_fake(settings)) == session(make_fake(settings))


def test_seed_and_clock_set_through_the_admin_api_make_runs_identical(make_fake):
    def run():
        fake = make_fake()
        fake.ok("PUT", "/ids", json={"seed": 42})
        fake.ok("PUT", "/clock", json={"now": "2026-01-01T00:00:00Z", "frozen": True})
        return session(fake)

    assert run() == run()


def test_a_different_seed_gives_different_ids(make_fake):
    first = make_fake(Settings(seed=1, clock=START)).telnyx_assistant(KEY)
    second = make_fake(Settings(seed=2, clock=START)).telnyx_assistant(KEY)
    assert first["id"] != second["id"]


def test_a_frozen_clock_stamps_every_record(fake):
    fake.ok("PUT", "/clock", json={"now": "2026-03-04T05:06:07.890+01:00"})
    assert fake.telnyx_assistant(KEY)["created_at"] == "2026-03-04T04:06:07.890Z"


def test_advancing_a_frozen_clock_moves_it_by_exactly_that(fake):
    fake.ok("PUT", "/clock", json={"now": "2026-01-01T00:00:00Z"})
    assert fake.ok("POST", "/clock/advance", json={"seconds": 90.5}) == {
        "now": "2026-01-01T00:01:30.500Z", "frozen": True}


def test_a_clock_set_running_keeps_ticking_from_the_time_set(fake):
    answer = fake.ok("PUT", "/clock", json={"now": "2001-01-01T00:00:00Z", "frozen": False})
    assert answer["frozen"] is False
    assert answer["now"].startswith("2001-01-01T00:0")


def test_the_clock_returns_to_real_time(fake):
    fake.ok("PUT", "/clock", json={"now": "2001-01-01T00:00:00Z"})
    answer = fake.ok("PUT", "/clock", json={"now": None, "frozen": False})
    assert answer["frozen"] is False
    assert answer["now"][:4] == str(datetime.now(UTC).year)


def test_freezing_without_a_time_freezes_the_current_reading(fake):
    fake.ok("PUT", "/clock", json={"now": "2001-01-01T00:00:00Z", "frozen": False})
    answer = fake.ok("PUT", "/clock", json={})
    assert answer["frozen"] is True
    assert answer["now"].startswith("2001-01-01T00:0")


@pytest.mark.parametrize("now", ["2026-01-01", "2026-01-01T00:00:00", "yesterday", 5,
                                 "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_set_clock_refuses_a_time_it_cannot_use(fake, now):
    before = fake.ok("GET", "/clock")
    response = fake.admin("PUT", "/clock", json={"now": now})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("body/now")
    assert fake.ok("GET", "/clock")["frozen"] == before["frozen"]


@pytest.mark.parametrize("seconds", [1e300, 10**400, -1e12, "60", None],
                         ids=["huge", "huge-int", "before-1900", "string", "null"])
def test_advance_refuses_a_move_out_of_range_or_not_a_number(fake, seconds):
    fake.ok("PUT", "/clock", json={"now": "2026-01-01T00:00:00Z"})
    response = fake.admin("POST", "/clock/advance", json={"seconds": seconds})
    assert response.status_code == 400
    assert fake.ok("GET", "/clock")["now"] == "2026-01-01T00:00:00.000Z"


def test_advance_refuses_infinity(fake):
    response = fake.admin("POST", "/clock/advance", content=b'{"seconds": Infinity}')
    assert response.status_code == 400


def test_ids_report_the_seed_in_force(fake):
    assert fake.ok("GET", "/ids") == {"seed": None}
    assert fake.ok("PUT", "/ids", json={"seed": 5}) == {"seed": 5}
    assert fake.ok("GET", "/ids") == {"seed": 5}


def test_reseeding_restarts_the_id_sequence(fake):
    fake.ok("PUT", "/ids", json={"seed": 5})
    first = fake.telnyx_assistant(KEY)["id"]
    fake.ok("PUT", "/ids", json={"seed": 5})
    assert fake.telnyx_assistant("another-key")["id"] == first


@pytest.mark.parametrize("body", [{"seed": "5"}, {"seed": 1.5}, {"seed": True}, {}])
def test_ids_refuses_a_seed_that_is_not_an_integer_or_null(fake, body):
    assert fake.admin("PUT", "/ids", json=body).status_code == 400
