"""The query engine's field types of a record, read from the spec's schema of that record.

One function for every AchieveApex record type, so a list endpoint filters, sorts and selects
exactly the fields its response schema declares, with the types it declares: no hand-written
table can drift from the spec. ``$ref`` and ``allOf`` are resolved the way the schemas use them
(fields, fixed fields and the record's own fields are ``allOf`` parts).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from assistant_fake.core.specs import load_spec

__all__ = ["SPEC_FILE", "field_types"]

SPEC_FILE = "achieveapex-ai-assistants.yaml"
_ENGINE_BASES = ("integer", "number", "boolean", "string", "date-time", "object", "array")
_ANY = "any"  # a schema without a type: any JSON value


def field_types(schema_name: str) -> dict[str, str]:
    """``{field: engine type}`` of ``#/components/schemas/<schema_name>``, such as
    ``{"id": "integer", "deleted_at": "date-time|null", "api_tools": "array"}``.

    A field whose schema allows any JSON value, or values of several types, counts as
    ``object``: the engine can still sort and select it but refuses to filter on it, since no
    single coercion of a query-string value would be right.
    """
    return dict(_cached(schema_name))  # a fresh dict: callers may extend it


@functools.cache
def _cached(schema_name: str) -> tuple[tuple[str, str], ...]:
    spec = load_spec(SPEC_FILE)
    schemas = spec["components"]["schemas"]
    if schema_name not in schemas:
        raise KeyError(f"no schema {schema_name!r} in {SPEC_FILE}")
    properties = _properties(schemas[schema_name], spec)
    return tuple((name, _engine_type(schema, spec)) for name, schema in properties.items())


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with its ``$ref`` (and the target's own ``$ref``...) replaced by the target;
    siblings of a ``$ref`` (a ``default``, a ``description``) are kept on top."""
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        schema = {**target, **siblings}
    return schema


def _properties(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    schema = _resolve(schema, root)
    properties: dict[str, Any] = {}
    for part in schema.get("allOf", ()):  # parts first: the schema's own properties win
        properties.update(_properties(part, root))
    properties.update(schema.get("properties", {}))
    return properties


def _kinds(schema: Mapping[str, Any], root: Mapping[str, Any]) -> set[str]:
    """The JSON types a value of ``schema`` may have, ``date-time`` standing for such strings."""
    schema = _resolve(schema, root)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        return set().union(*(_kinds(option, root) for option in alternatives))
    if "type" not in schema and schema.get("allOf"):
        # every part must hold: the parts that state a type agree on it
        typed = [_kinds(part, root) for part in schema["allOf"]]
        typed = [kinds for kinds in typed if _ANY not in kinds]
        return set.intersection(*typed) if typed else {_ANY}
    declared = schema.get("type")
    if declared is None:
        values = schema.get("enum", [schema["const"]] if "const" in schema else None)
        if values is None:
            return {_ANY}
        declared = [_json_type(value) for value in values]
    types = declared if isinstance(declared, list) else [declared]
    date_time = schema.get("format") == "date-time"
    return {"date-time" if kind == "string" and date_time else kind for kind in types}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), _ANY)


def _engine_type(schema: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    kinds = _kinds(schema, root)
    nullable = "null" in kinds
    bases = kinds - {"null"}
    if bases == {"integer", "number"}:
        bases = {"number"}  # every integer is a number
    base = bases.pop() if len(bases) == 1 else _ANY
    if base not in _ENGINE_BASES:
        base = "object"
    return f"{base}|null" if nullable else base
