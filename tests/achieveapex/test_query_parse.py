"""parse_query: Feathers' filterQuery plus a v5 query schema, as one validating step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from assistant_fake.vendors.achieveapex.query import (
    Condition,
    Junction,
    QueryError,
    parse_query,
    parse_query_string,
)

FIELDS = {
    "id": "integer", "name": "string", "assistant_type": "string", "is_easy_mode": "boolean",
    "ai_model_id": "integer", "acting_user_id": "integer|null", "score": "number",
    "instructions": "string|null", "created_at": "date-time", "deleted_at": "date-time|null",
    "easy_mode_config": "object|null",
}


def parse(pairs: list[tuple[str, str]]):
    return parse_query(parse_query_string(pairs), field_types=FIELDS)


def refusal(pairs: list[tuple[str, str]]) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(pairs)
    return caught.value


# --- $limit and $skip -----------------------------------------------------------------------

def test_limit_defaults_to_ten_and_skip_to_zero():
    query = parse([])
    assert (query.limit, query.skip) == (10, 0)


def test_limit_default_and_maximum_can_be_changed():
    assert parse_query({}, field_types=FIELDS, default_limit=3).limit == 3
    assert parse_query({"$limit": "9"}, field_types=FIELDS, max_limit=5).limit == 5


def test_limit_above_fifty_is_capped_silently():
    assert parse([("$limit", "500")]).limit == 50


def test_limit_zero_is_allowed():
    assert parse([("$limit", "0")]).limit == 0


@pytest.mark.parametrize("key", ["$limit", "$skip"])
@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "", "0x10", " 3"])
def test_negative_or_non_integer_limit_and_skip_are_refused(key, value):
    error = refusal([(key, value)])
    assert error.message == f"{key} must be a non-negative integer"
    assert error.path == key


@pytest.mark.parametrize("value", [True, [1, 2], {"a": 1}, -3, 2.5])
def test_typed_limit_must_be_a_non_negative_integer(value):
    with pytest.raises(QueryError, match=r"\$limit must be a non-negative integer"):
        parse_query({"$limit": value}, field_types=FIELDS)


def test_typed_integral_limit_and_skip_are_accepted():
    query = parse_query({"$limit": 5.0, "$skip": 7}, field_types=FIELDS)
    assert (query.limit, query.skip) == (5, 7)


# --- $sort and $select ----------------------------------------------------------------------

def test_sort_keeps_several_keys_in_order():
    query = parse([("$sort[name]", "1"), ("$sort[created_at]", "-1"), ("$sort[id]", "1")])
    assert query.sort == (("name", 1), ("created_at", -1), ("id", 1))


def test_sort_accepts_typed_directions():
    query = parse_query({"$sort": {"name": -1, "id": 1.0}}, field_types=FIELDS)
    assert query.sort == (("name", -1), ("id", 1))


def test_sort_zero_is_accepted_and_orders_nothing():
    assert parse([("$sort[name]", "0"), ("$sort[id]", "-1")]).sort == (("id", -1),)


@pytest.mark.parametrize("direction", ["asc", "desc", "2", "-2", "", "true"])
def test_sort_refuses_anything_but_one_or_minus_one(direction):
    error = refusal([("$sort[name]", direction)])
    assert error.message == "$sort[name] must be 1 (ascending) or -1 (descending)"


def test_sort_refuses_a_boolean_direction():
    with pytest.raises(QueryError):
        parse_query({"$sort": {"name": True}}, field_types=FIELDS)


def test_sort_on_an_unknown_field_is_refused():
    assert refusal([("$sort[nope]", "1")]).message == "Invalid query parameter $sort[nope]"


def test_sort_that_is_not_an_object_is_refused():
    assert refusal([("$sort", "name")]).path == "$sort"


def test_select_lists_fields_in_both_qs_array_forms():
    assert parse([("$select[]", "name"), ("$select[]", "id")]).select == ("name", "id")
    assert parse([("$select[1]", "id"), ("$select[0]", "name")]).select == ("name", "id")


def test_select_as_a_single_string_is_refused():
    assert refusal([("$select", "name")]).path == "$select"


def test_select_of_an_unknown_field_is_refused():
    error = refusal([("$select[]", "name"), ("$select[]", "secret")])
    assert error.message == "Invalid query parameter $select[1]"


def test_no_select_means_every_field():
    assert parse([]).select is None


# --- operators ------------------------------------------------------------------------------

@pytest.mark.parametrize("operator", ["$regex", "$foo", "$like", "$exists", "$eq", "$and"])
def test_unknown_operator_is_refused_with_feathers_message(operator):
    error = refusal([(f"name[{operator}]", "x")])
    assert error.message == f"Invalid query parameter {operator}"
    assert error.path == f"name[{operator}]"


def test_unknown_top_level_dollar_key_is_refused_with_feathers_filter_message():
    assert refusal([("$foo", "1")]).message == "Invalid filter value $foo"


def test_unknown_operator_wins_over_an_unknown_field():
    assert refusal([("nope[$regex]", "x")]).message == "Invalid query parameter $regex"


def test_filtering_on_an_unknown_field_is_refused():
    error = refusal([("secret", "x")])
    assert (error.message, error.path) == ("Invalid query parameter secret", "secret")


def test_filtering_on_an_object_field_is_refused():
    assert refusal([("easy_mode_config", "null")]).path == "easy_mode_config"


@pytest.mark.parametrize("operator", ["$ne", "$lt", "$lte", "$gt", "$gte"])
def test_every_scalar_operator_is_accepted(operator):
    assert parse([(f"ai_model_id[{operator}]", "7")]).where == (
        Condition("ai_model_id", operator, 7),)


def test_in_operator_accepts_qs_indexed_arrays():
    query = parse([("ai_model_id[$in][0]", "1"), ("ai_model_id[$in][1]", "2")])
    assert query.where == (Condition("ai_model_id", "$in", (1, 2)),)


def test_nin_operator_accepts_qs_bracket_arrays():
    query = parse([("name[$nin][]", "a"), ("name[$nin][]", "b")])
    assert query.where == (Condition("name", "$nin", ("a", "b")),)


def test_in_operator_refuses_a_single_value():
    assert refusal([("name[$in]", "a")]).message.startswith("name[$in] must be an array")


def test_in_operator_refuses_an_index_above_the_array_limit():
    assert refusal([("name[$in][500]", "a")]).path == "name[$in]"


def test_several_operators_on_one_field_all_apply():
    query = parse([("ai_model_id[$gt]", "1"), ("ai_model_id[$lt]", "9")])
    assert query.where == (Condition("ai_model_id", "$gt", 1), Condition("ai_model_id", "$lt", 9))


def test_operator_object_mixed_with_plain_keys_is_refused():
    assert refusal([("name[$ne]", "a"), ("name[b]", "c")]).path == "name"


def test_repeated_equality_is_refused_rather_than_read_as_in():
    assert refusal([("assistant_type", "voice"), ("assistant_type", "ai-chat")]).path == (
        "assistant_type")


# --- $or and $and ---------------------------------------------------------------------------

def test_or_takes_indexed_sub_queries():
    query = parse([("$or[0][name]", "a"), ("$or[1][ai_model_id][$gte]", "3")])
    assert query.where == (Junction("$or", ((Condition("name", "$eq", "a"),),
                                            (Condition("ai_model_id", "$gte", 3),))),)


def test_and_takes_sub_queries_and_may_hold_an_or():
    query = parse([("$and[0][$or][0][name]", "a"), ("$and[1][id]", "1")])
    inner = Junction("$or", ((Condition("name", "$eq", "a"),),))
    assert query.where == (Junction("$and", ((inner,), (Condition("id", "$eq", 1),))),)


def test_or_inside_or_is_accepted_like_adapter_commons():
    assert parse([("$or[0][$or][0][name]", "a")]).where


def test_and_inside_a_sub_query_is_refused_like_adapter_commons():
    error = refusal([("$or[0][$and][0][name]", "a")])
    assert (error.message, error.path) == ("Invalid query parameter $and", "$or[0][$and]")


def test_paging_keys_inside_a_sub_query_are_refused():
    assert refusal([("$or[0][$limit]", "1")]).message == "Invalid query parameter $limit"


def test_or_must_be_an_array():
    assert refusal([("$or[name]", "a")]).path == "$or"


def test_or_items_must_be_objects():
    assert refusal([("$or[]", "a")]).path == "$or[0]"


def test_value_errors_inside_sub_queries_name_the_full_path():
    assert refusal([("$or[0][id][$in][]", "x")]).path == "$or[0][id][$in][0]"


# --- coercion -------------------------------------------------------------------------------

def test_integer_strings_become_integers():
    assert parse([("id", "12")]).where == (Condition("id", "$eq", 12),)


def test_number_strings_become_numbers():
    assert parse([("score[$gt]", "2.5"), ("score[$lt]", "1e1")]).where == (
        Condition("score", "$gt", 2.5), Condition("score", "$lt", 10.0))


def test_boolean_strings_become_booleans():
    assert parse([("is_easy_mode", "false")]).where == (Condition("is_easy_mode", "$eq", False),)


def test_null_string_is_null_for_a_nullable_field():
    assert parse([("deleted_at", "null"), ("instructions[$ne]", "null")]).where == (
        Condition("deleted_at", "$eq", None), Condition("instructions", "$ne", None))


def test_null_string_stays_a_string_for_a_non_nullable_string_field():
    assert parse([("name", "null")]).where == (Condition("name", "$eq", "null"),)


def test_date_times_become_instants():
    (condition,) = parse([("created_at[$lte]", "2026-04-25T21:00:00.000+02:00")]).where
    assert condition.value == datetime(2026, 4, 25, 19, tzinfo=UTC)
    assert condition.value.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(("field", "value"), [
    ("id", "abc"), ("id", "1.5"), ("id", "null"), ("id", "true"), ("score", "NaN"),
    ("score", "Infinity"), ("is_easy_mode", "1"), ("is_easy_mode", "yes"),
    ("created_at", "2026-04-25"), ("created_at", "2026-04-25T19:00:00"),
    ("created_at", "yesterday"), ("created_at", "null"), ("acting_user_id", ""),
])
def test_values_that_cannot_be_coerced_are_refused(field, value):
    error = refusal([(field, value)])
    assert error.path == field
    assert error.message.startswith(f"{field} must be ")


def test_typed_json_values_are_accepted_as_they_are():
    instant = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))
    query = parse_query({"id": 3, "is_easy_mode": True, "acting_user_id": None,
                         "created_at": {"$gt": instant}, "name": {"$in": ["a"]}},
                        field_types=FIELDS)
    assert query.where == (
        Condition("id", "$eq", 3), Condition("is_easy_mode", "$eq", True),
        Condition("acting_user_id", "$eq", None), Condition("created_at", "$gt", instant),
        Condition("name", "$in", ("a",)))


def test_a_json_boolean_is_not_an_integer():
    with pytest.raises(QueryError, match=r"^id must be an integer$"):
        parse_query({"id": True}, field_types=FIELDS)


def test_json_numbers_on_a_string_field_become_strings_like_ajv_coercion():
    query = parse_query({"name": {"$in": [7, 2.5, False]}}, field_types=FIELDS)
    assert query.where == (Condition("name", "$in", ("7", "2.5", "false")),)


def test_an_unsupported_field_type_is_a_programming_error_not_a_query_error():
    with pytest.raises(ValueError, match="unsupported field type") as caught:
        parse_query({}, field_types={"id": "uuid"})
    assert not isinstance(caught.value, QueryError)


def test_a_query_that_is_not_an_object_is_refused():
    with pytest.raises(QueryError, match="must be an object"):
        parse_query(["$limit", "5"], field_types=FIELDS)  # type: ignore[arg-type]
