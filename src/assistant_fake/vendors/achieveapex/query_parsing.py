"""Turning a Feathers query's raw input into Python values: ``qs`` nesting and type coercion.

Feathers' Koa and Express transports hand the query string to ``qs.parse``; the nesting rules
below follow qs 6.11-6.13 (the versions Feathers v5 apps resolve), quirks included, so that a
client sees the same structure here as on the real service. Query strings carry only strings
while JSON bodies carry typed values, so both are coerced to the field's declared type.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

ARRAY_LIMIT = 100
"""Highest index ``a[i]`` that still makes an array (qs's own default is 20; the brief fixes
100). Higher indices become object keys, which the query layer then refuses."""

DEPTH = 5
"""Bracket groups qs nests; the rest of a deeper key stays one literal key (qs default)."""

PARAMETER_LIMIT = 1000
"""qs ignores every pair after this many (qs default)."""

# qs (without allowPrototypes, as koa-qs calls it) drops any key naming an Object.prototype member.
_PROTOTYPE_NAMES = frozenset({
    "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "toString", "valueOf",
})
_GROUP = re.compile(r"\[[^\[\]]*\]")
_INDEX = re.compile(r"0|[1-9][0-9]*")
_HOLE: Any = object()  # an unset slot of a JavaScript sparse array; compacted away at the end


class QueryError(ValueError):
    """A query Feathers refuses with 400 BadRequest; ``message`` is the text to answer with."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path  # where in the query, in bracket form (``created_at[$lte]``)


# --- qs -----------------------------------------------------------------------------------

def parse_query_string(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Nest decoded ``(key, value)`` pairs the way ``qs.parse`` does; values stay strings."""
    combined: dict[str, Any] = {}
    for key, value in pairs[:PARAMETER_LIMIT]:
        # qs first joins repeated identical keys into one list, then nests each key once
        combined[key] = _concat(combined[key], value) if key in combined else value
    result: Any = {}
    for key, value in combined.items():
        chain = _split_key(key)
        if chain:
            result = _merge(result, _build(chain, value))
    return _compact(result)


def _concat(*parts: Any) -> list[Any]:
    """JavaScript's ``[].concat(...parts)``: lists are spliced in, anything else appended."""
    return [item for part in parts for item in (part if isinstance(part, list) else [part])]


def _split_key(key: str) -> list[str] | None:
    """``a[b][c]`` → ``["a", "[b]", "[c]"]``; None for keys qs drops."""
    if not key:
        return None
    groups = list(islice(_GROUP.finditer(key), DEPTH + 1))
    parent = key[: groups[0].start()] if groups else key  # a key with no group stays literal
    chain = [parent] if parent else []
    chain += [group.group() for group in groups[:DEPTH]]
    names = [parent] + [segment[1:-1] for segment in chain[bool(parent):]]
    if any(name in _PROTOTYPE_NAMES for name in names):
        return None
    if len(groups) > DEPTH:  # deeper than DEPTH: the rest is one key, brackets and all
        chain.append(f"[{key[groups[DEPTH].start():]}]")
    return chain


def _build(chain: list[str], leaf: Any) -> Any:
    """The object one key makes, built from its innermost segment outwards."""
    for segment in reversed(chain):
        if segment == "[]":
            leaf = _concat(leaf)
            continue
        bracketed = segment.startswith("[") and segment.endswith("]")
        name = segment[1:-1] if bracketed else segment
        if bracketed and _INDEX.fullmatch(name) and int(name) <= ARRAY_LIMIT:
            leaf = [_HOLE] * int(name) + [leaf]
        else:
            leaf = {} if name == "__proto__" else {name: leaf}
    return leaf


def _merge(target: Any, source: Any) -> Any:
    """qs's ``utils.merge``: how the objects of several keys combine into one."""
    if source is None or source == "":  # JavaScript's ``!source``
        return target
    if not isinstance(source, dict | list):
        if isinstance(target, list):
            target.append(source)
        elif isinstance(target, dict):
            if source not in _PROTOTYPE_NAMES:
                target[source] = True
        else:
            return [target, source]
        return target
    if not isinstance(target, dict | list):
        return [target, *source] if isinstance(source, list) else [target, source]
    if isinstance(target, list) and isinstance(source, list):
        for index, item in _entries(source):
            _merge_slot(target, int(index), item)
        return target
    merged = dict(_entries(target)) if isinstance(target, list) else target
    for key, value in _entries(source):
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def _merge_slot(target: list[Any], index: int, item: Any) -> None:
    current = target[index] if index < len(target) else _HOLE
    if current is _HOLE:
        target.extend([_HOLE] * (index + 1 - len(target)))
        target[index] = item
    elif isinstance(current, dict | list) and isinstance(item, dict | list):
        target[index] = _merge(current, item)
    else:  # qs appends rather than overwrite a taken slot
        target.append(item)


def _entries(value: dict[str, Any] | list[Any]) -> list[tuple[str, Any]]:
    """``Object.keys`` order; an array's holes are not keys."""
    if isinstance(value, dict):
        return list(value.items())
    return [(str(index), item) for index, item in enumerate(value) if item is not _HOLE]


def _compact(value: Any) -> Any:
    if isinstance(value, list):
        return [_compact(item) for item in value if item is not _HOLE]
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    return value


# --- Field types and coercion --------------------------------------------------------------

_BASES = ("integer", "number", "boolean", "string", "date-time", "object", "array")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_RFC3339 = re.compile(
    r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)")
_INVALID: Any = object()


@dataclass(frozen=True)
class FieldType:
    """A field's JSON type as the service declares it: ``"integer"``, ``"date-time|null"``."""

    base: str
    nullable: bool = False

    @classmethod
    def parse(cls, spec: str) -> FieldType:
        parts = {part.strip() for part in spec.split("|")}
        bases = parts - {"null"}
        if len(bases) != 1 or not bases <= set(_BASES):
            raise ValueError(f"unsupported field type {spec!r}")  # a bug in the caller
        return cls(bases.pop(), "null" in parts)

    @property
    def filterable(self) -> bool:
        return self.base not in ("object", "array")

    def describe(self) -> str:
        text = {"integer": "an integer", "number": "a number", "date-time":
                "an RFC 3339 date-time", "boolean": "true or false"}.get(self.base, "a string")
        return f"{text} or null" if self.nullable else text


def coerce(value: Any, field_type: FieldType, path: str) -> Any:
    """``value`` as ``field_type``; ``"null"`` is null only where null is allowed."""
    if value is None or (value == "null" and field_type.nullable):
        if field_type.nullable:
            return None
        raise QueryError(f"{path} must be {field_type.describe()}", path)
    result = _COERCERS[field_type.base](value)
    if result is _INVALID:
        raise QueryError(f"{path} must be {field_type.describe()}", path)
    return result


def parse_instant(value: Any) -> datetime | None:
    """An aware datetime for an ISO-8601 value (naive ones are UTC), else None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.upper())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return _INVALID
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _INVALID
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        return _INVALID  # stricter than JavaScript's Number(): no hex, blanks or Infinity
    number = float(value)
    if not math.isfinite(number):
        return _INVALID
    return int(value) if value.lstrip("+-").isdigit() else number


def _to_integer(value: Any) -> Any:
    number = _to_number(value)
    if number is _INVALID or number != int(number):
        return _INVALID
    return int(number)


def _to_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return _INVALID


def _to_string(value: Any) -> Any:
    # Ajv's coerceTypes turns JSON scalars into strings the way JavaScript's String() does
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and math.isfinite(value):
        return str(int(value)) if value == int(value) else repr(value)
    return value if isinstance(value, str) else _INVALID


def _to_instant(value: Any) -> Any:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        return _INVALID  # Feathers' schemas check format "date-time": RFC 3339 with an offset
    instant = parse_instant(value)
    return _INVALID if instant is None else instant


_COERCERS = {
    "integer": _to_integer, "number": _to_number, "boolean": _to_boolean, "string": _to_string,
    "date-time": _to_instant, "object": lambda value: _INVALID, "array": lambda value: _INVALID,
}
