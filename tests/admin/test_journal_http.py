"""``/__fake/journal`` over HTTP against the real app: what is journaled, redaction, filters."""

from __future__ import annotations

import json
import uuid
import warnings
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.app import create_app
from assistant_fake.core.journal import BODY_CAP
from assistant_fake.core.tenants import tenant_id
from assistant_fake.settings import Settings

LOOPBACK = ("127.0.0.1", 50000)  # the admin API answers loopback clients only

ASSISTANT = {"name": "Support", "instructions": "Help the caller."}




def telnyx(client: TestClient, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
    return client.request(method, "/v2" + path, headers=headers, **kwargs)


def apex(client: TestClient, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"x-api-key": key, **kwargs.pop("headers", {})}
    return client.request(method, path, headers=headers, **kwargs)


def journal(client: TestClient, view: str = "/journal", **filters: Any) -> dict[str, Any]:
    response = client.get("/__fake" + view, params=filters)
    assert response.status_code == 200, response.text
    return response.json()


def entries(client: TestClient, key: str, **filters: Any) -> list[dict[str, Any]]:
    return journal(client, key=key, **filters)["entries"]


def test_a_request_is_journaled_with_its_operation_tenant_bodies_and_status(client, key):
    created = telnyx(client, key, "POST", "/ai/assistants", json=ASSISTANT).json()

    [entry] = entries(client, key)

    assert entry["api"] == "telnyx"
    assert entry["operation"] == "create_assistant"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/v2/ai/assistants", 200)
    assert entry["tenant"] == tenant_id(key)
    assert entry["matched"] is True
    assert entry["request"]["body"] == ASSISTANT
    assert entry["response"]["body"] == created
    assert entry["duration_ms"] >= 0


def test_the_query_string_is_kept_as_sent(client, key):
    apex(client, key, "GET", "/ai-assistants", params={"$limit": "5", "name": "x"})

    [entry] = entries(client, key)

    assert entry["query"] == "%24limit=5&name=x"


def test_a_request_the_gateway_refuses_is_journaled_with_its_operation(client, key):
    telnyx(client, key, "POST", "/ai/assistants", json={"name": 7})

    [entry] = entries(client, key)

    assert (entry["operation"], entry["status"]) == ("create_assistant", 422)
    assert entry["response"]["body"]["detail"][0]["loc"] == ["body", "name"]


def test_a_request_without_a_key_is_journaled_without_a_tenant(client):
    marker = f"/ai/assistants/{uuid.uuid4()}"
    client.get("/v2" + marker)

    [entry] = journal(client, path="/v2" + marker)["entries"]

    assert (entry["operation"], entry["status"], entry["tenant"]) == (
        "get_assistant", 401, None)


def test_an_unknown_path_shows_in_the_unmatched_view(client, key):
    telnyx(client, key, "GET", "/ai/assistant")  # a typo: singular
    telnyx(client, key, "GET", "/ai/assistants")

    unmatched = journal(client, "/journal/unmatched", key=key)

    assert [(e["path"], e["status"], e["matched"]) for e in unmatched["entries"]] == [
        ("/v2/ai/assistant", 404, False)]
    assert unmatched["total"] == 1


def test_a_wrong_method_shows_in_the_unmatched_view(client, key):
    apex(client, key, "PUT", "/ai-assistants")

    [entry] = journal(client, "/journal/unmatched", key=key)["entries"]

    assert (entry["api"], entry["status"], entry["operation"]) == ("achieveapex", 405, None)


def test_admin_requests_are_not_journaled(client, key):
    client.get("/__fake/health", headers={"Authorization": f"Bearer {key}"})

    assert entries(client, key) == []


def test_a_docs_path_under_a_vendor_is_an_unmatched_vendor_request(client, key):
    telnyx(client, key, "GET", "/openapi.json")  # the docs live under /__fake/docs/ only

    [entry] = entries(client, key)
    assert (entry["status"], entry["matched"]) == (404, False)


def test_the_key_appears_nowhere_in_the_journal(client, key):
    telnyx(client, key, "POST", "/ai/assistants", params={"echo": key},
           json={**ASSISTANT, "instructions": f"My key is {key}"},
           headers={"X-Custom": key, "Cookie": "session=abc"})

    [entry] = entries(client, key)

    assert key not in json.dumps(entry)
    assert entry["request"]["headers"]["authorization"] == "Bearer [REDACTED]"
    assert entry["request"]["headers"]["cookie"] == "[REDACTED]"
    assert entry["request"]["body"]["instructions"] == "My key is [REDACTED]"
    assert entry["query"] == "echo=[REDACTED]"


def test_an_achieveapex_key_is_redacted_too(client, key):
    apex(client, key, "GET", "/ai-assistants")

    [entry] = entries(client, key)

    assert entry["request"]["headers"]["x-api-key"] == "[REDACTED]"
    assert key not in json.dumps(entry)


def test_secret_named_query_parameters_and_body_members_are_redacted(client, key):
    telnyx(client, key, "POST", "/ai/assistants/import", params={"access_token": "t0ps3cret"},
           json={"provider": "vapi", "api_key_ref": "vault-ref-1"})

    [entry] = entries(client, key)

    assert entry["query"] == "access_token=[REDACTED]"
    assert entry["request"]["body"]["api_key_ref"] == "[REDACTED]"


def test_bodies_over_the_cap_are_kept_in_part_and_marked_truncated(client, key):
    body = json.dumps({**ASSISTANT, "instructions": "x" * (BODY_CAP + 1000)}).encode()
    telnyx(client, key, "POST", "/ai/assistants", content=body,
           headers={"Content-Type": "application/json"})

    [entry] = entries(client, key)

    request = entry["request"]
    assert request["truncated"] is True
    assert request["size"] == len(body)
    assert len(request["body"]) == BODY_CAP
    assert entry["response"]["truncated"] is True


def test_the_test_id_header_is_recorded_and_filters(client, key):
    test_id = f"test-{uuid.uuid4()}"
    telnyx(client, key, "GET", "/ai/assistants", headers={"X-Fake-Test-Id": test_id})
    telnyx(client, key, "GET", "/ai/assistants")

    found = journal(client, test_id=test_id)["entries"]

    assert [e["test_id"] for e in found] == [test_id]


def test_filters_by_api_operation_status_class_and_path_glob(client, key):
    assistant = telnyx(client, key, "POST", "/ai/assistants", json=ASSISTANT).json()
    telnyx(client, key, "GET", f"/ai/assistants/{assistant['id']}/versions")
    telnyx(client, key, "GET", "/ai/assistants/assistant-missing")
    apex(client, key, "GET", "/ai-assistants")

    def paths(**filters: Any) -> list[str]:
        return [e["path"] for e in entries(client, key, **filters)]

    assert paths(api="achieveapex") == ["/ai-assistants"]
    assert paths(operation="create_assistant") == ["/v2/ai/assistants"]
    assert paths(status="4xx") == ["/v2/ai/assistants/assistant-missing"]
    assert paths(path="/v2/ai/assistants/*/versions") == [
        f"/v2/ai/assistants/{assistant['id']}/versions"]
    assert len(paths(path="/v2/")) == 3


def test_tenant_filters_like_key(client, key):
    telnyx(client, key, "GET", "/ai/assistants")

    assert journal(client, tenant=tenant_id(key)) == journal(client, key=key)


def test_limit_keeps_the_newest_and_total_counts_all(client, key):
    for _ in range(3):
        telnyx(client, key, "GET", "/ai/assistants")

    page = journal(client, key=key, limit=2)

    assert [e["id"] for e in page["entries"]] == sorted(
        (e["id"] for e in page["entries"]), reverse=True)
    assert (len(page["entries"]), page["total"]) == (2, 3)


@pytest.mark.parametrize("query", [
    {"status": "45"}, {"status": "6xx"}, {"limit": "0"}, {"limit": "many"}, {"api": "acme"},
    {"tenant": "t", "key": "k"},
])
def test_bad_filters_answer_400_listing_each_problem(client, query):
    response = client.get("/__fake/journal", params=query)

    assert response.status_code == 400
    assert response.json()["detail"]


def test_delete_clears_the_journal():
    with TestClient(create_app(), raise_server_exceptions=False, client=LOOPBACK) as client:
        client.get("/v2/ai/assistants")
        client.get("/ai-assistants")

        assert client.delete("/__fake/journal").json() == {"cleared": 2}
        assert journal(client) == {"entries": [], "total": 0}


def test_the_journal_keeps_only_the_configured_number_of_entries():
    with TestClient(create_app(Settings(journal_size=2)), raise_server_exceptions=False,
                    client=LOOPBACK) as client:
        for path in ("/v2/a", "/v2/b", "/v2/c"):
            client.get(path)

        assert [e["path"] for e in journal(client)["entries"]] == ["/v2/c", "/v2/b"]


def test_journal_size_zero_turns_journaling_off():
    with TestClient(create_app(Settings(journal_size=0)), raise_server_exceptions=False,
                    client=LOOPBACK) as client:
        assert client.get("/v2/ai/assistants").status_code == 401

        assert journal(client)["total"] == 0
