"""Generated queries against a deliberately plain reference of Feathers' find.

Queries are drawn as data, rendered as qs query strings (both array forms) or passed as typed JSON,
and the engine's answer must equal the reference's on random records with nulls and timestamps
written in several UTC offsets (so comparing them as strings would give other answers).
"""

from __future__ import annotations

import operator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant_fake.vendors.achieveapex.query import parse_query, parse_query_string, run_query

FIELDS = {"id": "integer", "name": "string", "score": "number|null", "active": "boolean",
          "created_at": "date-time", "deleted_at": "date-time|null"}
OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
INSTANTS = [datetime(2026, 4, 25, 19, tzinfo=UTC) + timedelta(minutes=37 * step)
            for step in range(-4, 5)]
VALUES = {
    "id": st.integers(1, 12),
    "name": st.text(alphabet="abAB", max_size=3),
    "score": st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([-1.5, 0.5, 2.25])),
    "active": st.booleans(),
    "created_at": st.sampled_from(INSTANTS),
    "deleted_at": st.one_of(st.none(), st.sampled_from(INSTANTS)),
}
FILTERABLE = sorted(VALUES)
LONG_RUN = settings(max_examples=150, deadline=None)
SHORT_RUN = settings(max_examples=60, deadline=None)


# --- records --------------------------------------------------------------------------------

def timestamp(instant: datetime, offset: timezone, millis: bool) -> str:
    text = instant.astimezone(offset).isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z")


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for index in range(draw(st.integers(0, 12))):
        row = {field: draw(VALUES[field]) for field in FILTERABLE if field != "id"}
        for field in ("created_at", "deleted_at"):  # stored as ISO strings in mixed offsets
            if row[field] is not None:
                row[field] = timestamp(row[field], draw(st.sampled_from(OFFSETS)),
                                       draw(st.booleans()))
        rows.append({"id": index + 1, **row})
    return rows


# --- queries as data ------------------------------------------------------------------------

@st.composite
def field_filter(draw: st.DrawFn) -> tuple[str, Any]:
    """(field, ("eq", value)) or (field, {operator: value, ...})."""
    field = draw(st.sampled_from(FILTERABLE))
    values = VALUES[field]
    if draw(st.booleans()):
        return field, ("eq", draw(values))
    ops = draw(st.sets(st.sampled_from(["$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin"]),
                       min_size=1, max_size=3))
    return field, {op: draw(st.lists(values, min_size=1, max_size=3))
                   if op in ("$in", "$nin") else draw(values) for op in sorted(ops)}


def conjunction(min_size: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.lists(field_filter(), min_size=min_size, max_size=3).map(dict)


@st.composite
def queries(draw: st.DrawFn) -> dict[str, Any]:
    query: dict[str, Any] = {"where": draw(conjunction(0)), "junctions": []}
    for op in draw(st.lists(st.sampled_from(["$or", "$and"]), max_size=2, unique=True)):
        query["junctions"].append((op, draw(st.lists(conjunction(1), min_size=1, max_size=3))))
    query["sort"] = draw(st.lists(st.tuples(st.sampled_from(FILTERABLE), st.sampled_from([1, -1])),
                                  max_size=3, unique_by=lambda pair: pair[0]))
    query["limit"] = draw(st.none() | st.integers(0, 60))
    query["skip"] = draw(st.none() | st.integers(0, 14))
    query["select"] = draw(st.none() | st.lists(st.sampled_from(FILTERABLE), min_size=1,
                                                max_size=3, unique=True))
    return query


# --- rendering ------------------------------------------------------------------------------

def text(value: Any, offset: timezone) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timestamp(value, offset, millis=True)
    return str(value)


def render_list(key: str, items: list[Any], indexed: bool, offset: timezone) -> list[tuple]:
    """Both qs array forms; indexed pairs go out in reverse (qs orders them by index)."""
    if not indexed:
        return [(f"{key}[]", text(item, offset)) for item in items]
    return [(f"{key}[{index}]", text(item, offset)) for index, item in reversed(
        list(enumerate(items)))]


def render_where(prefix: str, where: dict[str, Any], indexed: bool, offset: timezone) -> list:
    pairs: list[tuple[str, str]] = []
    for field, condition in where.items():
        key = f"{prefix}[{field}]" if prefix else field
        if isinstance(condition, tuple):
            pairs.append((key, text(condition[1], offset)))
            continue
        for op, value in condition.items():
            if isinstance(value, list):
                pairs += render_list(f"{key}[{op}]", value, indexed, offset)
            else:
                pairs.append((f"{key}[{op}]", text(value, offset)))
    return pairs


def render(query: dict[str, Any], indexed: bool, offset: timezone) -> list[tuple[str, str]]:
    pairs = render_where("", query["where"], indexed, offset)
    for op, branches in query["junctions"]:
        for index, branch in enumerate(branches):
            pairs += render_where(f"{op}[{index}]", branch, indexed, offset)
    pairs += [(f"$sort[{field}]", str(direction)) for field, direction in query["sort"]]
    pairs += [(key, str(query[name])) for key, name in (("$limit", "limit"), ("$skip", "skip"))
              if query[name] is not None]
    if query["select"]:
        pairs += render_list("$select", query["select"], indexed, offset)
    return pairs


def as_json(query: dict[str, Any]) -> dict[str, Any]:
    """The same query as a typed JSON body would carry it."""
    def where(conditions: dict[str, Any]) -> dict[str, Any]:
        return {field: condition[1] if isinstance(condition, tuple) else condition
                for field, condition in conditions.items()}
    body = where(query["where"])
    body.update({op: [where(branch) for branch in branches]
                 for op, branches in query["junctions"]})
    if query["sort"]:
        body["$sort"] = dict(query["sort"])
    body.update({key: query[name] for key, name in (("$limit", "limit"), ("$skip", "skip"),
                                                     ("$select", "select")) if query[name]
                 is not None})
    return body


# --- the reference --------------------------------------------------------------------------

COMPARE = {"$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge}


def typed(record: dict[str, Any], field: str) -> Any:
    value = record[field]
    return datetime.fromisoformat(value) if field.endswith("_at") and value else value


def holds(record: dict[str, Any], field: str, op: str, expected: Any) -> bool:
    actual = typed(record, field)
    if op == "eq":
        return actual == expected
    if op == "$ne":
        return actual != expected
    if op in ("$in", "$nin"):
        return (actual in expected) == (op == "$in")
    return actual is not None and expected is not None and COMPARE[op](actual, expected)


def matches(record: dict[str, Any], where: dict[str, Any]) -> bool:
    return all(holds(record, field, *condition) if isinstance(condition, tuple) else
               all(holds(record, field, op, value) for op, value in condition.items())
               for field, condition in where.items())


def reference(rows: list[dict[str, Any]], query: dict[str, Any]) -> dict[str, Any]:
    found = [row for row in rows if matches(row, query["where"]) and all(
        (any if op == "$or" else all)(matches(row, branch) for branch in branches)
        for op, branches in query["junctions"])]
    for field, direction in reversed(query["sort"]):
        found.sort(key=lambda row, f=field: (typed(row, f) is not None, typed(row, f)),
                   reverse=direction == -1)
    limit = min(50, 10 if query["limit"] is None else query["limit"])
    skip = query["skip"] or 0
    page = found[skip:skip + limit]
    if query["select"]:
        keep = {*query["select"], "id"}
        page = [{key: value for key, value in row.items() if key in keep} for row in page]
    return {"total": len(found), "limit": limit, "skip": skip, "data": page}


def run_string(rows: list[dict[str, Any]], pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return run_query(rows, parse_query(parse_query_string(pairs), field_types=FIELDS))


# --- properties -----------------------------------------------------------------------------

@LONG_RUN
@given(records(), queries(), st.booleans(), st.sampled_from(OFFSETS))
def test_query_strings_in_either_array_form_answer_like_the_reference(rows, query, indexed,
                                                                       offset):
    assert run_string(rows, render(query, indexed, offset)) == reference(rows, query)


@SHORT_RUN
@given(records(), queries())
def test_typed_json_queries_answer_like_the_reference(rows, query):
    result = run_query(rows, parse_query(as_json(query), field_types=FIELDS))
    assert result == reference(rows, query)


@SHORT_RUN
@given(records(), queries(), st.integers(0, 60), st.integers(0, 14))
def test_total_does_not_depend_on_limit_or_skip(rows, query, limit, skip):
    base = render({**query, "limit": None, "skip": None}, False, UTC)
    totals = {run_string(rows, base + extra)["total"]
              for extra in ([], [("$limit", str(limit))], [("$skip", str(skip))])}
    assert len(totals) == 1


@SHORT_RUN
@given(records(), queries(), st.integers(1, 5))
def test_pages_concatenate_to_the_whole_sorted_result(rows, query, size):
    base = render({**query, "limit": None, "skip": None}, True, UTC)
    whole = run_string(rows, [*base, ("$limit", "50")])
    pages = [run_string(rows, [*base, ("$limit", str(size)), ("$skip", str(skip))])["data"]
             for skip in range(0, whole["total"] + size, size)]
    assert [row for page in pages for row in page] == whole["data"]
    assert all(len(page) <= size for page in pages)


@SHORT_RUN
@given(records(), queries())
def test_limit_zero_keeps_the_total_and_answers_no_data(rows, query):
    base = render({**query, "limit": None}, False, UTC)
    full, empty = run_string(rows, base), run_string(rows, [*base, ("$limit", "0")])
    assert (empty["total"], empty["limit"], empty["data"]) == (full["total"], 0, [])
