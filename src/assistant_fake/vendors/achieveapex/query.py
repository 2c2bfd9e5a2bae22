"""The Feathers v5 query engine for AchieveApex's list endpoints.

``parse_query`` does what ``@feathersjs/adapter-commons``' ``filterQuery`` and a v5 query schema
do together: split ``$limit``/``$skip``/``$sort``/``$select`` off, refuse unknown operators with
Feathers' messages, and type every value. ``run_query`` then does what the memory adapter does:
sift-like matching, the adapter-commons ``sorter``, paging and ``select``. Plain Python on plain
dicts; the HTTP layer turns ``QueryError`` into a 400 BadRequest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant_fake.store.copying import copy_json

from .query_parsing import FieldType, QueryError, coerce, parse_instant, parse_query_string

__all__ = [
    "FeathersQuery", "QueryError", "filters_on", "parse_query", "parse_query_string", "run_query",
]

OPERATORS = ("$ne", "$in", "$nin", "$lt", "$lte", "$gt", "$gte")
_PAGING = ("$limit", "$skip", "$sort", "$select")
FILTERS = (*_PAGING, "$or", "$and")
_ORDERINGS = {
    "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b,
    "$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b,
}
_ORDERED_KINDS = ("number", "string", "boolean", "date-time")


@dataclass(frozen=True)
class Condition:
    """One test on one field; ``op`` is ``"$eq"`` for plain equality, else one of OPERATORS."""

    field: str
    op: str
    value: Any  # coerced to the field's type; a tuple of such for $in and $nin


@dataclass(frozen=True)
class Junction:
    """``$or`` (some branch holds) or ``$and`` (every branch holds) over conjunctions."""

    op: str
    branches: tuple[tuple[Condition | Junction, ...], ...]


@dataclass(frozen=True)
class FeathersQuery:
    """A validated query: ``where`` is a conjunction, ``sort`` is (field, 1 | -1) in order."""

    where: tuple[Condition | Junction, ...] = ()
    sort: tuple[tuple[str, int], ...] = ()
    select: tuple[str, ...] | None = None
    limit: int = 10
    skip: int = 0
    types: Mapping[str, FieldType] = field(default_factory=dict, repr=False, compare=False)


# --- parse_query ----------------------------------------------------------------------------

def parse_query(query: Mapping[str, Any], *, field_types: Mapping[str, str],
                default_limit: int = 10, max_limit: int = 50) -> FeathersQuery:
    """Validate and type a query (from ``parse_query_string`` or a JSON body)."""
    types = {name: FieldType.parse(spec) for name, spec in field_types.items()}
    if not isinstance(query, Mapping):
        raise QueryError("The query must be an object", "")
    for key in query:
        if key.startswith("$") and key not in FILTERS:
            raise QueryError(f"Invalid filter value {key}", key)  # adapter-commons' getQuery
    limit = _count(query, "$limit", default_limit)
    rest = {key: value for key, value in query.items() if key not in _PAGING}
    return FeathersQuery(
        where=_where(rest, types, "", nested=False),
        sort=_sort(query.get("$sort", {}), types),
        select=_select(query["$select"], types) if "$select" in query else None,
        limit=min(limit, max_limit),  # Feathers caps at paginate.max without complaint
        skip=_count(query, "$skip", 0),
        types=types,
    )


def _count(query: Mapping[str, Any], key: str, default: int) -> int:
    if key not in query:
        return default
    try:
        number = coerce(query[key], FieldType("integer"), key)
    except QueryError:
        number = -1
    if number < 0:  # the v5 query schema says {type: number, minimum: 0}
        raise QueryError(f"{key} must be a non-negative integer", key)
    return number


def _sort(value: Any, types: Mapping[str, FieldType]) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, Mapping):
        raise QueryError("$sort must be an object: $sort[field]=1 or -1", "$sort")
    order = []
    for name, direction in value.items():
        path = f"$sort[{name}]"
        _known(name, types, path)
        # the v5 schema allows integers -1..1; 0 compares everything equal (memory adapter)
        if direction not in (1, -1, 0, "1", "-1", "0") or isinstance(direction, bool):
            raise QueryError(f"{path} must be 1 (ascending) or -1 (descending)", path)
        if int(direction):
            order.append((name, int(direction)))
    return tuple(order)


def _select(value: Any, types: Mapping[str, FieldType]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise QueryError("$select must be an array of field names: $select[]=name", "$select")
    for index, name in enumerate(value):
        _known(name, types, f"$select[{index}]")
    return tuple(value)


def _known(name: Any, types: Mapping[str, FieldType], path: str) -> FieldType:
    if not isinstance(name, str) or name not in types:
        raise QueryError(f"Invalid query parameter {path}", path)
    return types[name]


def _where(query: Mapping[str, Any], types: Mapping[str, FieldType], prefix: str, *,
           nested: bool) -> tuple[Condition | Junction, ...]:
    clauses: list[Condition | Junction] = []
    for key, value in query.items():
        path = f"{prefix}[{key}]" if prefix else key
        if key == "$or" or (key == "$and" and not nested):
            clauses.append(_junction(key, value, types, path))
        elif key.startswith("$"):  # adapter-commons allows only OPERATORS (with $or) in $or/$and
            raise QueryError(f"Invalid query parameter {key}", path)
        else:
            clauses += _field(key, value, types, path)
    return tuple(clauses)


def _junction(op: str, value: Any, types: Mapping[str, FieldType], path: str) -> Junction:
    if not isinstance(value, list | tuple):
        raise QueryError(f"{op} must be an array of queries: {op}[0][field]=value", path)
    branches = []
    for index, branch in enumerate(value):
        if not isinstance(branch, Mapping):
            raise QueryError(f"{path}[{index}] must be a query object", f"{path}[{index}]")
        branches.append(_where(branch, types, f"{path}[{index}]", nested=True))
    return Junction(op, tuple(branches))


def _field(name: str, value: Any, types: Mapping[str, FieldType], path: str) -> list[Condition]:
    operators = value if isinstance(value, Mapping) else {}
    for key in operators:  # first, so an unknown operator gets Feathers' own message
        if isinstance(key, str) and key.startswith("$") and key not in OPERATORS:
            raise QueryError(f"Invalid query parameter {key}", f"{path}[{key}]")
    field_type = _known(name, types, path)
    if not field_type.filterable:
        raise QueryError(f"{path} cannot be filtered on", path)
    if not isinstance(value, Mapping):
        return [_condition(name, "$eq", value, field_type, path)]
    if any(not str(key).startswith("$") for key in value):
        raise QueryError(f"{path} must be {field_type.describe()} or an object of operators", path)
    return [_condition(name, op, operand, field_type, f"{path}[{op}]")
            for op, operand in value.items()]


def _condition(name: str, op: str, value: Any, field_type: FieldType, path: str) -> Condition:
    if op not in ("$in", "$nin"):
        return Condition(name, op, coerce(value, field_type, path))
    if not isinstance(value, list | tuple):  # also what an index above ARRAY_LIMIT leads to
        raise QueryError(f"{path} must be an array: {path}[]=a&{path}[]=b", path)
    items = tuple(coerce(item, field_type, f"{path}[{i}]") for i, item in enumerate(value))
    return Condition(name, op, items)


# --- run_query ------------------------------------------------------------------------------

def run_query(records: Iterable[Mapping[str, Any]], query: FeathersQuery) -> dict[str, Any]:
    """Feathers' paginated find: filter, total, sort (stable), skip, limit, then ``$select``.

    ``records`` may be the store's own documents: they are only read, and the page answered
    is a deep copy.
    """
    matched = [record for record in records if _all(record, query.where, query.types)]
    for name, direction in reversed(query.sort):  # least significant key first; sorts are stable
        matched.sort(key=lambda record, name=name: _sort_key(_value(record, name, query.types)),
                     reverse=direction < 0)
    page = matched[query.skip:query.skip + query.limit]
    if query.select is not None:
        picked = [*query.select, *(() if "id" in query.select else ("id",))]
        page = [{key: copy_json(record[key]) for key in picked if key in record}
                for record in page]
    else:
        page = [copy_json(dict(record)) for record in page]
    return {"total": len(matched), "limit": query.limit, "skip": query.skip, "data": page}


def filters_on(query: FeathersQuery, field: str) -> bool:
    """Whether any condition, also inside ``$or``/``$and``, tests ``field``."""
    return _mentions(query.where, field)


def _mentions(clauses: Sequence[Condition | Junction], name: str) -> bool:
    return any(clause.field == name if isinstance(clause, Condition)
               else any(_mentions(branch, name) for branch in clause.branches)
               for clause in clauses)


def _all(record: Mapping[str, Any], clauses: Sequence[Condition | Junction],
         types: Mapping[str, FieldType]) -> bool:
    return all(_holds(record, clause, types) for clause in clauses)


def _holds(record: Mapping[str, Any], clause: Condition | Junction,
           types: Mapping[str, FieldType]) -> bool:
    if isinstance(clause, Junction):
        # like sift: an empty $or matches nothing, an empty $and everything
        test = any if clause.op == "$or" else all
        return test(_all(record, branch, types) for branch in clause.branches)
    actual, op, expected = _value(record, clause.field, types), clause.op, clause.value
    if op in ("$eq", "$ne"):
        return _equal(actual, expected) == (op == "$eq")
    if op in ("$in", "$nin"):
        return any(_equal(actual, item) for item in expected) == (op == "$in")
    kind = _kind(actual)
    # sift compares only values of one type; null is below or above nothing (as in SQL)
    if kind != _kind(expected) or kind not in _ORDERED_KINDS:
        return False
    if kind == "string":
        actual, expected = _utf16(actual), _utf16(expected)
    return bool(_ORDERINGS[op](actual, expected))


def _value(record: Mapping[str, Any], name: str, types: Mapping[str, FieldType]) -> Any:
    """The record's value, timestamps as instants; a missing field counts as null."""
    value, field_type = record.get(name), types.get(name)
    if field_type is not None and field_type.base == "date-time" and value is not None:
        return parse_instant(value) or value  # an unparsable one stays a string
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime):
        return "date-time"
    return type(value).__name__


def _equal(actual: Any, expected: Any) -> bool:
    return _kind(actual) == _kind(expected) and actual == expected  # JavaScript's ===


def _utf16(text: str) -> bytes:
    """JavaScript orders strings by UTF-16 code units, not by code points."""
    return text.encode("utf-16-be", "surrogatepass")


def _sort_key(value: Any) -> tuple[Any, ...]:
    """adapter-commons' ``compare`` as a key: null < numbers < strings < booleans < dates <
    arrays < objects, arrays element by element, objects by values in sorted-key order."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (3, value)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, _utf16(value))
    if isinstance(value, datetime):
        return (4, parse_instant(value))
    if isinstance(value, list | tuple):
        return (5, tuple(_sort_key(item) for item in value))
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda key: _utf16(str(key)))
        return (6, tuple(_sort_key(value[key]) for key in keys))
    return (7, repr(value))  # nothing JSON has; still ordered, never a TypeError
