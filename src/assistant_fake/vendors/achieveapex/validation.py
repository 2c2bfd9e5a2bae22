"""Request validation in FeathersJS v5's shape: AJV 8 error objects, driven by the spec.

A Feathers v5 app validates ``data`` and ``query`` with AJV 8 (``@feathersjs/schema``'s
``validateData``/``validateQuery``) and answers a failure with ``BadRequest("validation failed",
ajv.errors)``. ``ajv.py`` reproduces those errors with the Python ``jsonschema`` library (Draft
2020-12, as OpenAPI 3.1 uses); this module binds it to the spec: one validator per operationId
for path parameters, declared query parameters and the JSON body, with every ``$ref`` inlined
(Feathers schemas are inline, so AJV's ``schemaPath`` never goes through a ``$ref``). Queries and
path parameters arrive as strings and are coerced the way ``coerceTypes: true`` does; bodies are
never coerced (Feathers' data validator has no coercion). CHOSEN: every violation of a request is
listed, path first, then query, then body, each AJV object with the spec's ``location``; a path
id that is not an integer is such a violation (400), not a 404.

Where validation stops and the Feathers query engine (``query.py``) starts: this module checks
only what the spec declares as parameters, ``$limit``/``$skip``/``$sort`` included, so their
errors come in AJV's shape before the engine runs. The engine gets the coerced query and checks
the rest of Feathers' query syntax (operators, ``$select``, ``$or``, fields the spec does not
declare). A declared filter sent as an operator object (``name[$in][]=a``) is left to the engine
too, unless the spec declares that very operator (``created_at[$lte]``): then its operand is
checked here, at ``/created_at/$lte``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant_fake.core.specs import load_spec

from . import ajv
from .errors import bad_request
from .query_parsing import QueryError

__all__ = [
    "SPEC_FILE", "InvalidJsonBody", "OperationValidator", "Parameter", "ValidatedRequest",
    "ValidationFailed", "bad_request_for", "check", "decode_json_body", "dereference",
    "operation_validator", "operation_validators",
]

SPEC_FILE = "achieveapex-ai-assistants.yaml"
VALIDATION_FAILED = "validation failed"
"""The message of AJV's ``ValidationError``, which Feathers' validation hooks pass on."""

check = ajv.check


class ValidationFailed(Exception):
    """The request broke the spec; ``errors`` are AJV error objects, each with its ``location``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors


class InvalidJsonBody(ValueError):
    """The body is not JSON the way Feathers' Koa body parser (koa-body, co-body) reads it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ValidatedRequest:
    """What passed: coerced path parameters, the coerced query (undeclared keys untouched, for
    the query engine) and the body as sent."""

    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path" or "query"
    required: bool
    schema: Any


# --- One validator per operation ------------------------------------------------------------

_OPERATOR_NAME = re.compile(r"([^\[\]]+)\[(\$[A-Za-z]+)\]")


class OperationValidator:
    """Checks one operation's path parameters, declared query parameters and JSON body."""

    def __init__(self, operation_id: str, parameters: Sequence[Parameter],
                 body_schema: Any = None) -> None:
        self.operation_id = operation_id
        self.body_schema = body_schema
        self._path = _object_schema([p for p in parameters if p.location == "path"])
        self._plain: dict[str, Any] = {}
        self._operators: dict[str, dict[str, Any]] = {}
        self._required: list[str] = []
        for parameter in (p for p in parameters if p.location == "query"):
            self._add_query_parameter(parameter)

    def _add_query_parameter(self, parameter: Parameter) -> None:
        match = _OPERATOR_NAME.fullmatch(parameter.name)
        if match is None:
            self._plain[parameter.name] = parameter.schema
            self._operators.setdefault(parameter.name, {})
            if parameter.required:
                self._required.append(parameter.name)
            return
        if parameter.required:  # no spec needs it; it would need a nested "required"
            raise ValueError(f"required operator parameter {parameter.name} is not supported")
        field, operator = match.groups()
        self._plain.setdefault(field, None)
        self._operators.setdefault(field, {})[operator] = parameter.schema

    def path_errors(self, params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], Any]:
        """AJV's errors for the path parameters (coerced like a query) and the coerced values."""
        return ajv.check(self._path, dict(params), coerce_types=True)

    def query_errors(self, query: Mapping[str, Any]) -> tuple[list[dict[str, Any]], Any]:
        """AJV's errors (``coerceTypes: true``) for the declared parameters, and the coerced
        query."""
        return ajv.check(self.query_schema(query), dict(query), coerce_types=True)

    def body_errors(self, body: Any) -> list[dict[str, Any]]:
        """AJV's errors for the body (no coercion); none when the operation takes no body."""
        if self.body_schema is None:
            return []
        return ajv.check(self.body_schema, body)[0]

    def query_schema(self, query: Mapping[str, Any]) -> dict[str, Any]:
        """The schema a query is checked against: each declared field's plain schema, or the
        schemas of its declared operators when the value is an operator object."""
        properties: dict[str, Any] = {}
        for field, plain in self._plain.items():
            value = query.get(field)
            if _is_operator_object(value) and not _accepts_objects(plain):
                if self._operators[field]:
                    properties[field] = {"properties": self._operators[field]}
            elif plain is not None:
                properties[field] = plain
        return {"type": "object", "required": list(self._required), "properties": properties}

    def validate(self, *, path_params: Mapping[str, Any] | None = None,
                 query: Mapping[str, Any] | None = None, body: Any = None) -> ValidatedRequest:
        """Check everything and list every violation: path, then query, then body.

        ``body=None`` means no body; an operation that takes one then validates ``{}``, which is
        what koa-body hands Feathers for an empty request body.
        """
        path_errors, path = self.path_errors(path_params or {})
        query_errors, coerced = self.query_errors(query or {})
        errors = _located("path", path_errors) + _located("query", query_errors)
        if self.body_schema is not None:
            body = {} if body is None else body
            errors += _located("body", self.body_errors(body))
        if errors:
            raise ValidationFailed(errors)
        return ValidatedRequest(path, coerced, body)


def _object_schema(parameters: Sequence[Parameter]) -> dict[str, Any]:
    return {"type": "object", "required": [p.name for p in parameters if p.required],
            "properties": {p.name: p.schema for p in parameters}}


def _is_operator_object(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        isinstance(key, str) and key.startswith("$") for key in value)


def _accepts_objects(schema: Any) -> bool:
    if not isinstance(schema, dict) or "type" not in schema:
        return False
    types = schema["type"]
    return "object" in ([types] if isinstance(types, str) else types)


def _located(location: str, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # the spec's ValidationViolation: the AJV object plus which part of the request is wrong
    return [{"location": location, **error} for error in errors]


@functools.cache
def operation_validators(spec_file: str = SPEC_FILE) -> Mapping[str, OperationValidator]:
    """A validator for every operationId of the spec, built once per process."""
    spec = dereference(load_spec(spec_file))
    built: dict[str, OperationValidator] = {}
    for item in spec.get("paths", {}).values():
        shared = item.get("parameters", [])
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                built[operation["operationId"]] = _operation(operation, shared)
    return built


def operation_validator(operation_id: str) -> OperationValidator:
    return operation_validators()[operation_id]


def _operation(operation: Mapping[str, Any], shared: list[Any]) -> OperationValidator:
    own = operation.get("parameters", [])
    names = {(p["name"], p["in"]) for p in own}
    parameters = [Parameter(p["name"], p["in"], bool(p.get("required")), p.get("schema", {}))
                  for p in [*(p for p in shared if (p["name"], p["in"]) not in names), *own]
                  if p["in"] in ("path", "query")]
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema") if content else None
    return OperationValidator(operation["operationId"], parameters, body)


# --- $ref inlining --------------------------------------------------------------------------

_ANNOTATIONS = frozenset({"description", "default", "title", "example", "examples", "deprecated",
                          "readOnly", "writeOnly", "$comment"})


def dereference(document: Any) -> Any:
    """A copy of ``document`` with every local ``$ref`` replaced by its target, as Feathers'
    schemas are written inline. Siblings of a ``$ref`` (OpenAPI 3.1 allows them) are merged in;
    only annotations may overlap with the target's keywords."""
    return _inline(document, document, ())


def _inline(node: Any, root: Any, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, root, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: _inline(value, root, seen) for key, value in node.items()}
    ref = node["$ref"]
    if not ref.startswith("#/") or ref in seen:
        raise ValueError(f"cannot inline $ref {ref!r}")  # remote or recursive: not in our spec
    target = root
    for part in ref[2:].split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    merged = _inline(target, root, (*seen, ref))
    siblings = {key: _inline(value, root, seen) for key, value in node.items() if key != "$ref"}
    if not isinstance(merged, dict) or (set(merged) & set(siblings)) - _ANNOTATIONS:
        raise ValueError(f"$ref {ref!r} has siblings that clash with its target")
    return {**merged, **siblings}


# --- JSON bodies ----------------------------------------------------------------------------

_STRICT_JSON = re.compile(r"[ \t\n\r]*[\[{]")  # co-body's strict mode: an object or an array
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?)(NaN|Infinity)', re.DOTALL)


def decode_json_body(raw: bytes) -> Any:
    """The body as Feathers' Koa body parser decodes it (koa-body in strict mode, co-body).

    Invalid UTF-8 is replaced, not refused (raw-body decodes leniently), and so is a lone
    surrogate escape (``"\\ud800"``: JSON.parse keeps it, but no UTF-8 answer or data file could
    carry it), each by U+FFFD; a BOM is dropped, an empty body is ``{}``, a top-level value that
    is not an object or an array is refused with co-body's message. A syntax error gets Node
    18's ``JSON.parse`` wording (CHOSEN: newer Node quotes the whole body back): ``Unexpected
    token X in JSON at position N`` (``number`` or ``string`` for those tokens) or ``Unexpected
    end of JSON input``, with the position Python's parser reports (V8's, in every case tried).
    Nesting beyond Python's recursion limit (about 1,000 levels) is refused too. CHOSEN: so is a
    number JavaScript reads as Infinity (``1e999``, a 400-digit integer): stored, it could only be
    answered as ``Infinity``, which is not JSON (``Number 1e999 is out of range``).
    """
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if not text:
        return {}
    if not _STRICT_JSON.match(text):
        raise InvalidJsonBody("invalid JSON, only supports object and array")
    try:
        body = json.loads(text, parse_constant=_refuse_constant, parse_int=_finite_integer,
                          parse_float=_finite_number)
        return _without_lone_surrogates(body) if _SURROGATE_ESCAPE.search(text) else body
    except json.JSONDecodeError as error:
        raise InvalidJsonBody(_syntax_message(text, error.pos)) from None
    except _JavaScriptConstant:
        raise InvalidJsonBody(_constant_message(text)) from None
    except RecursionError:
        raise InvalidJsonBody("Maximum call stack size exceeded") from None
    except _OutOfRange as error:
        literal = error.args[0] if len(error.args[0]) <= 24 else error.args[0][:21] + "..."
        raise InvalidJsonBody(f"Number {literal} is out of range") from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """``value`` with every surrogate code point (in keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item)
                for key, item in value.items()}
    return value


class _JavaScriptConstant(ValueError):
    """Python's json reads NaN and Infinity; JSON.parse does not."""


def _refuse_constant(name: str) -> Any:
    raise _JavaScriptConstant(name)


class _OutOfRange(ValueError):
    """A number literal beyond a double's range (JavaScript reads it as Infinity)."""


def _finite_number(literal: str) -> float:
    number = float(literal)
    if math.isinf(number):
        raise _OutOfRange(literal)
    return number


def _finite_integer(literal: str) -> int:
    _finite_number(literal)  # first: int() refuses over 4,300 digits with a ValueError
    return int(literal)


def _syntax_message(text: str, position: int) -> str:
    if position >= len(text):
        return "Unexpected end of JSON input"
    char = text[position]
    # V8 before 11.x names number and string tokens instead of quoting them
    token = "number" if char in "-0123456789" else "string" if char == '"' else f"token {char}"
    return f"Unexpected {token} in JSON at position {position}"


def _constant_message(text: str) -> str:
    for match in _CONSTANT.finditer(text):
        if match.group(2):  # JSON.parse trips on the letter, after any minus sign
            return _syntax_message(text, match.start(2))
    return "Unexpected token in JSON"  # not reached: json only calls back for such a token


# --- 400 bodies -----------------------------------------------------------------------------

_BRACKETS = re.compile(r"([^\[]*)((?:\[[^\]]*\])*)")


def bad_request_for(problem: ValidationFailed | QueryError | InvalidJsonBody) -> dict[str, Any]:
    """The Feathers BadRequest body for any refused request; ``data`` always lists what is wrong
    in the spec's ``ValidationViolation`` shape."""
    if isinstance(problem, ValidationFailed):
        return bad_request(VALIDATION_FAILED, problem.errors)
    if isinstance(problem, QueryError):
        where = {"location": "query", "instancePath": _bracket_pointer(problem.path)}
    else:
        where = {"location": "body", "instancePath": ""}
    return bad_request(problem.message, [{**where, "message": problem.message}])


def _bracket_pointer(path: str | None) -> str:
    """``created_at[$lte]`` (the query engine's paths) → ``/created_at/$lte``."""
    if not path:
        return ""
    match = _BRACKETS.fullmatch(path)
    parts = [match.group(1), *re.findall(r"\[([^\]]*)\]", match.group(2))] if match else [path]
    return ajv.json_pointer(parts)
