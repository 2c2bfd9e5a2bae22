"""The AchieveApex spec and its implementation cover each other.

The spec is a valid OpenAPI 3.1 document; every operationId has a handler (and every public
handler is an operation of the spec); every operation has a request validator; every operation
is routed by the real app (an unrouted one would answer "Path ... not found" before the key is
even looked at, instead of the 401 asserted here). The 405s of the methods a path does not serve
are in ``test_http_errors.py``.
"""

from __future__ import annotations

import inspect

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from assistant_fake.core.specs import load_spec
from assistant_fake.vendors.achieveapex import handlers
from assistant_fake.vendors.achieveapex.validation import SPEC_FILE, operation_validators

SPEC = load_spec(SPEC_FILE)
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
OPERATIONS = {operation["operationId"]: (method.upper(), path)
              for path, item in SPEC["paths"].items()
              for method, operation in item.items() if method in METHODS}


def test_the_spec_validates_under_openapi_spec_validator():
    validate(SPEC)


def test_the_spec_is_checked_as_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    assert list(OpenAPIV31SpecValidator(SPEC).iter_errors()) == []


def test_operation_ids_are_unique():
    ids = [operation["operationId"] for item in SPEC["paths"].values()
           for method, operation in item.items() if method in METHODS]
    assert len(ids) == len(set(ids)) == len(OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_id_has_a_handler(operation_id):
    assert callable(getattr(handlers, operation_id, None))


def test_every_public_handler_is_an_operation_of_the_spec():
    public = {name for name, member in inspect.getmembers(handlers, inspect.isfunction)
              if not name.startswith("_") and member.__module__ == handlers.__name__}
    assert public == set(OPERATIONS)


def test_every_operation_has_a_request_validator():
    assert set(operation_validators(SPEC_FILE)) == set(OPERATIONS)


def test_every_operation_declares_the_errors_every_request_can_get():
    missing = [(operation_id, status) for operation_id, (method, path) in OPERATIONS.items()
               for status in ("400", "401", "429")
               if status not in SPEC["paths"][path][method.lower()]["responses"]]
    assert missing == []


def test_every_per_id_operation_declares_404():
    missing = [operation_id for operation_id, (method, path) in OPERATIONS.items()
               if "{id}" in path and "404" not in SPEC["paths"][path][method.lower()]["responses"]]
    assert missing == []


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_is_routed_by_the_app(apex_as, feathers, operation_id):
    method, path = OPERATIONS[operation_id]
    response = apex_as(None).request(method, path.replace("{id}", "1"))
    assert (response.status_code, response.json()) == (401, feathers.not_authenticated)
