"""Request validation the way FastAPI does it, driven by an OpenAPI operation.

For each operation the spec declares, this builds one validator that checks path, query and
header parameters and the JSON body with pydantic models derived from the spec, and reports
*every* error in FastAPI's order (path, query, header, then body) with FastAPI's ``loc``
prefixes. Decoding follows FastAPI too: a body is parsed as JSON only when the content type is
``application/json`` (or ``+json``); a JSON syntax error stops everything with a single
``json_invalid`` error; bytes that are not text at all are a plain 400.
"""

from __future__ import annotations

import email.message
import functools
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from assistant_fake.core.schema_models import SchemaModelFactory
from assistant_fake.core.specs import load_spec

_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_MISSING = object()

MAX_JSON_DEPTH = 100
"""Deeper JSON bodies count as unparseable (400). No schema nests nearly this deep, and it keeps
the recursive work on a body (validation errors, copies, rendering) far from Python's
recursion limit, which ``json.loads`` alone would let a body come close to."""


class RequestValidationFailed(Exception):
    """The request broke the spec; ``errors`` are pydantic-style dicts with full ``loc``s."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors


class BodyUnparseable(Exception):
    """The body could not be decoded at all (not text in any JSON encoding)."""


@dataclass(frozen=True)
class RawRequest:
    """What arrived, before any validation."""

    path_params: Mapping[str, str]
    query: list[tuple[str, str]]
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class ValidatedRequest:
    """Parameters and body after pydantic's coercion; ``body`` is a model instance or None."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class _Parameter:
    name: str
    location: str
    required: bool
    adapter: TypeAdapter
    default: Any
    is_array: bool


@dataclass(frozen=True)
class _Body:
    adapter: TypeAdapter
    required: bool


class OperationValidator:
    def __init__(self, parameters: list[_Parameter], body: _Body | None) -> None:
        self._parameters = parameters
        self._body = body

    def validate(self, raw: RawRequest) -> ValidatedRequest:
        body = self._decode_body(raw)  # FastAPI reads the body before checking parameters
        result = ValidatedRequest()
        errors: list[dict[str, Any]] = []
        sources = {"path": raw.path_params, "query": raw.query, "header": raw.headers}
        targets = {"path": result.path, "query": result.query, "header": result.headers}
        for location in ("path", "query", "header"):
            for parameter in (p for p in self._parameters if p.location == location):
                value = _lookup(sources[location], parameter)
                targets[location][parameter.name] = _validate_into(
                    parameter.adapter, value, parameter.required, parameter.default,
                    (location, parameter.name), errors)
        if self._body is not None:
            result.body = _validate_into(self._body.adapter, body, self._body.required, None,
                                         ("body",), errors)
        if errors:
            raise RequestValidationFailed(errors)
        return result

    def _decode_body(self, raw: RawRequest) -> Any:
        if self._body is None or not raw.body:
            return _MISSING
        if not _is_json_content_type(raw.content_type):
            return raw.body
        try:
            value = json.loads(raw.body)
            # A lone surrogate escape ("\ud800") decodes, but no UTF-8 text can hold it, so it
            # could be neither stored nor answered: the body counts as unparseable.
            json.dumps(value, ensure_ascii=False).encode("utf-8")
            if _nesting_depth(value) > MAX_JSON_DEPTH:
                raise BodyUnparseable(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            return value
        except json.JSONDecodeError as exc:
            raise RequestValidationFailed([{
                "type": "json_invalid", "loc": ["body", exc.pos], "msg": "JSON decode error",
                "input": {}, "ctx": {"error": exc.msg}}]) from exc
        except (UnicodeDecodeError, RecursionError, ValueError) as exc:
            raise BodyUnparseable(str(exc)) from exc


@functools.cache
def spec_validators(file_name: str) -> Mapping[str, OperationValidator]:
    """The validators of one shipped spec, each built once per process (models are immutable)."""
    return LazyValidators(load_spec(file_name))


def build_validators(spec: dict[str, Any],
                     factory: SchemaModelFactory | None = None) -> dict[str, OperationValidator]:
    """One validator per operationId of ``spec``, all built now."""
    return dict(LazyValidators(spec, factory).items())


class LazyValidators(Mapping[str, OperationValidator]):
    """One validator per operationId of ``spec``, built the first time it is looked up.

    Building the pydantic models of every operation is a tenth of the fake's start-up
    (``bench/startup.py``); built on demand, the first request to an operation pays a few
    milliseconds instead. Builds are serialised: the model factory is not thread-safe.
    """

    def __init__(self, spec: dict[str, Any], factory: SchemaModelFactory | None = None) -> None:
        self._factory = factory or SchemaModelFactory(spec)
        self._operations: dict[str, tuple[list[dict], dict | None]] = {}
        for path_item in spec.get("paths", {}).values():
            shared = path_item.get("parameters", [])
            for method in _HTTP_METHODS:
                operation = path_item.get(method)
                if operation is not None:
                    self._operations[operation["operationId"]] = (
                        _merge_parameters(shared, operation.get("parameters", [])),
                        operation.get("requestBody"))
        self._built: dict[str, OperationValidator] = {}
        self._lock = threading.Lock()

    def __getitem__(self, op_id: str) -> OperationValidator:
        validator = self._built.get(op_id)
        if validator is None:
            with self._lock:
                validator = self._built.get(op_id) or self._build(op_id)
        return validator

    def _build(self, op_id: str) -> OperationValidator:
        parameters, body = self._operations[op_id]
        validator = self._built[op_id] = OperationValidator(
            [_parameter(p, self._factory, op_id) for p in parameters],
            _body(body, self._factory, op_id))
        return validator

    def __iter__(self) -> Iterator[str]:
        return iter(self._operations)

    def __len__(self) -> int:
        return len(self._operations)


# --------------------------------------------------------------------------- helpers
def _merge_parameters(shared: Iterable[dict], own: Iterable[dict]) -> list[dict]:
    merged = {(p["name"], p["in"]): p for p in shared}
    merged.update({(p["name"], p["in"]): p for p in own})
    return list(merged.values())


def _parameter(spec: dict[str, Any], factory: SchemaModelFactory, op_id: str) -> _Parameter:
    schema = spec.get("schema", {})
    resolved = factory.resolve(schema)
    adapter = TypeAdapter(factory.annotation(schema, f"{op_id}_{spec['name']}"))
    location = spec["in"]
    name = spec["name"].lower() if location == "header" else spec["name"]
    return _Parameter(name=name, location=location,
                      required=bool(spec.get("required", location == "path")),
                      adapter=adapter, default=resolved.get("default"),
                      is_array=resolved.get("type") == "array")


def _body(spec: dict[str, Any] | None, factory: SchemaModelFactory, op_id: str) -> _Body | None:
    if not spec:
        return None
    content = spec.get("content", {})
    media = next((m for m in content if _is_json_content_type(m)), None)
    if media is None:
        return None
    annotation = factory.annotation(content[media].get("schema", {}), f"{op_id}_body")
    return _Body(adapter=TypeAdapter(annotation), required=bool(spec.get("required", False)))


def _lookup(source: Any, parameter: _Parameter) -> Any:
    if isinstance(source, list):  # query string pairs: the last value wins, as in Starlette
        values = [v for k, v in source if k == parameter.name]
        if parameter.is_array:
            return values or _MISSING
        return values[-1] if values else _MISSING
    return source.get(parameter.name, _MISSING)


def _validate_into(adapter: TypeAdapter, value: Any, required: bool, default: Any,
                   loc: tuple[Any, ...], errors: list[dict[str, Any]]) -> Any:
    if value is _MISSING:
        if required:
            errors.append({"type": "missing", "loc": list(loc), "msg": "Field required",
                           "input": None})
        return default
    try:
        return adapter.validate_python(value, from_attributes=True)
    except ValidationError as exc:
        errors.extend({**e, "loc": [*loc, *e["loc"]]} for e in exc.errors(include_url=False))
        return None


def _nesting_depth(value: Any) -> int:
    """How many objects and arrays deep ``value`` goes (iteratively: it may be deep)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


@functools.lru_cache(maxsize=256)  # parsed with the email package: costly, and clients repeat
def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    message = email.message.Message()
    message["content-type"] = value
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


def jsonable(value: Any) -> Any:
    """Error details as JSON data (bytes decoded, exceptions and other objects as text)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
