"""Security, generated from the specs: keys are required everywhere, tenants never meet.

* Every operation of both specs (read from the spec, so a new operation is covered the day it is
  added) refuses a request without a key, or with an empty one, with the vendor's exact 401.
* Isolation as a Hypothesis property: tenant A owns one record of every kind; tenant B sends
  requests Schemathesis generates from the spec for random operations, with every path
  parameter set to one of A's ids. For B, A's ids must be indistinguishable from ids nobody has
  (the same status and body as the same request with unknown ids), nothing B lists names one
  of A's records, and A reads back exactly what it read before.
"""

from __future__ import annotations

import copy
import functools
import re
import uuid
import warnings
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core import NOT_SET

from assistant_fake.core.specs import load_spec

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TELNYX_SPEC = "telnyx-ai-assistants.yaml"
APEX_SPEC = "achieveapex-ai-assistants.yaml"
TELNYX_401 = {"errors": [{
    "code": "10009", "title": "Authentication failed",
    "detail": "The required authentication headers were either invalid or not included in the "
              "request.",
    "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10009"}}]}
APEX_401 = {"name": "NotAuthenticated", "message": "Invalid API key", "code": 401,
            "className": "not-authenticated"}
_METHODS = ("get", "put", "post", "delete", "patch")


def spec_operations(spec_file: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path template, operation) for every operation the spec declares."""
    return [(method.upper(), path, operation)
            for path, item in load_spec(spec_file)["paths"].items()
            for method, operation in item.items() if method in _METHODS]


def placeholder_path(path: str) -> str:
    """The template with every parameter filled in by a value of the right type."""
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1) == "id" else f"unknown-{m.group(1)}",
                  path)


# --- a key is required everywhere -------------------------------------------------------------

KEYLESS = {
    "telnyx": ("/v2", TELNYX_SPEC, TELNYX_401,
               {"no header": {}, "empty key": {"Authorization": "Bearer "}}),
    "achieveapex": ("", APEX_SPEC, APEX_401, {"no header": {}, "empty key": {"x-api-key": ""}}),
}
KEYLESS_CASES = [(api, method, path, variant)
                 for api, (_, spec, _, variants) in KEYLESS.items()
                 for method, path, _ in spec_operations(spec) for variant in variants]


@pytest.mark.parametrize(("api", "method", "path", "variant"), KEYLESS_CASES,
                         ids=[f"{a} {m} {p} {v}" for a, m, p, v in KEYLESS_CASES])
def test_every_operation_refuses_a_request_without_a_key_with_the_vendors_401(http, api, method,
                                                                              path, variant):
    base, _, expected, variants = KEYLESS[api]
    response = http.request(method, base + placeholder_path(path), headers=variants[variant],
                            json={} if method in ("POST", "PUT", "PATCH") else None)
    assert response.status_code == 401
    assert response.json() == expected


# --- tenant A's records -----------------------------------------------------------------------

class TelnyxTenant:
    """One Telnyx account holding one record of every kind the spec addresses by id."""

    base, auth_header, spec_file = "/v2", "Authorization", TELNYX_SPEC

    def __init__(self, http, key: str) -> None:
        self.http, self.key = http, key

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, self.base + path, headers=self.headers(), json=body)
        assert 200 <= response.status_code < 300, response.text
        return response.json() if "json" in response.headers.get("content-type", "") else None

    def populate(self) -> dict[str, str]:
        assistant = self.ok("POST", "/ai/assistants", {"name": "A", "instructions": "Help."})["id"]
        version = self.ok("POST", f"/ai/assistants/{assistant}",
                          {"instructions": "Other.", "promote_to_main": False})["version_id"]
        self.ok("PUT", f"/ai/assistants/{assistant}/tools/tool-of-a")
        self.ok("POST", f"/ai/assistants/{assistant}/tags", {"tag": "tag-of-a"})
        event = self.ok("POST", f"/ai/assistants/{assistant}/scheduled_events", {
            "telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550100",
            "telnyx_agent_target": "+13125550199",
            "scheduled_at_fixed_datetime": "2031-12-01T09:00:00Z"})["scheduled_event_id"]
        test = self.ok("POST", "/ai/assistants/tests", {
            "name": "Greets", "destination": "+13125550100", "instructions": "Say hello.",
            "test_suite": "suite-of-a",
            "rubric": [{"name": "greeting", "criteria": "Greets."}]})["test_id"]
        run = self.ok("POST", f"/ai/assistants/tests/{test}/runs", {})["run_id"]
        return {"assistant_id": assistant, "version_id": version, "tool_id": "tool-of-a",
                "tag": "tag-of-a", "event_id": event, "test_id": test, "run_id": run,
                "suite_name": "suite-of-a"}

    def view(self, ids: dict[str, str]) -> list[Any]:
        assistant, test = ids["assistant_id"], ids["test_id"]
        paths = ["/ai/assistants", "/ai/assistants/tags", "/ai/assistants/tests",
                 f"/ai/assistants/{assistant}", f"/ai/assistants/{assistant}/versions",
                 f"/ai/assistants/{assistant}/scheduled_events", f"/ai/assistants/tests/{test}",
                 f"/ai/assistants/tests/{test}/runs",
                 f"/ai/assistants/tests/test-suites/{ids['suite_name']}/runs"]
        return [self.ok("GET", path) for path in paths]

    @staticmethod
    def unknown_ids(ids: dict[str, str]) -> dict[str, str]:
        return {name: f"unknown-{uuid.uuid4()}" for name in ids}

    @staticmethod
    def masked(text: str, ids: dict[str, str]) -> str:
        for value in ids.values():
            text = text.replace(value, "<id>")
        return text


class ApexTenant(TelnyxTenant):
    """One AchieveApex organisation holding one record of every kind the spec addresses by id."""

    base, auth_header, spec_file = "", "x-api-key", APEX_SPEC

    def headers(self) -> dict[str, str]:
        return {"x-api-key": self.key}

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, path, headers=self.headers(), json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def populate(self) -> dict[str, str]:
        org = self.ok("GET", "/organizations")["data"][0]["id"]
        assistant = self.ok("POST", "/ai-assistants", {
            "organization_id": org, "name": "A", "assistant_type": "conversation",
            "ai_model_id": 1})["id"]
        skill = self.ok("POST", "/ai-assistant-skills", {
            "organization_id": org, "assistant_id": assistant, "name": "Refunds",
            "content": "Within 30 days."})["id"]
        tool = self.ok("POST", "/api-tools", {
            "organization_id": org, "name": "Orders", "description": "Looks orders up.",
            "endpoint": "https://shop.example.com/orders", "method": "GET"})["id"]
        snapshot = self.ok("GET", "/ai-assistants-change-history",
                           None)["data"][0]["id"]
        service = self.ok("GET", "/reservation-services")["data"][0]["id"]
        reservation = self.ok("POST", "/reservations", {
            "organization_id": org, "service_id": service,
            "start_time": "2031-06-02T09:00:00Z", "end_time": "2031-06-02T09:30:00Z"})["id"]
        return {"/ai-assistants/{id}": assistant, "/ai-assistant-skills/{id}": skill,
                "/api-tools/{id}": tool, "/ai-assistants-change-history/{id}": snapshot,
                "/reservations/{id}": reservation, "organization_id": org,
                "service_id": service}

    def view(self, ids: dict[str, Any]) -> list[Any]:
        lists = ["/ai-assistants", "/ai-assistants-change-history", "/ai-assistant-skills",
                 "/api-tools", "/reservations", "/organizations"]
        records = [path.replace("{id}", str(ids[path])) for path in ids if "{id}" in path]
        return [self.ok("GET", path) for path in lists + records]

    @staticmethod
    def unknown_ids(ids: dict[str, Any]) -> dict[str, Any]:
        return {name: 10**9 + index for index, name in enumerate(ids)}

    @staticmethod
    def masked(text: str, ids: dict[str, Any]) -> str:
        # Feathers names an id in its 404 message: "No record found for id '7'".
        return re.sub(r"for id '\d+'", "for id '<id>'", text)


# --- B against A's ids --------------------------------------------------------------------------

@functools.cache
def operation_strategies(spec_file: str) -> dict[str, st.SearchStrategy]:
    """Schemathesis's generated requests (positive data) for each operation of the spec."""
    # Schemathesis edits the raw document it is given; load_spec's copy is shared.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(load_spec(spec_file)))
    return {operation.label: operation.as_strategy()
            for operation in (result.ok() for result in schema.get_all_operations())}


REFERENCES = {"organization_id": "organization_id", "assistant_id": "/ai-assistants/{id}",
              "ai_assistant_id": "/ai-assistants/{id}", "service_id": "service_id",
              "change_history_id": "/ai-assistants-change-history/{id}",
              "version_id": "version_id", "test_id": "test_id"}
"""Body and query members that name a record: aimed at A's ids too, where the id is known."""


def aimed(values: Any, ids: dict[str, Any]) -> tuple[Any, bool]:
    """``values`` (a body or query) with its references set from ``ids``; and whether any was."""
    if not isinstance(values, dict):
        return values, False
    found = {k: ids[REFERENCES[k]] for k in values if REFERENCES.get(k) in ids}
    return {**values, **found}, bool(found)


def send_as(tenant: TelnyxTenant, case: Any, ids: dict[str, Any]) -> tuple[Any, bool]:
    """``case`` sent with ``tenant``'s key, its path parameters and references taken from
    ``ids`` (Telnyx names them by parameter; AchieveApex's ``{id}`` is the id of the path's
    resource); and whether it names any record."""
    path = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), ids.get(case.path))),
                  case.path)
    headers = {k: v for k, v in (case.headers or {}).items()
               if k.lower() != tenant.auth_header.lower()}
    sends_json = case.media_type and "json" in case.media_type and case.body is not NOT_SET
    body, in_body = aimed(case.body, ids) if sends_json else (None, False)
    query, in_query = aimed(case.query or {}, ids)
    response = tenant.http.request(case.method, tenant.base + path, params=query or None,
                                   headers={**headers, **tenant.headers()}, json=body)
    return response, "{" in case.path or in_body or in_query


class World:
    """Tenant A with its records, what A sees, and ids nobody has; B, another tenant."""

    def __init__(self, tenant_class: type[TelnyxTenant], http) -> None:
        self.a = tenant_class(http, f"a-{uuid.uuid4()}")
        self.b = tenant_class(http, f"b-{uuid.uuid4()}")
        self.ids = self.a.populate()
        self.unknown = self.a.unknown_ids(self.ids)
        self.a.view(self.ids)  # a first read settles what reading settles (a test run's result)
        self.seen_by_a = self.a.view(self.ids)

    def check(self, case: Any) -> None:
        with_a, names_a_record = send_as(self.b, case, self.ids)
        assert with_a.status_code < 500, with_a.text
        if names_a_record:  # the same request aimed at ids nobody has answers the same
            with_unknown, _ = send_as(self.b, case, self.unknown)
            assert with_a.status_code == with_unknown.status_code, with_a.text
            assert (self.a.masked(with_a.text, self.ids)
                    == self.a.masked(with_unknown.text, self.unknown))
        else:  # lists and creates name none of A's records
            named = [v for v in self.ids.values() if isinstance(v, str)]
            assert not any(value in with_a.text for value in named), with_a.text
        assert self.a.view(self.ids) == self.seen_by_a


@pytest.fixture(scope="module")
def worlds(app) -> dict[str, World]:
    with TestClient(app, raise_server_exceptions=False) as http:
        yield {TELNYX_SPEC: World(TelnyxTenant, http), APEX_SPEC: World(ApexTenant, http)}


ISOLATION_CASES = [(spec, label) for spec in (TELNYX_SPEC, APEX_SPEC)
                   for label in operation_strategies(spec)]


@pytest.mark.parametrize(("spec", "operation"), ISOLATION_CASES,
                         ids=[f"{s.split('-')[0]} {o}" for s, o in ISOLATION_CASES])
def test_another_tenants_ids_are_indistinguishable_from_unknown_ones(worlds, spec, operation):
    world = worlds[spec]

    @settings(max_examples=4, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded in time
              suppress_health_check=list(HealthCheck))
    @given(case=operation_strategies(spec)[operation])
    def b_never_meets_a(case) -> None:
        world.check(case)

    b_never_meets_a()


def test_the_keyless_table_covers_every_operation_of_both_specs():
    counted = {api: sum(1 for case in KEYLESS_CASES if case[0] == api) for api in KEYLESS}
    assert counted == {"telnyx": 2 * len(spec_operations(TELNYX_SPEC)),
                       "achieveapex": 2 * len(spec_operations(APEX_SPEC))}
