"""Feathers queries over HTTP, on every list endpoint of AchieveApex.

Every list answers the page envelope ``{total, limit, skip, data}`` with ``$limit`` 10 by
default and at most 50 (larger values are capped silently), ``$limit=0`` for the total alone,
``$skip``, ``$sort``, the JSON-body query of the old docs, and Feathers' 400 for what it refuses.
The operators are checked in both ``qs`` array forms on ``/ai-assistants``, and a Hypothesis
property compares that list with a plain-Python reference on random records and queries.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SLOT_DAY = "2031-03-03"


# --- every list -----------------------------------------------------------------------------

def _assistants(apex) -> list[dict[str, Any]]:
    return [apex.create_assistant(name=f"Bot {n:02d}") for n in range(12)]


def _history(apex) -> list[dict[str, Any]]:
    assistant = apex.create_assistant()
    for n in range(11):
        apex.patch_assistant(assistant["id"], name=f"Bot {n:02d}")
    return apex.history(assistant["id"])["data"]


def _skills(apex) -> list[dict[str, Any]]:
    assistant = apex.create_assistant()
    return [apex.create_skill(assistant["id"], name=f"Skill {n:02d}") for n in range(12)]


def _tools(apex) -> list[dict[str, Any]]:
    return [apex.create_api_tool(name=f"Tool {n:02d}") for n in range(12)]


def _reservations(apex) -> list[dict[str, Any]]:
    return [apex.create_reservation(f"2031-01-{day:02d}T10:00:00Z", f"2031-01-{day:02d}T10:30:00Z")
            for day in range(1, 13)]


def _organizations(apex) -> list[dict[str, Any]]:
    return apex.ok("GET", "/organizations", params={"$limit": "50"})["data"]


def _services(apex) -> list[dict[str, Any]]:
    return apex.ok("GET", "/reservation-services", params={"$limit": "50"})["data"]


def _slots(apex) -> list[dict[str, Any]]:
    return apex.ok("GET", "/reservation-available-slots",
                   params=[*_slot_params(apex), ("$limit", "50")])["data"]


def _slot_params(apex) -> list[tuple[str, str]]:
    return [("service_id", str(apex.service_id())), ("date", SLOT_DAY),
            ("organization_id", str(apex.organization_id))]


# path -> (make the records, in the list's default order; a field to filter and sort on)
LISTS: dict[str, tuple[Callable[[Any], list[dict[str, Any]]], str]] = {
    "/ai-assistants": (_assistants, "id"),
    "/ai-assistants-change-history": (_history, "id"),
    "/ai-assistant-skills": (_skills, "id"),
    "/api-tools": (_tools, "id"),
    "/reservations": (_reservations, "id"),
    "/organizations": (_organizations, "id"),
    "/reservation-services": (_services, "id"),
    "/reservation-available-slots": (_slots, "start_time"),
}


class Listing:
    """One list endpoint with records in it, for the test's organisation."""

    def __init__(self, apex, path: str) -> None:
        make, self.field = LISTS[path]
        self.apex, self.path = apex, path
        self.records = make(apex)
        self.base = _slot_params(apex) if path == "/reservation-available-slots" else []

    def get(self, *pairs: tuple[str, str], **kwargs: Any) -> Any:
        return self.apex.request("GET", self.path, params=[*self.base, *pairs], **kwargs)

    def page(self, *pairs: tuple[str, str], **kwargs: Any) -> dict[str, Any]:
        response = self.get(*pairs, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(params=sorted(LISTS))
def listing(request, apex) -> Listing:
    return Listing(apex, request.param)


def test_a_list_answers_the_feathers_envelope_with_ten_records_by_default(listing):
    assert listing.page() == {"total": len(listing.records), "limit": 10, "skip": 0,
                              "data": listing.records[:10]}


def test_a_limit_above_fifty_is_capped_silently(listing):
    assert listing.page(("$limit", "1000")) == {"total": len(listing.records), "limit": 50,
                                                "skip": 0, "data": listing.records[:50]}


def test_the_cap_cuts_a_longer_list_at_fifty(apex):
    created = [apex.create_assistant(name=f"Bot {n:02d}") for n in range(53)]
    assert apex.ok("GET", "/ai-assistants", params={"$limit": "51"}) == {
        "total": 53, "limit": 50, "skip": 0, "data": created[:50]}


def test_limit_zero_answers_only_the_total(listing):
    assert listing.page(("$limit", "0")) == {"total": len(listing.records), "limit": 0,
                                             "skip": 0, "data": []}


def test_skip_and_limit_page_through_the_records(listing):
    assert listing.page(("$skip", "1"), ("$limit", "3")) == {
        "total": len(listing.records), "limit": 3, "skip": 1, "data": listing.records[1:4]}


def test_skip_past_the_end_answers_no_data(listing):
    page = listing.page(("$skip", "500"))
    assert (page["total"], page["skip"], page["data"]) == (len(listing.records), 500, [])


def test_sort_descending_reverses_the_order(listing):
    page = listing.page((f"$sort[{listing.field}]", "-1"), ("$limit", "50"))
    key = operator.itemgetter(listing.field)
    assert page["data"] == sorted(listing.records, key=key, reverse=True)


def test_not_equal_leaves_the_record_out(listing):
    first = listing.records[0][listing.field]
    page = listing.page((f"{listing.field}[$ne]", str(first)), ("$limit", "50"))
    assert page["data"] == [r for r in listing.records if r[listing.field] != first]


def test_the_json_body_query_of_the_old_docs_is_honoured(listing):
    page = listing.page(json={"query": {"$limit": 2, "$skip": 1}})
    assert page == {"total": len(listing.records), "limit": 2, "skip": 1,
                    "data": listing.records[1:3]}


def test_an_unknown_operator_answers_feathers_400(listing, feathers):
    response = listing.get((f"{listing.field}[$regex]", "x"))
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "Invalid query parameter $regex", f"/{listing.field}/$regex"))


def test_an_unknown_filter_answers_feathers_400(listing, feathers):
    response = listing.get(("$populate", "owner"))
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "Invalid filter value $populate", "/$populate"))


def test_a_negative_limit_answers_the_ajv_400(listing, feathers, ajv_error):
    response = listing.get(("$limit", "-1"))
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/$limit", "#/properties/%24limit/minimum", "minimum",
                  {"comparison": ">=", "limit": 0}, "must be >= 0")))


def test_a_limit_that_is_not_a_number_answers_the_ajv_400(listing, feathers, ajv_error):
    response = listing.get(("$limit", "ten"))
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/$limit", "#/properties/%24limit/type", "type",
                  {"type": "integer"}, "must be integer")))


# --- /ai-assistants: every operator, both qs forms ------------------------------------------

@pytest.fixture
def bots(apex) -> list[dict[str, Any]]:
    """Five assistants: names a..e, models 1..5, two voice ones, one in Guided Mode."""
    kinds = ["conversation", "voice", "ai-chat", "voice", "support-ticket"]
    return [apex.create_assistant(name=name, ai_model_id=model, assistant_type=kind,
                                  is_easy_mode=name == "c")
            for name, model, kind in zip("abcde", range(1, 6), kinds, strict=True)]


def names(apex, *pairs: tuple[str, str], **kwargs: Any) -> list[str]:
    return [a["name"] for a in apex.ok("GET", "/ai-assistants", params=list(pairs),
                                       **kwargs)["data"]]


@pytest.mark.parametrize(("pairs", "expected"), [
    ([("name", "c")], ["c"]),
    ([("assistant_type", "voice")], ["b", "d"]),
    ([("ai_model_id", "4")], ["d"]),
    ([("is_easy_mode", "true")], ["c"]),
    ([("is_easy_mode", "false"), ("assistant_type", "voice")], ["b", "d"]),
])
def test_equality_filters(apex, bots, pairs, expected):
    assert names(apex, *pairs) == expected


@pytest.mark.parametrize(("pairs", "expected"), [
    ([("name[$ne]", "c")], ["a", "b", "d", "e"]),
    ([("ai_model_id[$lt]", "3")], ["a", "b"]),
    ([("ai_model_id[$lte]", "3")], ["a", "b", "c"]),
    ([("ai_model_id[$gt]", "3")], ["d", "e"]),
    ([("ai_model_id[$gte]", "3")], ["c", "d", "e"]),
    ([("ai_model_id[$gt]", "1"), ("ai_model_id[$lt]", "5")], ["b", "c", "d"]),
    ([("name[$gte]", "d")], ["d", "e"]),
])
def test_comparison_operators(apex, bots, pairs, expected):
    assert names(apex, *pairs) == expected


@pytest.mark.parametrize("form", ["brackets", "indexed"])
@pytest.mark.parametrize(("op", "expected"), [("$in", ["b", "e"]), ("$nin", ["a", "c", "d"])])
def test_in_and_nin_in_both_qs_array_forms(apex, bots, form, op, expected):
    if form == "brackets":
        pairs = [(f"name[{op}][]", "b"), (f"name[{op}][]", "e")]
    else:  # sent out of order: qs orders indexed items by their index
        pairs = [(f"name[{op}][1]", "e"), (f"name[{op}][0]", "b")]
    assert names(apex, *pairs) == expected


def test_in_on_a_declared_enum_field(apex, bots):
    pairs = [("assistant_type[$in][]", "ai-chat"), ("assistant_type[$in][]", "support-ticket")]
    assert names(apex, *pairs) == ["c", "e"]


def test_in_with_a_single_value_is_a_one_item_list(apex, bots):
    assert names(apex, ("ai_model_id[$in][0]", "2")) == ["b"]


def test_in_without_a_list_answers_400(apex, bots, feathers):
    response = apex.get("/ai-assistants", params={"name[$in]": "b"})
    message = "name[$in] must be an array: name[$in][]=a&name[$in][]=b"
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        message, "/name/$in"))


def test_timestamps_compare_as_instants_whatever_their_offset(apex, clock):
    start = clock.now()
    for hour, name in enumerate("abc"):
        clock.freeze(start + timedelta(hours=hour))
        apex.create_assistant(name=name)
    # 20:00Z, the creation of b, written at UTC-04:00
    assert names(apex, ("created_at[$lte]", "2026-04-25T16:00:00.000-04:00")) == ["a", "b"]
    assert names(apex, ("created_at[$gt]", "2026-04-25T21:00:00+02:00")) == ["b", "c"]


def test_sort_on_several_keys(apex, bots):
    pairs = [("$sort[assistant_type]", "1"), ("$sort[ai_model_id]", "-1")]
    assert names(apex, *pairs) == ["c", "a", "e", "d", "b"]


def test_sort_on_a_field_no_record_has_keeps_the_order(apex, bots):
    assert names(apex, ("$sort[specific_openai_secret_key]", "-1")) == list("abcde")


def test_sort_of_zero_is_refused_by_the_spec(apex, bots, feathers, ajv_error):
    response = apex.get("/ai-assistants", params={"$sort[name]": "0"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/$sort/name", "#/properties/%24sort/additionalProperties/enum",
                  "enum", {"allowedValues": [1, -1]}, "must be equal to one of the allowed "
                  "values")))


def test_sort_on_an_unknown_field_answers_400(apex, bots, feathers):
    response = apex.get("/ai-assistants", params={"$sort[colour]": "1"})
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "Invalid query parameter $sort[colour]", "/$sort/colour"))


def test_select_answers_the_fields_asked_for_and_the_id(apex, bots):
    page = apex.ok("GET", "/ai-assistants", params=[("$select[]", "name"), ("name", "a")])
    assert page["data"] == [{"name": "a", "id": bots[0]["id"]}]


def test_or_matches_either_branch(apex, bots):
    assert names(apex, ("$or[0][name]", "a"), ("$or[1][ai_model_id][$gte]", "5")) == ["a", "e"]


def test_filtering_an_unknown_field_answers_400(apex, bots, feathers):
    response = apex.get("/ai-assistants", params={"colour": "blue"})
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "Invalid query parameter colour", "/colour"))


def test_filtering_an_object_field_answers_400(apex, bots, feathers):
    response = apex.get("/ai-assistants", params={"advanced_options": "x"})
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "advanced_options cannot be filtered on", "/advanced_options"))


def test_an_operand_of_the_wrong_type_answers_400(apex, bots, feathers):
    response = apex.get("/ai-assistants", params={"ai_model_id[$gt]": "many"})
    assert (response.status_code, response.json()) == (400, feathers.query_error(
        "ai_model_id[$gt] must be an integer", "/ai_model_id/$gt"))


def test_a_declared_filter_of_the_wrong_type_answers_the_ajv_400(apex, feathers, ajv_error):
    response = apex.get("/ai-assistants", params={"assistant_type": "robot",
                                                  "ai_model_id": "x"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/assistant_type", "#/properties/assistant_type/enum", "enum",
                  {"allowedValues": ["conversation", "support-ticket", "ai-chat", "voice"]},
                  "must be equal to one of the allowed values"),
        ajv_error("query", "/ai_model_id", "#/properties/ai_model_id/type", "type",
                  {"type": "integer"}, "must be integer")))


def test_the_json_body_query_takes_typed_values_and_operators(apex, bots):
    query = {"ai_model_id": {"$in": [1, 3, 5]}, "is_easy_mode": False, "$sort": {"name": -1}}
    assert names(apex, json={"query": query}) == ["e", "a"]


def test_the_query_string_wins_over_the_json_body(apex, bots):
    assert names(apex, ("name", "b"), json={"query": {"name": "a"}}) == ["b"]


def test_a_json_body_query_that_is_not_an_object_is_ignored(apex, bots):
    assert names(apex, json={"query": 5}) == list("abcde")


# --- the property ---------------------------------------------------------------------------

FIELD_VALUES = {
    "name": st.text(alphabet="abAB", min_size=1, max_size=2),
    "assistant_type": st.sampled_from(["conversation", "voice", "ai-chat"]),
    "ai_model_id": st.integers(1, 4),
    "is_easy_mode": st.booleans(),
    "timezone": st.none() | st.sampled_from(["UTC", "Europe/Madrid"]),
}
FILTERABLE = sorted(FIELD_VALUES)
SORTABLE = [*FILTERABLE, "id", "created_at"]
COMPARE = {"$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge}


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Bodies to create; ``timezone`` None means not sent (a missing field counts as null)."""
    rows = []
    for _ in range(draw(st.integers(0, 7))):
        row = {field: draw(values) for field, values in FIELD_VALUES.items()}
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


@st.composite
def queries(draw: st.DrawFn) -> dict[str, Any]:
    where = {}
    for field in draw(st.lists(st.sampled_from(FILTERABLE), max_size=3, unique=True)):
        values = FIELD_VALUES[field].filter(lambda value: value is not None)
        if draw(st.booleans()):
            where[field] = ("eq", draw(values))
            continue
        ops = draw(st.sets(st.sampled_from(["$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin"]),
                           min_size=1, max_size=2))
        where[field] = {op: draw(st.lists(values, min_size=1, max_size=3))
                        if op in ("$in", "$nin") else draw(values) for op in sorted(ops)}
    return {
        "where": where,
        "sort": draw(st.lists(st.tuples(st.sampled_from(SORTABLE), st.sampled_from([1, -1])),
                              max_size=3, unique_by=lambda pair: pair[0])),
        "limit": draw(st.none() | st.integers(0, 60)),
        "skip": draw(st.none() | st.integers(0, 8)),
        "indexed": draw(st.booleans()),
    }


def text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def render(query: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for field, condition in query["where"].items():
        if isinstance(condition, tuple):
            pairs.append((field, text(condition[1])))
            continue
        for op, operand in condition.items():
            if not isinstance(operand, list):
                pairs.append((f"{field}[{op}]", text(operand)))
            elif query["indexed"]:
                pairs += [(f"{field}[{op}][{i}]", text(item)) for i, item in enumerate(operand)]
            else:
                pairs += [(f"{field}[{op}][]", text(item)) for item in operand]
    pairs += [(f"$sort[{field}]", str(direction)) for field, direction in query["sort"]]
    pairs += [(f"${name}", str(query[name])) for name in ("limit", "skip")
              if query[name] is not None]
    return pairs


def holds(actual: Any, op: str, expected: Any) -> bool:
    if op == "eq":
        return actual == expected
    if op == "$ne":
        return actual != expected
    if op in ("$in", "$nin"):
        return (actual in expected) == (op == "$in")
    return actual is not None and COMPARE[op](actual, expected)


def reference(rows: list[dict[str, Any]], query: dict[str, Any]) -> dict[str, Any]:
    found = [row for row in rows if all(
        holds(row.get(field), *condition) if isinstance(condition, tuple) else
        all(holds(row.get(field), op, value) for op, value in condition.items())
        for field, condition in query["where"].items())]
    for field, direction in reversed(query["sort"]):
        found.sort(key=lambda row, f=field: (row.get(f) is not None, row.get(f)),
                   reverse=direction == -1)
    limit = min(50, 10 if query["limit"] is None else query["limit"])
    skip = query["skip"] or 0
    return {"total": len(found), "limit": limit, "skip": skip, "data": found[skip:skip + limit]}


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows=records(), batch=st.lists(queries(), min_size=1, max_size=4))
def test_the_assistants_list_answers_like_a_plain_python_reference(apex_as, rows, batch):
    apex = apex_as()
    created = [apex.create_assistant(**row) for row in rows]
    for query in batch:
        answer = apex.ok("GET", "/ai-assistants", params=render(query))
        assert answer == reference(created, query), render(query)
