"""Fault rules and the Prefer header, in plain Python (no HTTP)."""

from __future__ import annotations

import pytest

from assistant_fake.core.faults import (
    PREFER_FAULT,
    FaultAction,
    FaultMatch,
    FaultRegistry,
    FaultRequest,
    prefer_decision,
)
from assistant_fake.core.tenants import tenant_id

UNAVAILABLE = FaultAction(status=503)


def request(*, api: str = "telnyx", operation: str | None = "list_assistants",
            method: str = "GET", path: str = "/v2/ai/assistants", test_id: str | None = None,
            key: str | None = None) -> FaultRequest:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    return FaultRequest(api=api, operation=operation, method=method, path=path,
                        test_id=test_id, headers=headers)


def test_no_rules_no_fault():
    assert FaultRegistry().decide(request()).inert


def test_an_empty_match_is_global():
    faults = FaultRegistry()
    faults.add(FaultMatch(), UNAVAILABLE)

    assert faults.decide(request(api="achieveapex", path="/ai-assistants")).action == UNAVAILABLE


def test_every_field_of_a_match_must_hold():
    faults = FaultRegistry()
    faults.add(FaultMatch(api="telnyx", operation="create_assistant", method="POST"), UNAVAILABLE)

    assert faults.decide(request(operation="create_assistant", method="POST")).action
    assert faults.decide(request(operation="create_assistant", method="GET")).inert
    assert faults.decide(request(operation="list_assistants", method="POST")).inert


def test_a_path_match_is_a_glob_or_a_prefix():
    faults = FaultRegistry()
    faults.add(FaultMatch(path="/v2/ai/assistants/*/versions"), UNAVAILABLE)

    assert faults.decide(request(path="/v2/ai/assistants/a-1/versions")).action
    assert faults.decide(request(path="/v2/ai/assistants/a-1")).inert


def test_a_rule_with_a_test_id_fires_only_for_that_test():
    faults = FaultRegistry()
    faults.add(FaultMatch(test_id="test-a"), UNAVAILABLE)

    assert faults.decide(request(test_id="test-a")).action
    assert faults.decide(request(test_id="test-b")).inert
    assert faults.decide(request()).inert


def test_a_rule_with_a_tenant_fires_only_for_that_tenant():
    faults = FaultRegistry()
    faults.add(FaultMatch(tenant=tenant_id("key-of-a")), UNAVAILABLE)

    assert faults.decide(request(key="key-of-a")).action
    assert faults.decide(request(key="key-of-b")).inert
    assert faults.decide(request()).inert


def test_a_rule_fires_count_times_then_stops_and_says_so():
    faults = FaultRegistry()
    rule = faults.add(FaultMatch(), UNAVAILABLE, count=2)

    fired = [faults.decide(request()).action is not None for _ in range(4)]

    assert fired == [True, True, False, False]
    assert (rule.hits, rule.exhausted) == (2, True)


def test_a_seeded_probability_fires_the_same_way_every_time():
    def firings(seed: int) -> list[bool]:
        faults = FaultRegistry()
        faults.add(FaultMatch(), UNAVAILABLE, probability=0.5, seed=seed)
        return [faults.decide(request()).action is not None for _ in range(40)]

    assert firings(7) == firings(7)
    assert 5 < sum(firings(7)) < 35


def test_hits_count_only_firings():
    faults = FaultRegistry()
    rule = faults.add(FaultMatch(api="achieveapex"), UNAVAILABLE)

    faults.decide(request())

    assert rule.hits == 0


def test_latency_rules_add_up_and_let_later_rules_decide():
    faults = FaultRegistry()
    faults.add(FaultMatch(), FaultAction(latency_ms=100))
    faults.add(FaultMatch(), FaultAction(latency_ms=50))
    status_rule = faults.add(FaultMatch(), UNAVAILABLE)

    decision = faults.decide(request())

    assert decision.delay_seconds == pytest.approx(0.15)
    assert (decision.action, decision.fault) == (UNAVAILABLE, status_rule.id)


def test_the_first_rule_that_ends_the_request_wins():
    faults = FaultRegistry()
    first = faults.add(FaultMatch(), FaultAction(drop=True))
    second = faults.add(FaultMatch(), UNAVAILABLE)

    decision = faults.decide(request())

    assert decision.fault == first.id
    assert second.hits == 0


def test_a_latency_range_draws_within_it():
    faults = FaultRegistry()
    faults.add(FaultMatch(), FaultAction(latency_ms=(100, 200)), seed=1)

    delays = [faults.decide(request()).delay_seconds for _ in range(20)]

    assert all(0.1 <= delay <= 0.2 for delay in delays)
    assert len(set(delays)) > 1


def test_clear_by_test_id_leaves_other_rules():
    faults = FaultRegistry()
    faults.add(FaultMatch(test_id="a"), UNAVAILABLE)
    kept = faults.add(FaultMatch(test_id="b"), UNAVAILABLE)
    global_rule = faults.add(FaultMatch(), UNAVAILABLE)

    assert faults.clear("a") == 1
    assert faults.rules() == [kept, global_rule]


def test_remove_answers_whether_the_rule_existed():
    faults = FaultRegistry()
    rule = faults.add(FaultMatch(), UNAVAILABLE)

    assert (faults.remove(rule.id), faults.remove(rule.id)) == (True, False)


def test_prefer_code_asks_for_that_error():
    decision = prefer_decision(["code=503"])

    assert decision is not None
    assert (decision.action, decision.fault) == (FaultAction(status=503), PREFER_FAULT)


def test_prefer_delay_and_code_combine():
    decision = prefer_decision(["code=429, delay=250"])

    assert decision is not None
    assert (decision.action.status, decision.delay_seconds) == (429, 0.25)


def test_prefer_without_a_usable_preference_is_ignored():
    assert prefer_decision(["code=200"]) is None
    assert prefer_decision(["return=minimal"]) is None
    assert prefer_decision(["code=abc; delay=-5"]) is None


def test_a_prefer_delay_is_capped_at_a_minute():
    decision = prefer_decision(["delay=99999999"])

    assert decision is not None
    assert decision.delay_seconds == 60
