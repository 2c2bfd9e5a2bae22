"""AchieveApex query strings nest the way qs.parse nests them for Feathers (Koa and Express)."""

from __future__ import annotations

import pytest

from assistant_fake.vendors.achieveapex.query_parsing import (
    ARRAY_LIMIT,
    PARAMETER_LIMIT,
    parse_query_string,
)


def test_plain_pairs_become_string_values():
    assert parse_query_string([("assistant_type", "voice"), ("$limit", "5")]) == {
        "assistant_type": "voice", "$limit": "5"}


def test_bracket_keys_nest_objects():
    assert parse_query_string([("id[$ne]", "123")]) == {"id": {"$ne": "123"}}


def test_empty_bracket_pairs_collect_into_a_list_in_order():
    pairs = [("name[$in][]", "b"), ("name[$in][]", "a")]
    assert parse_query_string(pairs) == {"name": {"$in": ["b", "a"]}}


def test_indexed_pairs_become_a_list_in_index_order():
    pairs = [("name[$in][1]", "second"), ("name[$in][0]", "first")]
    assert parse_query_string(pairs) == {"name": {"$in": ["first", "second"]}}


def test_sparse_indices_are_compacted_like_qs():
    pairs = [("name[$in][7]", "c"), ("name[$in][2]", "a"), ("name[$in][5]", "b")]
    assert parse_query_string(pairs) == {"name": {"$in": ["a", "b", "c"]}}


def test_index_at_the_array_limit_still_makes_a_list():
    assert parse_query_string([(f"a[{ARRAY_LIMIT}]", "x")]) == {"a": ["x"]}


def test_index_above_the_array_limit_becomes_an_object_key():
    pairs = [(f"a[{ARRAY_LIMIT + 1}]", "x"), ("a[0]", "y")]
    assert parse_query_string(pairs) == {"a": {str(ARRAY_LIMIT + 1): "x", "0": "y"}}


def test_non_canonical_indices_are_object_keys():
    pairs = [("a[01]", "x"), ("a[-1]", "y"), ("a[ 2]", "z")]
    assert parse_query_string(pairs) == {"a": {"01": "x", "-1": "y", " 2": "z"}}


def test_sort_keys_keep_their_order():
    parsed = parse_query_string([("$sort[name]", "1"), ("$sort[created_at]", "-1")])
    assert list(parsed["$sort"].items()) == [("name", "1"), ("created_at", "-1")]


def test_repeated_plain_keys_become_a_list():
    pairs = [("assistant_type", "voice"), ("assistant_type", "ai-chat")]
    assert parse_query_string(pairs) == {"assistant_type": ["voice", "ai-chat"]}


def test_repeated_indexed_key_nests_a_list_like_qs():
    assert parse_query_string([("a[0]", "x"), ("a[0]", "y")]) == {"a": [["x", "y"]]}


def test_indexed_sub_queries_make_a_list_of_objects():
    pairs = [("$or[0][name]", "a"), ("$or[1][assistant_type]", "voice")]
    assert parse_query_string(pairs) == {"$or": [{"name": "a"}, {"assistant_type": "voice"}]}


def test_indices_mixed_with_names_make_an_object():
    assert parse_query_string([("a[0]", "x"), ("a[b]", "y")]) == {"a": {"0": "x", "b": "y"}}


def test_a_plain_value_followed_by_a_nested_key_makes_a_list_like_qs():
    assert parse_query_string([("a", "x"), ("a[b]", "y")]) == {"a": ["x", {"b": "y"}]}


def test_a_nested_key_followed_by_a_plain_value_marks_it_true_like_qs():
    assert parse_query_string([("a[b]", "y"), ("a", "x")]) == {"a": {"b": "y", "x": True}}


@pytest.mark.parametrize(("key", "expected"), [
    ("a[b", {"a[b": "1"}),
    ("a]b", {"a]b": "1"}),
    ("[b]", {"b": "1"}),
    ("a[b]c", {"a": {"b": "1"}}),
    ("a[[b]]", {"a[": {"b": "1"}}),
    ("]", {"]": "1"}),
    ("[", {"[": "1"}),
])
def test_malformed_brackets_never_crash(key, expected):
    assert parse_query_string([(key, "1")]) == expected


def test_keys_deeper_than_five_levels_keep_the_rest_as_one_key():
    parsed = parse_query_string([("a[b][c][d][e][f][g][h]", "1")])
    assert parsed == {"a": {"b": {"c": {"d": {"e": {"f": {"[g][h]": "1"}}}}}}}


def test_keys_naming_object_prototype_members_are_dropped_like_qs():
    pairs = [("constructor", "1"), ("a[__proto__]", "2"), ("toString[x]", "3"), ("ok", "4")]
    assert parse_query_string(pairs) == {"ok": "4"}


def test_empty_key_is_ignored():
    assert parse_query_string([("", "x"), ("a", "")]) == {"a": ""}


def test_pairs_after_the_parameter_limit_are_ignored():
    pairs = [(f"k{index}", "v") for index in range(PARAMETER_LIMIT + 5)]
    assert len(parse_query_string(pairs)) == PARAMETER_LIMIT
