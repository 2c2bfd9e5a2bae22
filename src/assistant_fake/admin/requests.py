"""Admin request bodies, validated against ``openapi/admin.yaml`` (the spec is the only place
their shapes are written down), and the admin API's error shape ``{"detail": "..."}``."""

from __future__ import annotations

import functools
import json
from typing import Any

from flask import request
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from assistant_fake.core.errors import VendorError
from assistant_fake.core.specs import load_spec

ADMIN_SPEC = "admin.yaml"
_MAX_DETAIL = 500  # a message quoting a whole snapshot would be unreadable


def problem(status: int, detail: str, **extra: Any) -> VendorError:
    """An admin error response: FastAPI's ``{"detail": ...}`` shape, like the guard's, plus
    any ``extra`` members the spec's ``Problem`` declares."""
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL] + "..."
    return VendorError(status, {"detail": detail, **extra})


@functools.cache
def _validator(schema_name: str) -> Draft202012Validator:
    """A validator of one component schema; ``$ref``s resolve inside the admin spec."""
    components = load_spec(ADMIN_SPEC)["components"]
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema_name}",
                                 "components": components})


def validated(schema_name: str, value: Any, *, where: str = "body") -> Any:
    """``value`` if it matches the admin spec's schema; a 400 naming the first problem."""
    error = best_match(_validator(schema_name).iter_errors(value))
    if error is not None:
        location = "/".join(str(part) for part in (where, *error.absolute_path))
        raise problem(400, f"{location}: {error.message}")
    return value


def json_body(schema_name: str, *, required: bool = True) -> Any:
    """The request's JSON body (whatever its content type: curl's ``-d`` says form data),
    validated against ``schema_name``; an absent optional body is ``{}``."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise problem(400, "body: a JSON body is required")
        return validated(schema_name, {})
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise problem(400, f"body: not valid JSON: {exc}") from None
    return validated(schema_name, body)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@functools.cache
def _operation(operation_id: str) -> dict[str, Any]:
    for item in load_spec(ADMIN_SPEC)["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise KeyError(operation_id)


@functools.cache
def _parameter_validator(operation_id: str, name: str) -> Draft202012Validator:
    parameter = next(p for p in _operation(operation_id).get("parameters", [])
                     if p["name"] == name)
    components = load_spec(ADMIN_SPEC)["components"]
    return Draft202012Validator({**parameter.get("schema", {}), "components": components})


def query_params(operation_id: str) -> dict[str, Any]:
    """The query parameters ``operation_id`` declares that were sent, coerced (integers) and
    validated against their schemas; undeclared ones are ignored."""
    params: dict[str, Any] = {}
    for parameter in _operation(operation_id).get("parameters", []):
        name = parameter["name"]
        if parameter.get("in") != "query" or name not in request.args:
            continue
        value: Any = request.args[name]
        if parameter.get("schema", {}).get("type") == "integer":
            try:
                value = int(value)
            except ValueError:
                raise problem(400, f"query/{name}: {value!r} is not an integer") from None
        error = best_match(_parameter_validator(operation_id, name).iter_errors(value))
        if error is not None:
            raise problem(400, f"query/{name}: {error.message}")
        params[name] = value
    return params
