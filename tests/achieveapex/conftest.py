"""Helpers of the AchieveApex HTTP specification tests (``test_http_*.py``).

Test modules cannot import a conftest (``--import-mode=importlib``), so the helpers come as
fixtures: ``apex`` (a client with the test's own API key, hence its own organisation),
``apex_as`` (a client for any key), ``feathers`` (the exact Feathers error bodies) and ``clock``
(the app's store clock, frozen at ``FROZEN_AT``). Every answer a client gets is checked against
the spec: never a 5xx, always JSON, and a body that fits the response schema the spec declares
for that operation and status. The state-layer unit tests share ``store``, ``caller`` and ``other``
(at the end of this file).
"""

from __future__ import annotations

import functools
import re
import uuid
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from assistant_fake.admin.handlers import APP_STATE_KEY
from assistant_fake.core.specs import load_spec
from assistant_fake.store import Clock, Store
from assistant_fake.vendors.achieveapex.assistants import AiAssistants, ChangeHistory
from assistant_fake.vendors.achieveapex.organizations import Organizations
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.validation import SPEC_FILE, dereference

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FROZEN_AT = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)
"""Where ``clock`` freezes the store's clock (the reference's own example instant)."""
FROZEN_STAMP = "2026-04-25T19:00:00.000Z"
_METHODS = ("get", "post", "put", "patch", "delete")


# --- the spec's response schemas --------------------------------------------------------------

@functools.cache
def _operations() -> tuple[tuple[re.Pattern[str], str, dict[str, Any]], ...]:
    """(path regex, method, dereferenced operation) for every operation of the spec."""
    spec = dereference(load_spec(SPEC_FILE))
    found = []
    for template, item in spec["paths"].items():
        regex = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        found += [(regex, method.upper(), item[method]) for method in _METHODS if method in item]
    return tuple(found)


@functools.cache
def _response_validator(method: str, path: str, status: int) -> Draft202012Validator | None:
    for regex, routed_method, operation in _operations():
        if routed_method == method and regex.match(path):
            declared = operation["responses"].get(str(status))
            if declared is None:
                raise AssertionError(f"{method} {path} answered {status}, which the spec does "
                                     f"not declare for {operation['operationId']}")
            schema = declared["content"]["application/json"]["schema"]
            return Draft202012Validator(schema, format_checker=FormatChecker())
    return None  # a path or method the spec does not route (404 and 405 are checked by tests)


def check_answer(response: httpx.Response) -> None:
    """No 5xx, a JSON body, and a body the spec's response schema accepts."""
    request = response.request
    assert response.status_code < 500, f"{request.method} {request.url}: {response.text}"
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    if response.status_code == 413:
        return  # the gateway's, before any operation (the spec declares it nowhere)
    if b"%24select" in request.url.query or b"$select" in request.url.query:
        return  # Feathers' $select answers partial records; the spec does not document it
    validator = _response_validator(request.method, request.url.path, response.status_code)
    if validator is not None:
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in validator.iter_errors(body)]
        assert not problems, f"{request.method} {request.url} {response.status_code}: {problems}"


# --- clients ----------------------------------------------------------------------------------

class ApexHTTP:
    """Requests to AchieveApex (served at the root) with one ``x-api-key``; raw answers, each
    checked by ``check_answer``."""

    def __init__(self, client: TestClient, key: str | None) -> None:
        self.client = client
        self.key = key

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        own = {"x-api-key": self.key} if self.key is not None else {}
        return {**own, **(extra or {})}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        kwargs["headers"] = self.headers(kwargs.get("headers"))
        response = self.client.request(method, path, **kwargs)
        check_answer(response)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.text}"
        return response.json()

    @functools.cached_property
    def organization_id(self) -> int:
        """The key's organisation, learned as a client does: ``GET /organizations``."""
        return self.ok("GET", "/organizations")["data"][0]["id"]

    def create(self, path: str, **fields: Any) -> dict[str, Any]:
        return self.ok("POST", path, 201,
                       json={"organization_id": self.organization_id, **fields})

    def create_assistant(self, **fields: Any) -> dict[str, Any]:
        return self.create("/ai-assistants", **{
            "name": "Support bot", "assistant_type": "conversation", "ai_model_id": 1, **fields})

    def create_skill(self, assistant_id: int, **fields: Any) -> dict[str, Any]:
        return self.create("/ai-assistant-skills", **{
            "assistant_id": assistant_id, "name": "Refunds", "content": "Refund within 30 days.",
            **fields})

    def create_api_tool(self, **fields: Any) -> dict[str, Any]:
        return self.create("/api-tools", **{
            "name": "Order status", "description": "Looks an order up.",
            "endpoint": "https://shop.example.com/orders/{order_id}", "method": "GET", **fields})

    def service_id(self) -> int:
        """The first service of the organisation's (seeded) catalogue."""
        return self.ok("GET", "/reservation-services")["data"][0]["id"]

    def create_reservation(self, start: str, end: str, **fields: Any) -> dict[str, Any]:
        return self.create("/reservations", **{
            "service_id": self.service_id(), "start_time": start, "end_time": end, **fields})

    def patch_assistant(self, assistant_id: int, **fields: Any) -> dict[str, Any]:
        return self.ok("PATCH", f"/ai-assistants/{assistant_id}", json=fields)

    def history(self, assistant_id: int, *pairs: tuple[str, str]) -> dict[str, Any]:
        """The assistant's snapshots, oldest first unless ``pairs`` say otherwise."""
        given = {key for key, _ in pairs}
        defaults = [(k, v) for k, v in (("ai_assistant_id", str(assistant_id)), ("$limit", "50"))
                    if k not in given]
        params = [*defaults, *pairs]
        return self.ok("GET", "/ai-assistants-change-history", params=params)


def new_key() -> str:
    return f"apex-test-{uuid.uuid4()}"


@pytest.fixture
def apex(http: TestClient, api_key: str) -> ApexHTTP:
    return ApexHTTP(http, api_key)


@pytest.fixture(scope="session")
def apex_as(http: TestClient):
    """A client for any key (``apex_as("k")``; ``apex_as(None)`` sends none); ``apex_as()`` is a
    brand-new key, so a brand-new organisation. Session-scoped, so Hypothesis tests can use it."""
    return lambda key=...: ApexHTTP(http, new_key() if key is ... else key)


@pytest.fixture(scope="session")
def client_for():
    """``client_for(app)``: an ``ApexHTTP`` factory over another app (settings of its own)."""

    def make(app: Any) -> Any:
        client = TestClient(app, raise_server_exceptions=False)
        return lambda key=...: ApexHTTP(client, new_key() if key is ... else key)

    return make


# --- errors -----------------------------------------------------------------------------------

class FeathersErrors:
    """The exact Feathers error bodies AchieveApex answers, to compare with ``response.json()``."""

    not_authenticated = {"name": "NotAuthenticated", "message": "Invalid API key", "code": 401,
                         "className": "not-authenticated"}
    payload_too_large = {"name": "PayloadTooLarge", "message": "request entity too large",
                         "code": 413, "className": "payload-too-large"}

    @staticmethod
    def not_found(record_id: Any) -> dict[str, Any]:
        return {"name": "NotFound", "message": f"No record found for id '{record_id}'",
                "code": 404, "className": "not-found"}

    @staticmethod
    def no_path(path: str) -> dict[str, Any]:
        return {"name": "NotFound", "message": f"Path {path} not found", "code": 404,
                "className": "not-found"}

    @staticmethod
    def method_not_allowed(feathers_method: str) -> dict[str, Any]:
        return {"name": "MethodNotAllowed",
                "message": f"Method `{feathers_method}` is not supported by this endpoint.",
                "code": 405, "className": "method-not-allowed"}

    @staticmethod
    def bad_request(message: str, *data: dict[str, Any]) -> dict[str, Any]:
        """A rule's 400: without ``data`` unless violations are given."""
        body: dict[str, Any] = {"name": "BadRequest", "message": message, "code": 400,
                                "className": "bad-request"}
        if data:
            body["data"] = list(data)
        return body

    def validation_failed(self, *violations: dict[str, Any]) -> dict[str, Any]:
        return self.bad_request("validation failed", *violations)

    def query_error(self, message: str, instance_path: str) -> dict[str, Any]:
        """The query engine's 400 (an operator, field or filter Feathers refuses)."""
        return self.bad_request(message, {"location": "query", "instancePath": instance_path,
                                          "message": message})

    def invalid_json(self, message: str) -> dict[str, Any]:
        return self.bad_request(message, {"location": "body", "instancePath": "",
                                          "message": message})

    @staticmethod
    def too_many_requests(*, limit: int, current: int, window: int,
                          retry_after: int) -> dict[str, Any]:
        return {"name": "TooManyRequests", "message": "Rate limit exceeded", "code": 429,
                "className": "too-many-requests",
                "data": {"limit": limit, "current": current, "window": window,
                         "retryAfter": retry_after}}


def violation(location: str, instance_path: str, schema_path: str, keyword: str,
              params: dict[str, Any], message: str) -> dict[str, Any]:
    """One AJV error object as the API lists it."""
    return {"location": location, "instancePath": instance_path, "schemaPath": schema_path,
            "keyword": keyword, "params": params, "message": message}


@pytest.fixture(scope="session")
def feathers() -> FeathersErrors:
    return FeathersErrors()


@pytest.fixture(scope="session")
def ajv_error():
    """``ajv_error(location, instancePath, schemaPath, keyword, params, message)``."""
    return violation


# --- time -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def store_clock(app) -> Clock:
    """The app's clock, untouched (Hypothesis tests freeze and unfreeze it themselves)."""
    return app.app.config[APP_STATE_KEY].store.clock


@pytest.fixture
def clock(store_clock: Clock) -> Iterator[Clock]:
    """The app's clock frozen at ``FROZEN_AT``; unfrozen again after the test."""
    store_clock.freeze(FROZEN_AT)
    yield store_clock
    store_clock.unfreeze()


@pytest.fixture(scope="session")
def frozen_stamp() -> str:
    """``FROZEN_AT`` as the API writes timestamps."""
    return FROZEN_STAMP


# --- the state-layer unit tests (no HTTP) -----------------------------------------------------

@pytest.fixture
def store() -> Store:
    """A fresh store, its clock frozen at 2026-05-01T12:00:00.000Z (test files whose
    expectations use another instant define their own ``store``)."""
    store = Store()
    store.clock.freeze(datetime(2026, 5, 1, 12, tzinfo=UTC))
    return store


@pytest.fixture
def caller(store: Store) -> Caller:
    return Organizations(store).register("key-a")


@pytest.fixture
def other(store: Store) -> Caller:
    return Organizations(store).register("key-b")


@pytest.fixture
def assistants(store: Store) -> AiAssistants:
    """The AI assistants service over the test's ``store``."""
    return AiAssistants(store)


@pytest.fixture
def history(store: Store) -> ChangeHistory:
    """The change-history service over the test's ``store``."""
    return ChangeHistory(store)
