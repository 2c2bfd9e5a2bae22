"""Faults that only a real socket shows: a dropped connection and added latency (uvicorn)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from assistant_fake.server import running_server


@pytest.fixture(scope="module")
def fake() -> Iterator[httpx.Client]:
    with running_server() as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture
def test_id() -> str:
    return f"test-{uuid.uuid4()}"


def add_fault(fake: httpx.Client, **rule: Any) -> dict[str, Any]:
    response = fake.post("/__fake/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def journal(fake: httpx.Client, test_id: str) -> list[dict[str, Any]]:
    return fake.get("/__fake/journal", params={"test_id": test_id}).json()["entries"]


def telnyx_headers(test_id: str) -> dict[str, str]:
    return {"Authorization": "Bearer live-test-key", "X-Fake-Test-Id": test_id}


def test_a_dropped_connection_closes_without_any_answer(fake, test_id):
    add_fault(fake, match={"test_id": test_id}, action={"drop": True}, count=1)

    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id))


def test_a_dropped_request_body_is_dropped_too(fake, test_id):
    add_fault(fake, match={"test_id": test_id}, action={"drop": True}, count=1)

    with pytest.raises(httpx.RemoteProtocolError):
        fake.post("/ai-assistants", json={"name": "x" * 10_000},
                  headers={"x-api-key": "live-test-key", "X-Fake-Test-Id": test_id})


def test_the_server_answers_normally_after_a_drop(fake, test_id):
    add_fault(fake, match={"test_id": test_id}, action={"drop": True}, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id))

    assert fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id)).status_code == 200


def test_a_dropped_connection_is_journaled_without_a_status(fake, test_id):
    rule = add_fault(fake, match={"test_id": test_id}, action={"drop": True}, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id))

    [entry] = journal(fake, test_id)

    assert (entry["status"], entry["response"], entry["fault"]) == (None, None, rule["id"])
    assert fake.get("/__fake/journal", params={"test_id": test_id, "status": "dropped"}
                    ).json()["total"] == 1


def test_a_latency_rule_delays_the_answer(fake, test_id):
    rule = add_fault(fake, match={"test_id": test_id}, action={"latency_ms": [150, 200]})

    response = fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id))

    assert response.status_code == 200
    [entry] = journal(fake, test_id)
    assert entry["fault"] == rule["id"]
    assert entry["duration_ms"] >= 100  # generous: event-loop timers may fire a little early
    assert fake.get(f"/__fake/faults/{rule['id']}").json()["hits"] == 1


def test_latency_then_a_status(fake, test_id):
    add_fault(fake, match={"test_id": test_id}, action={"latency_ms": 100, "status": 504})

    response = fake.get("/v2/ai/assistants", headers=telnyx_headers(test_id))

    assert response.status_code == 504
    assert journal(fake, test_id)[0]["duration_ms"] >= 50


def test_prefer_delay_delays_one_request(fake, test_id):
    response = fake.get("/v2/ai/assistants",
                        headers={**telnyx_headers(test_id), "Prefer": "delay=120"})

    assert response.status_code == 200
    [entry] = journal(fake, test_id)
    assert (entry["fault"], entry["duration_ms"] >= 60) == ("prefer", True)
