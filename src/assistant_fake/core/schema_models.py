"""Pydantic v2 models derived from an OpenAPI 3.1 document's JSON Schemas.

The vendors' real backends validate with pydantic (Telnyx runs FastAPI), so the fake validates
with pydantic too: the same lax coercion ("1500" becomes 1500, extra fields are ignored) and the
same error types and messages. Nothing here restates a schema: every model is built from the spec.

FastAPI conventions that decide which pydantic construct a schema becomes:
- an ``enum`` reached through ``$ref`` is a named Python ``Enum`` (FastAPI renders ``Enum``
  classes as components), so a bad value is an ``enum`` error; an inline ``enum`` is a
  ``Literal`` (``literal_error``);
- ``oneOf``/``anyOf`` with a ``discriminator`` is a tagged union (``union_tag_invalid``);
- an optional property without a default is absent when not sent and still refuses ``null``
  unless its schema allows ``null``, as a ``field: str = None`` declaration does.
"""

from __future__ import annotations

import copy
import enum
import keyword
import re
from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

_REF_PREFIX = "#/components/schemas/"
_UNSET = object()


class _SpecModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=False, protected_namespaces=())


class SchemaModelFactory:
    """Builds (and caches) pydantic types for the schemas of one OpenAPI document."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
        self._by_ref: dict[str, Any] = {}

    # ----------------------------------------------------------------- public entry points
    def annotation(self, schema: dict[str, Any], name: str) -> Any:
        """The pydantic-ready type for ``schema`` (``name`` names any model it creates)."""
        if "$ref" in schema:
            return self._ref(schema["$ref"])
        return self._build(schema, name, named=False)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` with a top-level ``$ref`` followed and ``allOf`` merged."""
        while "$ref" in schema:
            schema = self._schemas[_ref_name(schema["$ref"])]
        if "allOf" in schema:
            schema = self._merge_all_of(schema)
        return schema

    # ----------------------------------------------------------------- construction
    def _ref(self, ref: str) -> Any:
        name = _ref_name(ref)
        if name not in self._by_ref:
            self._by_ref[name] = self._build(self._schemas[name], name, named=True)
        return self._by_ref[name]

    def _build(self, schema: dict[str, Any], name: str, *, named: bool) -> Any:
        if "$ref" in schema:
            return self._ref(schema["$ref"])
        if "allOf" in schema:
            return self._build(self._merge_all_of(schema), name, named=named)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._union(schema, schema[key], name)
        types = schema.get("type")
        if isinstance(types, list):
            concrete = [t for t in types if t != "null"]
            return self._nullable_of(schema, concrete, "null" in types, name, named=named)
        if "enum" in schema:
            return self._enum(schema["enum"], name, named=named)
        return self._typed(schema, types, name)

    def _nullable_of(self, schema: dict[str, Any], types: list[str], nullable: bool, name: str,
                     *, named: bool) -> Any:
        members = [self._build({**schema, "type": t}, name, named=named) for t in types]
        inner: Any = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007
        return inner | None if nullable else inner

    def _typed(self, schema: dict[str, Any], type_: str | None, name: str) -> Any:
        if type_ == "string":
            return self._string(schema)
        if type_ in ("integer", "number"):
            return _constrained(int if type_ == "integer" else float,
                                ge=schema.get("minimum"), le=schema.get("maximum"),
                                gt=schema.get("exclusiveMinimum"),
                                lt=schema.get("exclusiveMaximum"))
        if type_ == "boolean":
            return bool
        if type_ == "null":
            return type(None)
        if type_ == "array":
            item = self.annotation(schema.get("items", {}), f"{name}Item")
            return _constrained(list[item], min_length=schema.get("minItems"),
                                max_length=schema.get("maxItems"))
        if type_ == "object" or "properties" in schema:
            return self._object(schema, name)
        return Any

    def _string(self, schema: dict[str, Any]) -> Any:
        if schema.get("format") == "date-time":
            return datetime
        return _constrained(str, min_length=schema.get("minLength"),
                            max_length=schema.get("maxLength"), pattern=schema.get("pattern"))

    def _object(self, schema: dict[str, Any], name: str) -> Any:
        properties = schema.get("properties")
        if not properties:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return dict[str, self.annotation(extra, f"{name}Value")]
            return dict[str, Any]
        required = set(schema.get("required", ()))
        fields: dict[str, Any] = {}
        for index, (prop, prop_schema) in enumerate(properties.items()):
            annotation = self.annotation(prop_schema, f"{name}_{_identifier(prop)}")
            field_name = prop if _usable_field_name(prop) else f"f{index}_{_identifier(prop)}"
            field = _field(prop, prop_schema, required, aliased=field_name != prop)
            fields[field_name] = (annotation, field)
        return create_model(_identifier(name), __base__=_SpecModel, **fields)

    def _enum(self, values: list[Any], name: str, *, named: bool) -> Any:
        if not named:
            return Literal[tuple(values)]
        members = {f"m{i}": value for i, value in enumerate(values)}
        if all(isinstance(v, str) for v in values):
            return enum.Enum(_identifier(name), members, type=str)
        return enum.Enum(_identifier(name), members)

    def _union(self, schema: dict[str, Any], members: list[dict[str, Any]], name: str) -> Any:
        non_null = [m for m in members if m.get("type") != "null"]
        nullable = len(non_null) != len(members)
        types = [self.annotation(m, f"{name}Option{i}") for i, m in enumerate(non_null)]
        union: Any = types[0] if len(types) == 1 else Union[tuple(types)]  # noqa: UP007
        discriminator = schema.get("discriminator", {}).get("propertyName")
        if discriminator and len(types) > 1:
            tag_field = _discriminator_field(types, discriminator)
            union = Annotated[union, Field(discriminator=tag_field)]
        return union | None if nullable else union

    def _merge_all_of(self, schema: dict[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.pop("properties", {}))
        required: list[str] = list(merged.pop("required", []))
        for part in schema["allOf"]:
            part = self.resolve(part)
            properties.update(part.get("properties", {}))
            required += [r for r in part.get("required", []) if r not in required]
            for key, value in part.items():
                if key not in ("properties", "required"):
                    merged.setdefault(key, value)
        merged.setdefault("type", "object")
        return {**merged, "properties": properties, "required": required}


# --------------------------------------------------------------------------- helpers
def _ref_name(ref: str) -> str:
    if not ref.startswith(_REF_PREFIX):
        raise ValueError(f"only local component refs are supported: {ref}")
    return ref[len(_REF_PREFIX):]


def _identifier(text: str) -> str:
    cleaned = re.sub(r"\W", "_", text)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def _constrained(base: Any, **constraints: Any) -> Any:
    given = {k: v for k, v in constraints.items() if v is not None}
    return Annotated[base, Field(**given)] if given else base


def _usable_field_name(prop: str) -> bool:
    """Whether ``prop`` can be the Python field name itself (pydantic then names it in errors)."""
    return (prop.isidentifier() and not keyword.iskeyword(prop) and not prop.startswith("_")
            and not prop.startswith("model_") and not hasattr(BaseModel, prop))


def _field(prop: str, schema: dict[str, Any], required: set[str], *, aliased: bool) -> Any:
    alias = {"alias": prop} if aliased else {}
    if prop in required:
        return Field(..., **alias)
    default = schema.get("default", _UNSET)
    if default is _UNSET:
        return Field(None, **alias)
    if isinstance(default, dict | list):
        return Field(default_factory=lambda d=default: copy.deepcopy(d), **alias)
    return Field(default, **alias)


def _discriminator_field(types: list[Any], prop: str) -> str:
    """Pydantic discriminates on the field *name*, which may differ from the property name."""
    for model in types:
        for field_name, info in getattr(model, "model_fields", {}).items():
            if prop in (field_name, info.alias):
                return field_name
    raise ValueError(f"discriminator {prop!r} is not a property of the union's members")


def has_explicit_default(info: Any) -> bool:
    """True when the spec gave this field a default (a value other than the implicit None)."""
    if info.default_factory is not None:
        return True
    return info.default is not None and info.default is not ...


class SpecDocument(dict):
    """A validated object as plain data that remembers which keys only hold spec defaults.

    A merge uses that to fill a default in where nothing is stored yet without ever
    overwriting a stored value with it (an update that sends ``telephony_settings`` with one
    key keeps the other stored keys).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defaulted: set[str] = set()


def to_document(value: Any, *, top_level_defaults: bool = True) -> Any:
    """A validated value as plain JSON data: what was sent plus the spec's defaults.

    Properties that were not sent and have no spec default are left out rather than written
    as ``null``. With ``top_level_defaults=False`` (partial updates) the outermost object keeps
    only the sent properties, so an update never resets a field to its default.
    """
    if isinstance(value, BaseModel):
        document = SpecDocument()
        for name, info in type(value).model_fields.items():
            sent = name in value.model_fields_set
            if sent or (top_level_defaults and has_explicit_default(info)):
                key = info.alias or name
                document[key] = to_document(getattr(value, name))
                if not sent:
                    document.defaulted.add(key)
        return document
    if isinstance(value, list):
        return [to_document(item) for item in value]
    if isinstance(value, dict):
        return {key: to_document(item) for key, item in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value
