"""What AJV's generated code gets from JavaScript and from its runtime helpers, in Python.

``Number()`` and ``String(number)``, fast-deep-equal, ``for ... in`` key order and ``RegExp`` with
the ``u`` flag; the "full" formats of ajv-formats; and ``coerceTypes: true``, which AJV applies
where a schema's ``type`` does not match, before the other keywords look at the value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

__all__ = [
    "COERCIBLE", "FORMATS", "TYPES", "coerce", "js_equal", "js_keys", "js_number_string",
    "js_regex", "schema_types",
]

TYPES = Draft202012Validator.TYPE_CHECKER
COERCIBLE = frozenset({"string", "number", "integer", "boolean", "null"})


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    types = schema.get("type", [])
    return [types] if isinstance(types, str) else list(types)


# --- JavaScript semantics -------------------------------------------------------------------

_JS_SPACE = ("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
             + "".join(map(chr, range(0x2000, 0x200B))))
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_RADIX = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")


def js_number_string(value: float) -> str:
    """JavaScript's ``String(number)``, as AJV puts limits into its messages."""
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    number = float(value)
    if number == 0:
        return "0"
    if number != number or abs(number) == float("inf"):
        return "NaN" if number != number else ("Infinity" if number > 0 else "-Infinity")
    _, digit_tuple, exponent = Decimal(repr(abs(number))).normalize().as_tuple()
    digits, point = "".join(map(str, digit_tuple)), len(digit_tuple) + int(exponent)
    sign = "-" if number < 0 else ""
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"


def _js_number(text: str) -> int | float | None:
    """JavaScript's ``Number(text)``, None for NaN. Infinity counts as NaN here (a choice: no
    parameter of the spec can hold it, and Python's JSON could not carry it on)."""
    text = text.strip(_JS_SPACE)
    if not text:
        return 0
    if _RADIX.fullmatch(text):
        return int(text, 0)
    if not _DECIMAL.fullmatch(text) or abs(number := float(text)) == float("inf"):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def js_equal(a: Any, b: Any) -> bool:
    """fast-deep-equal (AJV's ``equal``): ``===`` on scalars, so ``true`` is not ``1``."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(js_equal(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(js_equal, a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return isinstance(a, bool) == isinstance(b, bool) and a == b
    return type(a) is type(b) and a == b


def js_keys(instance: Mapping[str, Any]) -> list[str]:
    """``for (key in object)`` order: array-index keys ascending, then insertion order."""
    indices = sorted((key for key in instance
                      if _ARRAY_INDEX.fullmatch(key) and int(key) < 2**32 - 1), key=int)
    return indices + [key for key in instance if key not in set(indices)]


@functools.lru_cache(maxsize=256)
def js_regex(pattern: str) -> re.Pattern[str]:
    """A JavaScript ``new RegExp(pattern, "u")`` as a Python pattern: ``$`` only matches at the
    very end, and ``\\d``/``\\w`` are ASCII (so is ``\\s`` here, unlike JavaScript's)."""
    out, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index:index + 2])
            index += 2
            continue
        if char == "$" and not in_class:
            char = r"\Z"
        in_class = (char != "]") if in_class else char == "["
        out.append(char)
        index += 1
    return re.compile("".join(out), re.ASCII)


# --- ajv-formats ("full" mode) --------------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)"
                   r"(z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?\Z", re.IGNORECASE)
_DATE_TIME_SEPARATOR = re.compile(f"[tT{re.escape(_JS_SPACE)}]")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date")
def _is_date(text: Any) -> bool:
    match = _DATE.match(text) if isinstance(text, str) else None
    if match is None:
        return not isinstance(text, str)
    year, month, day = map(int, match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


@FORMATS.checks("time")
def _is_time(text: Any) -> bool:
    match = _TIME.match(text) if isinstance(text, str) else None
    if match is None:
        return not isinstance(text, str)
    hour, minute, second = int(match[1]), int(match[2]), float(match[3])
    zone_sign = -1 if match[5] == "-" else 1
    zone_hour, zone_minute = int(match[6] or 0), int(match[7] or 0)
    if zone_hour > 23 or zone_minute > 59 or not match[4]:  # "full" mode wants a zone
        return False
    if hour <= 23 and minute <= 59 and second < 60:
        return True
    utc_minute = minute - zone_minute * zone_sign  # a leap second: 23:59:60 in UTC
    utc_hour = hour - zone_hour * zone_sign - (1 if utc_minute < 0 else 0)
    return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61


@FORMATS.checks("date-time")
def _is_date_time(text: Any) -> bool:
    if not isinstance(text, str):
        return True
    parts = _DATE_TIME_SEPARATOR.split(text)
    return len(parts) == 2 and _is_date(parts[0]) and _is_time(parts[1])


# --- coerceTypes: true ----------------------------------------------------------------------

_NOT: Any = object()


def coerce(schema: Any, data: Any) -> Any:
    """AJV's coercion, applied before validating: where a schema's ``type`` does not match, the
    first of its types the value converts to wins. Not inside anyOf/oneOf/not (no parameter of
    the spec needs it; AJV would coerce there too, even in branches that fail)."""
    if not isinstance(schema, dict):
        return data
    types = schema_types(schema)
    if types and not any(TYPES.is_type(data, name) for name in types):
        data = _coerced(data, types)
    for branch in schema.get("allOf", ()):
        data = coerce(branch, data)
    if isinstance(data, dict):
        for key in data:
            data[key] = _coerce_member(schema, key, data[key])
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        data[:] = [coerce(schema["items"], item) for item in data]
    return data


def _coerced(data: Any, types: list[str]) -> Any:
    for name in types:
        value = _COERCE[name](data) if name in COERCIBLE else _NOT
        if value is not _NOT:
            return value
    return data  # not convertible: the type keyword reports it


def _coerce_member(schema: Mapping[str, Any], key: str, value: Any) -> Any:
    properties, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    matched = [sub for pattern, sub in patterns.items() if js_regex(pattern).search(key)]
    if key in properties:
        value = coerce(properties[key], value)
    for subschema in matched:
        value = coerce(subschema, value)
    if key not in properties and not matched:
        value = coerce(schema.get("additionalProperties"), value)
    return value


def _to_number(value: Any, *, integral: bool = False) -> Any:
    if isinstance(value, bool) or value is None:
        return int(bool(value))
    if isinstance(value, str) and value:  # AJV: data && data == +data (and !(data % 1))
        number = _js_number(value)
        if number is not None and (not integral or float(number).is_integer()):
            return number
    return _NOT


def _to_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number_string(value)
    return "" if value is None else _NOT


def _is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def _to_boolean(value: Any) -> Any:
    if value == "false" or value is None or _is_zero(value):
        return False
    if value == "true" or (value == 1 and not isinstance(value, bool)):
        return True
    return _NOT


def _to_null(value: Any) -> Any:
    return None if value == "" or value is False or _is_zero(value) else _NOT


_COERCE: dict[str, Callable[[Any], Any]] = {
    "string": _to_string, "number": _to_number,
    "integer": functools.partial(_to_number, integral=True),
    "boolean": _to_boolean, "null": _to_null,
}
