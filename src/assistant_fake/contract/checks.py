"""The project's own Schemathesis check and failure filter, tuned to the vendors' real behaviour.

* ``auth_required`` replaces the built-in ``ignored_auth``. The built-in one also probes with an
  invalid key and expects 401, but the fake (by design) turns ANY non-empty key into an account,
  so that probe can never hold against it. What does hold for both the fake and the real services:
  a request without the key, or with an empty one, is answered 401 before anything else.
* ``lax_coercion_filter`` drops "schema-violating request accepted" failures whose only violation
  is a wrong JSON type that pydantic's lax mode coerces (``0`` for a boolean, ``"5"`` for an
  integer): the real FastAPI services accept exactly those, so the fake has to as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.core.mutations import OperatorKind

if TYPE_CHECKING:
    from schemathesis.checks import CheckContext
    from schemathesis.core.transport import Response
    from schemathesis.generation.case import Case

    from assistant_fake.contract.apis import ContractApi

class AuthNotEnforced(Failure):
    """An operation answered something other than 401 to a request without a usable key."""

    def __init__(self, *, operation: str, message: str, variant: str) -> None:
        self.operation = operation
        self.title = "Request without a usable API key not rejected with 401"
        self.message = message
        self.case_id = None
        self.severity = None
        self.variant = variant

    @property
    def _unique_key(self) -> str:
        return f"{self.operation}:{self.variant}"


# The check is registered process-wide (Schemathesis has no per-schema checks), so it only acts
# on schemas a contract run has enrolled: their raw spec object -> (API, operations probed).
_ENROLLED: dict[int, tuple[ContractApi, set[tuple[str, str]]]] = {}


def enroll(raw_schema: dict[str, Any], api: ContractApi) -> None:
    _ENROLLED[id(raw_schema)] = (api, set())


def withdraw(raw_schema: dict[str, Any]) -> None:
    _ENROLLED.pop(id(raw_schema), None)


@schemathesis.check
def auth_required(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """An operation that accepted the run's key must answer 401 without one or with an empty one."""
    enrolled = _ENROLLED.get(id(case.operation.schema.raw_schema))
    if enrolled is None or not 200 <= response.status_code < 300 or not _declares_auth(case):
        return None  # only a request the service accepted proves the operation is reachable
    api, probed = enrolled
    label = case.operation.label
    for variant, value in (("missing", None), ("empty", _empty_key(api))):
        # One confirmation per operation: the engine calls checks for every generated case.
        if (label, variant) in probed:
            continue
        probed.add((label, variant))
        headers = {k: v for k, v in (case.headers or {}).items()
                   if k.lower() != api.auth_header.lower()}
        if value is not None:
            headers[api.auth_header] = value
        # The engine adds the configured key as a transport header, not to the case, so a
        # derived case sent on its own carries exactly these headers.
        answer = case.derive(headers=headers).call()
        if answer.status_code != 401:
            raise AuthNotEnforced(
                operation=label, variant=variant,
                message=f"A request with a {variant} `{api.auth_header}` header answered "
                        f"{answer.status_code}; expected 401",
            )
    return None


def _declares_auth(case: Case) -> bool:
    return any(True for _ in case.operation.security.iter_parameters())


def _empty_key(api: ContractApi) -> str:
    # "Bearer " for Telnyx (a scheme without a token), "" for AchieveApex's bare key header.
    return f"{api.auth_scheme} " if api.auth_scheme else ""


# --- negative data that the real service accepts --------------------------------------------

def make_lax_coercion_filter(spec: dict[str, Any]):
    """A ``filter_failure`` hook for ``spec``: keep every failure except coercible type changes."""

    def lax_coercion_filter(context: Any, failure: Failure, case: Case, response: Response) -> bool:
        if not isinstance(failure, AcceptedNegativeData) or case.meta is None:
            return True
        return not _only_coercible_type_changes(spec, case)

    return lax_coercion_filter


def _only_coercible_type_changes(spec: dict[str, Any], case: Case) -> bool:
    data = case.meta.phase.data  # type: ignore[union-attr]
    if str(getattr(data, "parameter_location", "")).lower().endswith("query") and data.parameter:
        return _coercible_query(spec, case, data.parameter)
    body_schema = _body_schema(spec, case)
    if body_schema is None or not isinstance(case.body, dict):
        return False
    # The coverage phase names one changed leaf by its schema pointer; fuzzing lists mutations.
    pointers: list[str] = []
    if data.mutations:
        if any(m.operator != OperatorKind.CHANGE_TYPE for m in data.mutations):
            return False
        pointers = [m.schema_pointer for m in data.mutations]
    elif getattr(data, "description", "").endswith("Incorrect type") and data.location:
        pointers = [data.location]
    if not pointers:
        return False
    try:
        return all(_coercible_at(spec, body_schema, pointer, case.body) for pointer in pointers)
    except (KeyError, IndexError, ValueError, TypeError):
        return False  # a pointer this walker cannot follow: keep the failure, never guess


def _coercible_query(spec: dict[str, Any], case: Case, name: str) -> bool:
    """A query value (the last one, as FastAPI reads a repeated scalar) that lax mode accepts."""
    operation = spec["paths"].get(case.operation.path, {})
    parameters = [*operation.get("parameters", []),
                  *operation.get(case.method.lower(), {}).get("parameters", [])]
    for parameter in map(lambda p: _resolve(spec, p), parameters):
        if parameter.get("in") == "query" and parameter.get("name") == name:
            value = (case.query or {}).get(name)
            if isinstance(value, list) and value:
                value = value[-1]
            return _lax_accepts(_resolve(spec, parameter.get("schema", {})), value)
    return False


def _body_schema(spec: dict[str, Any], case: Case) -> dict[str, Any] | None:
    operation = spec["paths"].get(case.operation.path, {}).get(case.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    return _resolve(spec, media.get("schema")) if media else None


def _resolve(spec: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def _coercible_at(spec: dict[str, Any], root: dict[str, Any], pointer: str, body: Any) -> bool:
    """Whether the body's value under ``pointer`` (ending in ``/type``) passes pydantic lax mode."""
    parts = [p for p in pointer.split("/") if p]
    if not parts or parts[-1] != "type":
        return False
    return _walk(spec, root, parts[:-1], body)


def _walk(spec: dict[str, Any], schema: Any, parts: list[str], value: Any) -> bool:
    schema = _resolve(spec, schema)
    if not parts:
        return _lax_accepts(schema, value)
    part = parts[0]
    if part == "properties":
        name = parts[1]
        if not isinstance(value, dict) or name not in value:
            return False
        return _walk(spec, schema["properties"][name], parts[2:], value[name])
    if part in ("allOf", "anyOf", "oneOf"):
        index = int(parts[1])
        candidates = []
        if index < len(schema.get(part, [])):
            candidates.append(schema[part][index])
        if index == 0:
            # Schemathesis's bundler wraps a resolved `$ref` as `allOf: [target]`, which the
            # spec does not have; a schema with its own `allOf` makes `allOf/0` ambiguous
            # (`/allOf/0/allOf/1/...` is the wrapper, then the schema's second member), so
            # both readings are tried.
            candidates.append(schema)
        return any(_walk_or_false(spec, candidate, parts[2:], value) for candidate in candidates)
    if part == "items" and isinstance(value, list):
        # The pointer names the item schema, not the item: every item must be coercible.
        return all(_walk(spec, schema["items"], parts[1:], item) for item in value)
    return False  # additionalProperties, prefixItems...: not worth guessing, keep the failure


def _walk_or_false(spec: dict[str, Any], schema: Any, parts: list[str], value: Any) -> bool:
    try:
        return _walk(spec, schema, parts, value)
    except (KeyError, IndexError, ValueError, TypeError):
        return False


def _lax_accepts(schema: dict[str, Any], value: Any) -> bool:
    from datetime import datetime

    from pydantic import TypeAdapter, ValidationError

    types = schema.get("type")
    for json_type in types if isinstance(types, list) else [types]:
        python_type: Any = {"boolean": bool, "integer": int, "number": float}.get(json_type or "")
        if json_type == "string" and schema.get("format") == "date-time":
            python_type = datetime  # pydantic also takes a Unix timestamp for a datetime
        if python_type is None:
            continue  # plain strings, objects, arrays: lax mode does not coerce into them
        try:
            TypeAdapter(python_type).validate_python(value)
        except ValidationError:
            continue
        return True
    return False
