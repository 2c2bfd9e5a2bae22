"""AJV 8's validation errors (``allErrors: true``), computed with the ``jsonschema`` library.

``jsonschema`` walks the schema; the keyword functions here decide what fails and report it as
AJV does: the same ``keyword``, ``params`` and English ``message``, ``schemaPath`` spelt AJV's way
(``#/properties/%24limit/type``), ``instancePath`` as a JSON pointer. The order is AJV's because
``_keyword_order`` hands ``jsonschema`` the keywords of each schema in the order of AJV's
generated code: a type error either first or after its type's keywords, then the keywords that
apply to any type, then those of numbers, strings, arrays and objects. Objects' keys are visited
in JavaScript's order (integer-like keys first), as ``for ... in`` does.

``coerce_types=True`` first coerces the data the way ``coerceTypes: true`` does (what Feathers
uses for queries; see ``ajv_runtime``). Keywords AJV has but no schema here uses (if/then/else,
contains, propertyNames, dependent*, unevaluated*) run as ``jsonschema`` has them, with its
messages and empty ``params``.
"""

from __future__ import annotations

import copy
import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator, ValidationError, validators

from .ajv_runtime import (
    COERCIBLE,
    FORMATS,
    TYPES,
    coerce,
    js_equal,
    js_keys,
    js_number_string,
    js_regex,
    schema_types,
)

__all__ = ["check", "js_number_string", "json_pointer"]


def check(schema: Any, instance: Any, *, coerce_types: bool = False,
          ) -> tuple[list[dict[str, Any]], Any]:
    """AJV's ``errors`` for ``instance`` (empty when valid) and the data as validated: a coerced
    copy with ``coerce_types``, else ``instance`` itself."""
    data = coerce(schema, copy.deepcopy(instance)) if coerce_types else instance
    cls = _CoercingValidator if coerce_types else _Validator
    errors = cls(schema, format_checker=FORMATS).iter_errors(data)
    return [_ajv_error(error) for error in errors], data


def _ajv_error(error: ValidationError) -> dict[str, Any]:
    false_schema = error.validator is None
    return {
        "instancePath": json_pointer(error.absolute_path),
        "schemaPath": "#" + "".join("/" + _fragment(part) for part in error.absolute_schema_path)
        + ("/false schema" if false_schema else ""),
        "keyword": "false schema" if false_schema else error.validator,
        "params": {} if false_schema else getattr(error, "ajv_params", {}),
        "message": "boolean schema is false" if false_schema else error.message,
    }


def json_pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _fragment(part: Any) -> str:
    # AJV's escapeFragment: encodeURIComponent of the pointer-escaped segment
    return quote(str(part).replace("~", "~0").replace("/", "~1"), safe="!~*'()")


# --- Keywords -------------------------------------------------------------------------------

def _fail(message: str, **params: Any) -> ValidationError:
    error = ValidationError(message)
    error.ajv_params = params  # type: ignore[attr-defined]
    return error


def _descend(validator: Any, instance: Any, schema: Any, path: Any = None,
             schema_path: Any = None) -> Iterator[ValidationError]:
    """``validator.descend`` that also puts the paths on a ``false`` schema's error."""
    if schema is not False:
        yield from validator.descend(instance, schema, path=path, schema_path=schema_path)
        return
    error = ValidationError("boolean schema is false", validator=None)
    if path is not None:
        error.path.appendleft(path)
    if schema_path is not None:
        error.schema_path.appendleft(schema_path)
    yield error


def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    names = [types] if isinstance(types, str) else list(types)
    if not any(validator.is_type(instance, name) for name in names):
        yield _fail(f"must be {','.join(names)}", type=types)


def _required(validator: Any, names: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "object"):
        for name in names:
            if name not in instance:
                yield _fail(f"must have required property '{name}'", missingProperty=name)


def _enum(validator: Any, values: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not any(js_equal(instance, value) for value in values):
        yield _fail("must be equal to one of the allowed values", allowedValues=values)


def _const(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not js_equal(instance, value):
        yield _fail("must be equal to constant", allowedValue=value)


def _limit(comparison: str, holds: Callable[[Any, Any], bool]) -> Any:
    def keyword(validator: Any, limit: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "number") and not holds(instance, limit):
            yield _fail(f"must be {comparison} {js_number_string(limit)}",
                        comparison=comparison, limit=limit)
    return keyword


def _size(kind: str, more: bool, unit: str) -> Any:
    def keyword(validator: Any, limit: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, kind) and (len(instance) > limit if more
                                                  else len(instance) < limit):
            word = "more" if more else "fewer"
            yield _fail(f"must NOT have {word} than {js_number_string(limit)} {unit}", limit=limit)
    return keyword


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "number") and not _is_whole(instance / divisor):
        yield _fail(f"must be multiple of {js_number_string(divisor)}", multipleOf=divisor)


def _is_whole(number: float) -> bool:
    # AJV tests `x === parseInt(x)`, and parseInt reads String(x): 2e+28 parses as 2
    digits = re.match(r"-?[0-9]+", js_number_string(number))
    return digits is not None and int(digits.group()) == number


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not js_regex(pattern).search(instance):
        yield _fail(f'must match pattern "{pattern}"', pattern=pattern)


def _format(validator: Any, name: str, instance: Any, schema: Any) -> Iterator[Any]:
    checker = validator.format_checker
    if validator.is_type(instance, "string") and checker and not checker.conforms(instance, name):
        yield _fail(f'must match format "{name}"', format=name)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not unique or not validator.is_type(instance, "array") or len(instance) < 2:
        return
    items = schema.get("items")
    item_types = schema_types(items) if isinstance(items, dict) else []
    scalar = item_types and not {"object", "array"} & set(item_types)
    pair = (_duplicate_scalar(validator, instance, item_types) if scalar
            else _duplicate_any(instance))
    if pair is not None:
        i, j = pair
        yield _fail(f"must NOT have duplicate items (items ## {j} and {i} are identical)", i=i, j=j)


def _duplicate_scalar(validator: Any, items: list[Any], types: list[str]) -> tuple[int, int] | None:
    # AJV's fast loop: from the end, keyed by JavaScript's property-name of each item
    seen: dict[str, int] = {}
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if not any(validator.is_type(item, name) for name in types):
            continue
        key = _property_key(item) + ("_" if len(types) > 1 and isinstance(item, str) else "")
        if key in seen:
            return i, seen[key]
        seen[key] = i
    return None


def _property_key(item: Any) -> str:
    if isinstance(item, bool) or item is None:
        return {True: "true", False: "false", None: "null"}[item]
    return js_number_string(item) if isinstance(item, int | float) else str(item)


def _duplicate_any(items: list[Any]) -> tuple[int, int] | None:
    for i in range(len(items) - 1, 0, -1):
        for j in range(i - 1, -1, -1):
            if js_equal(items[i], items[j]):
                return i, j
    return None


def _properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "object"):
        for name, subschema in properties.items():
            if name in instance:
                yield from _descend(validator, instance[name], subschema, name, name)


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "object"):
        for pattern, subschema in patterns.items():
            for key in js_keys(instance):
                if js_regex(pattern).search(key):
                    yield from _descend(validator, instance[key], subschema, key, pattern)


def _additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object") or _always_valid(extra):
        return
    known, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    for key in js_keys(instance):
        if key in known or any(js_regex(pattern).search(key) for pattern in patterns):
            continue
        if extra is False:
            yield _fail("must NOT have additional properties", additionalProperty=key)
        else:
            yield from _descend(validator, instance[key], extra, key)


def _items(validator: Any, items: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "array"):
        for index in range(len(schema.get("prefixItems", ())), len(instance)):
            yield from _descend(validator, instance[index], items, index)


def _prefix_items(validator: Any, prefix: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "array"):
        for index, subschema in enumerate(prefix[:len(instance)]):
            yield from _descend(validator, instance[index], subschema, index, index)


def _all_of(validator: Any, branches: Any, instance: Any, schema: Any) -> Iterator[Any]:
    for index, branch in enumerate(branches):
        yield from _descend(validator, instance, branch, schema_path=index)


def _any_of(validator: Any, branches: Any, instance: Any, schema: Any) -> Iterator[Any]:
    # the first passing branch ends it (and drops the others' errors); else all errors, then
    # the anyOf error itself
    if any(_always_valid(branch) for branch in branches):
        return
    errors: list[ValidationError] = []
    for index, branch in enumerate(branches):
        found = list(_descend(validator, instance, branch, schema_path=index))
        if not found:
            return
        errors += found
    yield from errors
    yield _fail("must match a schema in anyOf")


def _one_of(validator: Any, branches: Any, instance: Any, schema: Any) -> Iterator[Any]:
    # AJV stops at the second passing branch; the errors of branches that failed stay
    errors: list[ValidationError] = []
    valid, passing = False, None
    for index, branch in enumerate(branches):
        found = [] if _always_valid(branch) else list(
            _descend(validator, instance, branch, schema_path=index))
        errors += found
        if not found and valid:
            valid, passing = False, [passing, index]
            break
        if not found:
            valid, passing = True, index
    if not valid:
        yield from errors
        yield _fail("must match exactly one schema in oneOf", passingSchemas=passing)


def _not(validator: Any, subschema: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if _always_valid(subschema) or not any(True for _ in _descend(validator, instance, subschema)):
        yield _fail("must NOT be valid")


_KEYWORDS = {
    "type": _type, "required": _required, "enum": _enum, "const": _const,
    "maximum": _limit("<=", operator.le), "minimum": _limit(">=", operator.ge),
    "exclusiveMaximum": _limit("<", operator.lt), "exclusiveMinimum": _limit(">", operator.gt),
    "maxLength": _size("string", True, "characters"),
    "minLength": _size("string", False, "characters"),
    "maxItems": _size("array", True, "items"), "minItems": _size("array", False, "items"),
    "maxProperties": _size("object", True, "properties"),
    "minProperties": _size("object", False, "properties"),
    "multipleOf": _multiple_of, "pattern": _pattern, "format": _format,
    "uniqueItems": _unique_items, "properties": _properties,
    "patternProperties": _pattern_properties, "additionalProperties": _additional_properties,
    "items": _items, "prefixItems": _prefix_items, "allOf": _all_of, "anyOf": _any_of,
    "oneOf": _one_of, "not": _not,
}


# --- AJV's keyword order --------------------------------------------------------------------

_ANY_TYPE = ("$ref", "const", "enum", "not", "anyOf", "oneOf", "allOf", "if")
_BY_TYPE = {
    "number": ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"),
    "string": ("maxLength", "minLength", "pattern", "format"),
    # prefixItems, items and contains are defined "before: uniqueItems"
    "array": ("maxItems", "minItems", "prefixItems", "items", "contains", "uniqueItems"),
    "object": ("maxProperties", "minProperties", "required", "propertyNames",
               "additionalProperties", "properties", "patternProperties", "dependentRequired",
               "dependentSchemas"),
}
_LAST = ("unevaluatedProperties", "unevaluatedItems")
# every keyword AJV (2020 vocabularies plus ajv-formats) has code for: what makes a schema
# "not always valid" in alwaysValidSchema
_RULES = frozenset({
    *_ANY_TYPE, *_LAST, *(keyword for group in _BY_TYPE.values() for keyword in group),
    "$dynamicAnchor", "$dynamicRef", "$recursiveAnchor", "$recursiveRef", "$comment", "id",
    "type", "nullable", "then", "else", "dependencies", "additionalItems", "maxContains",
    "minContains", "formatMaximum", "formatMinimum", "formatExclusiveMaximum",
    "formatExclusiveMinimum",
})


def _always_valid(schema: Any) -> bool:
    """AJV's alwaysValidSchema: ``true``, or an object without a single rule keyword."""
    return schema is True or (isinstance(schema, dict) and not _RULES & schema.keys())


def _type_first(schema: Mapping[str, Any], types: list[str], coerce: bool) -> bool:
    """AJV checks the type before all keywords unless the schema has one type with keywords of
    its own (then the type error comes after that type's keywords); coercion always checks
    first. ``format`` also counts for numbers, as in AJV."""
    if coerce and COERCIBLE.intersection(types):
        return True
    if len(types) != 1 or types[0] not in _BY_TYPE:
        return True
    own = _BY_TYPE[types[0]] + (("format",) if types[0] == "number" else ())
    return not any(keyword in schema for keyword in own)


def _keyword_order(schema: Mapping[str, Any], *, coerce: bool) -> list[tuple[str, Any]]:
    types = schema_types(schema)
    first = bool(types) and _type_first(schema, types, coerce)
    order = ["type"] if first else []
    order += [keyword for keyword in _ANY_TYPE if keyword in schema]
    for group, keywords in _BY_TYPE.items():
        order += [keyword for keyword in keywords if keyword in schema]
        if types == [group] and not first:
            order.append("type")
    order += [keyword for keyword in _LAST if keyword in schema]
    return [(keyword, schema[keyword]) for keyword in order]


def _validator_class(*, coerce: bool) -> Any:
    return validators.create(
        meta_schema=Draft202012Validator.META_SCHEMA,
        validators={**Draft202012Validator.VALIDATORS, **_KEYWORDS},
        type_checker=TYPES,
        format_checker=FORMATS,
        applicable_validators=functools.partial(_keyword_order, coerce=coerce),
    )


_Validator = _validator_class(coerce=False)
_CoercingValidator = _validator_class(coerce=True)


