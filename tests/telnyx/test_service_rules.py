"""Telnyx's stateless rules: pagination, tool limits, merging, canary rule checks."""

from __future__ import annotations

import pytest
from telnyx.types.ai.inference_embedding import InferenceEmbedding

from assistant_fake.vendors.telnyx.rules import (
    ASSISTANT_FIELDS,
    BadRequest,
    NotFound,
    check_single_instance_tools,
    deep_merge,
    normalize_canary_rules,
    numeric_id,
    paginate,
    parse_datetime,
)


def hangup() -> dict:
    return {"type": "hangup", "hangup": {"description": "Hang up."}}


def webhook(name: str) -> dict:
    return {"type": "webhook", "webhook": {"name": name, "description": "d",
                                           "url": "https://example.com"}}


def test_assistant_fields_are_exactly_the_sdk_assistant_model_fields():
    assert set(InferenceEmbedding.model_fields) == ASSISTANT_FIELDS


def test_not_found_is_404_with_telnyx_code_10005():
    error = NotFound("gone")
    assert (error.status, error.code, error.detail) == (404, "10005", "gone")


def test_bad_request_is_400_with_telnyx_code_10015():
    error = BadRequest("no")
    assert (error.status, error.code, error.detail) == (400, "10015", "no")


def test_single_instance_rule_refuses_a_second_hangup_tool():
    with pytest.raises(BadRequest, match="hangup"):
        check_single_instance_tools([hangup(), hangup()])


@pytest.mark.parametrize("kind", ["function", "webhook", "client_side_tool"])
def test_single_instance_rule_allows_repeated_multi_instance_types(kind):
    check_single_instance_tools([{"type": kind}, {"type": kind}])


def test_single_instance_rule_allows_one_of_each_type():
    check_single_instance_tools([hangup(), {"type": "transfer"}, webhook("a"), webhook("b")])


def test_paginate_returns_the_requested_page_and_meta():
    items, meta = paginate(list(range(45)), 2, 20)
    assert items == list(range(20, 40))
    assert meta == {"page_number": 2, "page_size": 20, "total_pages": 3, "total_results": 45}


def test_paginate_an_empty_list_reports_zero_pages():
    assert paginate([], 1, 20) == ([], {"page_number": 1, "page_size": 20,
                                        "total_pages": 0, "total_results": 0})


def test_paginate_past_the_last_page_is_empty_but_keeps_totals():
    items, meta = paginate([1, 2, 3], 5, 2)
    assert items == []
    assert meta["total_pages"] == 2 and meta["total_results"] == 3


def test_paginate_refuses_page_number_zero():
    with pytest.raises(BadRequest):
        paginate([1], 0, 20)


def test_deep_merge_merges_objects_and_replaces_lists():
    base = {"telephony_settings": {"default_texml_app_id": "1", "time_limit_secs": 60},
            "tools": [hangup()]}
    merged = deep_merge(base, {"telephony_settings": {"time_limit_secs": 90}, "tools": []})
    assert merged == {"telephony_settings": {"default_texml_app_id": "1", "time_limit_secs": 90},
                      "tools": []}


def test_deep_merge_null_removes_the_key():
    assert deep_merge({"greeting": "hi", "name": "a"}, {"greeting": None}) == {"name": "a"}


def test_numeric_id_is_a_19_digit_string_derived_from_the_uuid():
    value = numeric_id("6f9619ff-8b86-4011-b42d-00c04fc964ff")
    assert value.isdigit() and len(value) == 19
    assert value == numeric_id("6f9619ff-8b86-4011-b42d-00c04fc964ff")


def test_parse_datetime_accepts_z_and_refuses_garbage():
    assert parse_datetime("2026-11-21T10:00:00Z", "x").isoformat() == "2026-11-21T10:00:00+00:00"
    with pytest.raises(BadRequest):
        parse_datetime("tomorrow", "x")


def test_canary_rules_default_match_to_catch_all():
    rules = normalize_canary_rules([{"serve": {"version_id": "v1"}}], ["v1"])
    assert rules == [{"serve": {"version_id": "v1"}, "match": []}]


def test_canary_rule_must_serve_exactly_one_of_version_or_rollout():
    with pytest.raises(BadRequest, match="exactly one"):
        normalize_canary_rules([{"serve": {}}], ["v1"])
    with pytest.raises(BadRequest, match="exactly one"):
        normalize_canary_rules([{"serve": {"version_id": "v1",
                                           "rollout": [{"version_id": "v1", "weight": 10}]}}],
                               ["v1"])


def test_canary_rule_refuses_unknown_version():
    with pytest.raises(BadRequest, match="unknown version"):
        normalize_canary_rules([{"serve": {"version_id": "nope"}}], ["v1"])


@pytest.mark.parametrize("weights", [[60, 40], [0, 10], [-5, 10], [100]])
def test_canary_rollout_weights_must_be_positive_and_sum_below_100(weights):
    slots = [{"version_id": f"v{i}", "weight": w} for i, w in enumerate(weights)]
    with pytest.raises(BadRequest, match="weights"):
        normalize_canary_rules([{"serve": {"rollout": slots}}], [s["version_id"] for s in slots])


def test_canary_rollout_may_not_name_a_version_twice():
    slots = [{"version_id": "v1", "weight": 10}, {"version_id": "v1", "weight": 10}]
    with pytest.raises(BadRequest, match="more than once"):
        normalize_canary_rules([{"serve": {"rollout": slots}}], ["v1"])
