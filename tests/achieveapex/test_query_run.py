"""run_query and filters_on: the memory adapter's matching, sorter, paging and select."""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.vendors.achieveapex.query import (
    filters_on,
    parse_query,
    parse_query_string,
    run_query,
)

FIELDS = {
    "id": "integer", "name": "string", "rank": "number|null", "on": "boolean",
    "created_at": "date-time", "deleted_at": "date-time|null", "tags": "array",
}


def rows(**columns: list[Any]) -> list[dict[str, Any]]:
    """Records with ids 1..n from columns of equal length."""
    size = len(next(iter(columns.values())))
    return [{"id": index + 1, **{name: values[index] for name, values in columns.items()}}
            for index in range(size)]


def run(records: list[dict[str, Any]], pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return run_query(records, parse_query(parse_query_string(pairs), field_types=FIELDS))


def ids(result: dict[str, Any]) -> list[int]:
    return [record["id"] for record in result["data"]]


# --- paging ---------------------------------------------------------------------------------

def test_answer_is_the_feathers_page_envelope():
    result = run(rows(name=["a", "b", "c"]), [("$limit", "2"), ("$skip", "1")])
    assert result == {"total": 3, "limit": 2, "skip": 1,
                      "data": [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}]}


def test_total_counts_every_match_while_data_is_one_page():
    result = run(rows(name=["a"] * 30), [])
    assert (result["total"], result["limit"], len(result["data"])) == (30, 10, 10)


def test_capped_limit_is_the_limit_reported():
    result = run(rows(name=["a"] * 60), [("$limit", "100")])
    assert (result["limit"], len(result["data"])) == (50, 50)


def test_limit_zero_answers_only_the_total():
    assert run(rows(name=["a", "b"]), [("$limit", "0")]) == {
        "total": 2, "limit": 0, "skip": 0, "data": []}


def test_skip_past_the_end_gives_no_data_but_the_total():
    result = run(rows(name=["a", "b"]), [("$skip", "5")])
    assert (result["total"], result["data"]) == (2, [])


def test_records_come_back_as_copies():
    records = rows(name=["a"])
    run(records, [])["data"][0]["name"] = "changed"
    assert records[0]["name"] == "a"


# --- matching -------------------------------------------------------------------------------

@pytest.mark.parametrize(("pairs", "expected"), [
    ([("rank", "2")], [2]),
    ([("rank[$ne]", "2")], [1, 3, 4]),
    ([("rank[$lt]", "2")], [1]),
    ([("rank[$lte]", "2")], [1, 2]),
    ([("rank[$gt]", "1")], [2, 3]),
    ([("rank[$gte]", "2.5")], [3]),
    ([("rank[$in][]", "1"), ("rank[$in][]", "3.5")], [1, 3]),
    ([("rank[$nin][0]", "1"), ("rank[$nin][1]", "3.5")], [2, 4]),
    ([("rank", "null")], [4]),
    ([("rank[$ne]", "null")], [1, 2, 3]),
    ([("rank[$in][]", "null")], [4]),
])
def test_each_operator_matches_like_sift(pairs, expected):
    assert ids(run(rows(rank=[1, 2, 3.5, None]), pairs)) == expected


@pytest.mark.parametrize("operator", ["$lt", "$lte", "$gt", "$gte"])
def test_ordering_operators_never_match_null(operator):
    records = rows(rank=[None, 1])
    assert ids(run(records, [(f"rank[{operator}]", "null")])) == []
    assert None not in [record["rank"] for record in run(records, [(f"rank[{operator}]", "1")])
                        ["data"]]


def test_equality_is_type_strict_like_javascript():
    records = rows(rank=[1, True, "1", 1.0])
    assert ids(run(records, [("rank", "1")])) == [1, 4]


def test_timestamps_are_compared_as_instants_not_as_strings():
    records = rows(created_at=["2026-04-25T20:00:00+02:00", "2026-04-25T18:30:00.000Z",
                               "2026-04-25T19:00:00Z"])
    pairs = [("created_at[$lte]", "2026-04-25T19:00:00.000Z"), ("$sort[created_at]", "1")]
    assert ids(run(records, pairs)) == [1, 2, 3]
    assert ids(run(records, [("created_at", "2026-04-25T21:00:00+02:00")])) == [3]


def test_unparsable_stored_timestamp_matches_no_ordering_and_sorts_before_instants():
    records = rows(created_at=["2026-04-25T19:00:00Z", "garbage"])
    assert ids(run(records, [("created_at[$gte]", "2000-01-01T00:00:00Z")])) == [1]
    assert ids(run(records, [("$sort[created_at]", "1")])) == [2, 1]


def test_boolean_fields_match_coerced_strings():
    assert ids(run(rows(on=[True, False, True]), [("on", "true")])) == [1, 3]


def test_strings_compare_by_utf16_code_units_like_javascript():
    records = rows(name=["\U0001f600", "\uff5e"])  # code points say 2 < 1, UTF-16 says 1 < 2
    assert ids(run(records, [("name[$lt]", "\uff5e")])) == [1]
    assert ids(run(records, [("$sort[name]", "1")])) == [1, 2]


def test_missing_field_counts_as_null():
    records = [{"id": 1}, {"id": 2, "deleted_at": "2026-01-01T00:00:00Z"}]
    assert ids(run(records, [("deleted_at", "null")])) == [1]


def test_or_matches_when_any_branch_matches():
    records = rows(name=["a", "b", "c"], rank=[1, 2, 3])
    assert ids(run(records, [("$or[0][name]", "a"), ("$or[1][rank][$gt]", "2")])) == [1, 3]


def test_and_matches_when_every_branch_matches():
    records = rows(name=["a", "a", "c"], rank=[1, 2, 3])
    assert ids(run(records, [("$and[0][name]", "a"), ("$and[1][rank]", "2")])) == [2]


def test_empty_or_matches_nothing_and_empty_and_everything():
    records = rows(name=["a", "b"])
    assert run_query(records, parse_query({"$or": []}, field_types=FIELDS))["total"] == 0
    assert run_query(records, parse_query({"$and": []}, field_types=FIELDS))["total"] == 2


def test_empty_in_matches_nothing_and_empty_nin_everything():
    records = rows(name=["a", "b"])
    assert run_query(records, parse_query({"name": {"$in": []}}, field_types=FIELDS))[
        "total"] == 0
    assert run_query(records, parse_query({"name": {"$nin": []}}, field_types=FIELDS))[
        "total"] == 2


# --- sorting --------------------------------------------------------------------------------

def test_without_sort_the_given_order_is_kept():
    assert ids(run(rows(name=["c", "a", "b"]), [])) == [1, 2, 3]


def test_null_sorts_first_ascending_and_last_descending():
    records = rows(rank=[2, None, 1])
    assert ids(run(records, [("$sort[rank]", "1")])) == [2, 3, 1]
    assert ids(run(records, [("$sort[rank]", "-1")])) == [1, 3, 2]


@pytest.mark.parametrize("direction", ["1", "-1"])
def test_sort_is_stable_for_ties_in_both_directions(direction):
    assert ids(run(rows(name=["x", "x", "x"]), [("$sort[name]", direction)])) == [1, 2, 3]


def test_several_sort_keys_apply_in_order():
    records = rows(name=["b", "a", "b", "a"], rank=[1, 1, 2, 2])
    pairs = [("$sort[name]", "1"), ("$sort[rank]", "-1")]
    assert ids(run(records, pairs)) == [4, 2, 3, 1]


def test_sort_zero_leaves_the_order_to_the_other_keys():
    records = rows(name=["b", "a"], rank=[1, 2])
    assert ids(run(records, [("$sort[name]", "0"), ("$sort[rank]", "-1")])) == [2, 1]


def test_mixed_types_sort_in_feathers_type_order_without_crashing():
    records = rows(rank=[{"b": 1}, [1], True, "x", 2, None, [0, 5], {"a": 0}])
    assert ids(run(records, [("$sort[rank]", "1")])) == [6, 5, 4, 3, 7, 2, 8, 1]


def test_array_fields_sort_element_by_element_then_by_length():
    records = rows(tags=[["b"], ["a", "z"], ["a"], []])
    assert ids(run(records, [("$sort[tags]", "1")])) == [4, 3, 2, 1]


# --- select ---------------------------------------------------------------------------------

def test_select_keeps_the_listed_fields_and_always_id():
    result = run(rows(name=["a"], rank=[1], on=[True]), [("$select[]", "name")])
    assert result["data"] == [{"name": "a", "id": 1}]


def test_select_keeps_null_values_and_omits_missing_fields():
    records = [{"id": 1, "rank": None}]
    result = run(records, [("$select[]", "rank"), ("$select[]", "name")])
    assert result["data"] == [{"rank": None, "id": 1}]


def test_select_applies_after_filtering_and_sorting_on_other_fields():
    records = rows(name=["b", "a", "c"], rank=[1, 2, 3])
    pairs = [("$select[]", "rank"), ("name[$ne]", "c"), ("$sort[name]", "1")]
    assert run(records, pairs)["data"] == [{"rank": 2, "id": 2}, {"rank": 1, "id": 1}]


# --- filters_on -----------------------------------------------------------------------------

@pytest.mark.parametrize("pairs", [
    [("deleted_at", "null")],
    [("deleted_at[$ne]", "null")],
    [("$or[0][name]", "a"), ("$or[1][deleted_at][$gt]", "2026-01-01T00:00:00Z")],
    [("$and[0][$or][0][deleted_at]", "null")],
])
def test_filters_on_sees_conditions_anywhere(pairs):
    assert filters_on(parse_query(parse_query_string(pairs), field_types=FIELDS), "deleted_at")


@pytest.mark.parametrize("pairs", [
    [],
    [("$sort[deleted_at]", "1"), ("$select[]", "deleted_at"), ("name", "a")],
    [("$or[0][name]", "a")],
])
def test_filters_on_ignores_sort_select_and_other_fields(pairs):
    query = parse_query(parse_query_string(pairs), field_types=FIELDS)
    assert not filters_on(query, "deleted_at")
