"""Reading admin requests: bodies and query parameters checked against ``openapi/admin.yaml``.

The gateway validates vendor requests only, so admin handlers validate their own input here,
against the admin spec (its single source of truth: no schema is restated in Python). Every
failure is a 400 ``{"detail", "errors"}`` (``AdminError`` in the spec), never a 500.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from flask import request
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from assistant_fake.core.errors import VendorError
from assistant_fake.core.specs import load_spec
from assistant_fake.core.tenants import tenant_id

ADMIN_SPEC = "admin.yaml"
_SPEC_URI = "urn:assistant-fake:admin"
_METHODS = ("get", "put", "post", "delete", "patch")


def admin_error(status: int, detail: str, errors: list[dict[str, str]] | None = None,
                ) -> VendorError:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return VendorError(status, body)


def json_body(operation_id: str) -> dict[str, Any]:
    """The request's JSON body (``{}`` when there is none), valid for the operation."""
    return scoped_body(operation_id, tenant_required=False)[0]


def scoped_body(operation_id: str, *, tenant_required: bool) -> tuple[dict[str, Any], str | None]:
    """The valid JSON body and the tenant it names by ``key`` or ``tenant``.

    The tenant is checked first: its plain message reads better than the schema's wording of
    the same rule.
    """
    raw = request.get_data()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:  # bad JSON, or bytes that are not UTF-8/16/32
        raise admin_error(400, f"The body is not valid JSON: {exc}") from None
    tenant = tenant_of(body, required=tenant_required) if isinstance(body, dict) else None
    validator = _body_validator(operation_id)
    if validator is not None:
        _raise_if_invalid(validator, body, location=lambda path: "/" + "/".join(path))
    return body, tenant


def query_params(operation_id: str) -> dict[str, str]:
    """The operation's query parameters that were sent, each valid for its schema."""
    sent = {}
    errors = []
    for name, validator in _query_validators(operation_id).items():
        if name not in request.args:
            continue
        sent[name] = request.args[name]
        errors += _errors(validator, sent[name], location=lambda path, n=name: f"query.{n}")
    if errors:
        raise admin_error(400, "The request does not match the admin API spec.", errors)
    return sent


def tenant_of(values: Mapping[str, Any], *, required: bool) -> str | None:
    """The tenant ``key`` (hashed) or ``tenant`` names; at most one of them may be sent."""
    key, tenant = values.get("key"), values.get("tenant")
    if key is not None and tenant is not None:
        raise admin_error(400, "Send key or tenant, not both.")
    if key is not None:
        return tenant_id(str(key))
    if tenant is None and required:
        raise admin_error(400, "Name the tenant: send key (a raw API key) or tenant (its id).")
    return tenant


def _raise_if_invalid(validator: Draft202012Validator, value: Any, location) -> None:
    errors = _errors(validator, value, location)
    if errors:
        raise admin_error(400, "The request does not match the admin API spec.", errors)


def _errors(validator: Draft202012Validator, value: Any, location) -> list[dict[str, str]]:
    found = sorted(validator.iter_errors(value), key=lambda error: list(map(str, error.path)))
    return [{"location": location([str(part) for part in error.path]), "message": error.message}
            for error in found]


def _operation(operation_id: str) -> tuple[str, dict[str, Any]]:
    """(JSON pointer of the operation in the spec, the operation)."""
    for path, item in load_spec(ADMIN_SPEC)["paths"].items():
        for method in _METHODS:
            if item.get(method, {}).get("operationId") == operation_id:
                escaped = path.replace("~", "~0").replace("/", "~1")
                return f"/paths/{escaped}/{method}", item[method]
    raise KeyError(operation_id)


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(load_spec(ADMIN_SPEC), default_specification=DRAFT202012)
    return Registry().with_resource(_SPEC_URI, resource)


def _validator(pointer: str) -> Draft202012Validator:
    # A reference into the whole spec, so the schema's own "#/components/..." refs resolve.
    return Draft202012Validator({"$ref": f"{_SPEC_URI}#{pointer}"}, registry=_registry())


@functools.cache
def _body_validator(operation_id: str) -> Draft202012Validator | None:
    pointer, operation = _operation(operation_id)
    if "requestBody" not in operation:
        return None
    return _validator(f"{pointer}/requestBody/content/application~1json/schema")


@functools.cache
def _query_validators(operation_id: str) -> dict[str, Draft202012Validator]:
    _, operation = _operation(operation_id)
    components = load_spec(ADMIN_SPEC).get("components", {}).get("parameters", {})
    validators = {}
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            name = parameter["$ref"].rpartition("/")[2]
            parameter, pointer = components[name], f"/components/parameters/{name}/schema"
        else:
            index = operation["parameters"].index(parameter)
            pointer = f"{_operation(operation_id)[0]}/parameters/{index}/schema"
        if parameter["in"] == "query":
            validators[parameter["name"]] = _validator(pointer)
    return validators
