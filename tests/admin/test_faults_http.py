"""``/__fake/faults`` and ``Prefer`` over HTTP against the real app: vendor bodies, scoping."""

from __future__ import annotations

import uuid
import warnings
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.app import create_app
from assistant_fake.core.fault_middleware import ConnectionDropped
from assistant_fake.core.tenants import tenant_id
from assistant_fake.settings import Settings
from assistant_fake.store import IdGenerator, Store

LOOPBACK = ("127.0.0.1", 50000)  # the admin API answers loopback clients only
DOCS = "https://developers.telnyx.com/docs/overview/errors/{code}"


def telnyx_error(code: str, title: str, detail: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "title": title, "detail": detail,
                        "meta": {"url": DOCS.format(code=code)}}]}



@pytest.fixture
def test_id() -> str:
    return f"test-{uuid.uuid4()}"



def add_fault(client: TestClient, **rule: Any) -> dict[str, Any]:
    response = client.post("/__fake/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def telnyx(client: TestClient, key: str, test_id: str | None = None, method: str = "GET",
           path: str = "/ai/assistants", **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
    if test_id:
        headers["X-Fake-Test-Id"] = test_id
    return client.request(method, "/v2" + path, headers=headers, **kwargs)


def apex(client: TestClient, key: str, test_id: str | None = None, method: str = "GET",
         path: str = "/ai-assistants", **kwargs: Any) -> httpx.Response:
    headers = {"x-api-key": key, **kwargs.pop("headers", {})}
    if test_id:
        headers["X-Fake-Test-Id"] = test_id
    return client.request(method, path, headers=headers, **kwargs)


def test_a_telnyx_503_answers_telnyx_s_error_envelope(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 503})

    response = telnyx(client, key, test_id)

    assert response.status_code == 503
    assert response.json() == telnyx_error("10007", "Unexpected error",
                                           "An unexpected error occurred.")


def test_a_telnyx_429_answers_the_rate_limit_body_and_retry_after(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 429, "retry_after": 30})

    response = telnyx(client, key, test_id)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert response.json() == telnyx_error(
        "10011", "Too many requests", "You have exceeded the maximum number of allowed requests.")


def test_a_telnyx_504_answers_the_request_timeout_error(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 504})

    response = telnyx(client, key, test_id)

    assert response.status_code == 504
    assert response.json() == telnyx_error("10008", "Request timeout", "The request timed out.")


def test_an_achieveapex_429_answers_the_reference_body_and_retry_after(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 429, "retry_after": 42})

    response = apex(client, key, test_id)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert response.json() == {
        "name": "TooManyRequests", "message": "Rate limit exceeded", "code": 429,
        "className": "too-many-requests",
        "data": {"limit": 1000, "current": 1001, "window": 3600, "retryAfter": 42}}


def test_a_429_without_retry_after_still_says_when_to_retry(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 429})

    assert apex(client, key, test_id).headers["Retry-After"] == "1"


@pytest.mark.parametrize(("status", "name", "class_name"), [
    (500, "GeneralError", "general-error"), (502, "BadGateway", "bad-gateway"),
    (503, "Unavailable", "unavailable"), (504, "GatewayTimeout", "gateway-timeout"),
])
def test_achieveapex_server_errors_are_feathers_errors(client, key, test_id, status, name,
                                                       class_name):
    add_fault(client, match={"test_id": test_id}, action={"status": status})

    response = apex(client, key, test_id)

    assert response.status_code == status
    body = response.json()
    assert (body["name"], body["code"], body["className"]) == (name, status, class_name)


def test_a_fault_hits_before_authentication_and_validation(client, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 503})

    response = client.post("/v2/ai/assistants", json={"name": 7},
                           headers={"X-Fake-Test-Id": test_id})

    assert response.status_code == 503


def test_a_rule_scoped_to_a_test_leaves_other_tests_alone(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"status": 503})

    assert telnyx(client, key, f"other-{test_id}").status_code == 200
    assert telnyx(client, key).status_code == 200


def test_a_rule_scoped_to_a_key_leaves_other_tenants_alone(client, key, test_id):
    rule = add_fault(client, match={"key": key}, action={"status": 500}, count=1)

    assert telnyx(client, f"other-{key}").status_code == 200
    assert telnyx(client, key).status_code == 500
    assert rule["match"] == {"tenant": tenant_id(key)}


def test_a_rule_matches_an_operation(client, key, test_id):
    add_fault(client, match={"test_id": test_id, "operation": "create_assistant"},
              action={"status": 503})

    assert telnyx(client, key, test_id).status_code == 200
    assert telnyx(client, key, test_id, "POST", json={"name": "a", "instructions": "b"}
                  ).status_code == 503


def test_a_rule_with_a_count_fires_that_many_times_and_reports_its_hits(client, key, test_id):
    rule = add_fault(client, match={"test_id": test_id}, action={"status": 503}, count=2)

    statuses = [telnyx(client, key, test_id).status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert client.get(f"/__fake/faults/{rule['id']}").json()["hits"] == 2


def test_malformed_answers_200_with_half_the_json(client, key, test_id):
    add_fault(client, match={"test_id": test_id}, action={"malformed": True})

    response = telnyx(client, key, test_id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"dat'
    with pytest.raises(ValueError):
        response.json()


def test_the_journal_names_the_fault_that_fired(client, key, test_id):
    rule = add_fault(client, match={"test_id": test_id}, action={"status": 503})
    telnyx(client, key, test_id)

    [entry] = client.get("/__fake/journal", params={"test_id": test_id}).json()["entries"]

    assert (entry["status"], entry["fault"]) == (503, rule["id"])


def test_rules_are_listed_by_test_and_removed_by_test(client, test_id):
    mine = add_fault(client, match={"test_id": test_id}, action={"status": 503})
    other = add_fault(client, match={"test_id": f"other-{test_id}"}, action={"status": 503})

    assert client.get("/__fake/faults", params={"test_id": test_id}).json() == {"faults": [mine]}
    assert client.delete("/__fake/faults", params={"test_id": test_id}).json() == {"removed": 1}
    assert client.get(f"/__fake/faults/{other['id']}").status_code == 200
    client.delete(f"/__fake/faults/{other['id']}")


def test_a_removed_rule_is_gone(client, key, test_id):
    rule = add_fault(client, match={"test_id": test_id}, action={"status": 503})

    assert client.delete(f"/__fake/faults/{rule['id']}").json() == {"removed": 1}
    assert client.get(f"/__fake/faults/{rule['id']}").status_code == 404
    assert client.delete(f"/__fake/faults/{rule['id']}").status_code == 404
    assert telnyx(client, key, test_id).status_code == 200


def test_a_stored_rule_echoes_what_was_asked(client, test_id):
    rule = add_fault(client, match={"test_id": test_id, "method": "post"},
                     action={"latency_ms": [10, 20], "status": 504}, probability=0.5, seed=3)

    assert rule == {"id": rule["id"], "match": {"test_id": test_id, "method": "POST"},
                    "action": {"status": 504, "latency_ms": [10, 20]}, "count": None,
                    "probability": 0.5, "seed": 3, "hits": 0}
    client.delete(f"/__fake/faults/{rule['id']}")


@pytest.mark.parametrize("rule", [
    {}, {"action": {}}, {"action": {"status": 200}}, {"action": {"status": 503, "drop": True}},
    {"action": {"retry_after": 5}}, {"action": {"latency_ms": [20, 10]}},
    {"action": {"latency_ms": -1}}, {"action": {"drop": False}},
    {"action": {"status": 503}, "count": 0}, {"action": {"status": 503}, "probability": 0},
    {"action": {"status": 503}, "match": {"api": "acme"}},
    {"action": {"status": 503}, "match": {"key": "k", "tenant": "t"}},
    {"action": {"status": 503}, "match": {"colour": "red"}}, [], "503",
])
def test_an_invalid_rule_answers_400_and_adds_nothing(client, rule):
    before = client.get("/__fake/faults").json()

    response = client.post("/__fake/faults", json=rule)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert client.get("/__fake/faults").json() == before


def test_a_body_that_is_not_json_answers_400(client):
    response = client.post("/__fake/faults", content=b"{nope",
                           headers={"Content-Type": "application/json"})

    assert response.status_code == 400


def test_prefer_code_answers_the_vendor_error_for_that_request_only(client, key):
    response = apex(client, key, headers={"Prefer": "code=503"})

    assert response.status_code == 503
    assert response.json()["className"] == "unavailable"
    assert apex(client, key).status_code == 200


def test_prefer_with_a_success_code_is_ignored(client, key):
    assert telnyx(client, key, headers={"Prefer": "code=201"}).status_code == 200


def test_an_unscoped_rule_is_global():
    with TestClient(create_app(), raise_server_exceptions=False, client=LOOPBACK) as client:
        add_fault(client, action={"status": 503})

        assert telnyx(client, "any-key", "any-test").status_code == 503
        assert apex(client, "another-key").status_code == 503
        assert client.get("/__fake/health").status_code == 200  # never the admin API


def test_a_seeded_store_seeds_each_rule():
    store = Store(ids=IdGenerator(seed=5))
    with TestClient(create_app(Settings(), store=store), client=LOOPBACK) as client:
        rule = add_fault(client, action={"status": 503}, probability=0.5)

        assert rule["seed"] == 5


def test_an_in_process_client_sees_a_dropped_connection_as_an_error():
    with TestClient(create_app(), client=LOOPBACK) as client:
        add_fault(client, action={"drop": True})

        with pytest.raises(ConnectionDropped):
            client.get("/v2/ai/assistants")
