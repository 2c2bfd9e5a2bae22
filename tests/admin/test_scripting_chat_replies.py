"""Admin API: canned chat replies (``/__fake/telnyx/assistants/{id}/chat-replies``).

Replies queued for an assistant are what its Telnyx chat answers next, first in first out; an
empty queue falls back to the generated reply. A queue belongs to the tenant named by ``key``
(a raw API key) or ``tenant`` (its id).
"""

from __future__ import annotations

import pytest

from assistant_fake.core.tenants import tenant_id


@pytest.fixture
def assistant_id(telnyx) -> str:
    return telnyx.create_assistant(name="Ada")["id"]


def replies_path(assistant_id: str) -> str:
    return f"/__fake/telnyx/assistants/{assistant_id}/chat-replies"


def chat(telnyx, assistant_id: str, content: str = "hi") -> str:
    response = telnyx.post(f"/ai/assistants/{assistant_id}/chat",
                           json={"content": content, "conversation_id": "c1"})
    assert response.status_code == 200, response.text
    return response.json()["content"]


def test_enqueue_answers_201_with_the_queue_and_the_tenant(http, api_key, assistant_id):
    response = http.post(replies_path(assistant_id), json={"key": api_key, "replies": ["One."]})
    assert response.status_code == 201
    assert response.json() == {"assistant_id": assistant_id, "tenant": tenant_id(api_key),
                               "replies": ["One."]}


def test_chat_answers_the_queued_replies_in_order_then_the_generated_one(
        http, telnyx, api_key, assistant_id):
    http.post(replies_path(assistant_id), json={"key": api_key, "replies": ["One.", "Two."]})
    assert [chat(telnyx, assistant_id) for _ in range(3)] == ["One.", "Two.", "You said: hi"]


def test_a_tenant_id_names_the_same_queue_as_its_key(http, telnyx, api_key, assistant_id):
    http.post(replies_path(assistant_id),
              json={"tenant": tenant_id(api_key), "replies": ["By id."]})
    assert chat(telnyx, assistant_id) == "By id."


def test_list_answers_what_is_still_queued(http, telnyx, api_key, assistant_id):
    http.post(replies_path(assistant_id), json={"key": api_key, "replies": ["One.", "Two."]})
    chat(telnyx, assistant_id)
    response = http.get(replies_path(assistant_id), params={"key": api_key})
    assert response.status_code == 200
    assert response.json()["replies"] == ["Two."]


def test_clear_drops_the_queue_and_chat_falls_back(http, telnyx, api_key, assistant_id):
    http.post(replies_path(assistant_id), json={"key": api_key, "replies": ["One.", "Two."]})
    response = http.delete(replies_path(assistant_id), params={"key": api_key})
    assert response.status_code == 200
    assert response.json() == {"assistant_id": assistant_id, "tenant": tenant_id(api_key),
                               "cleared": 2}
    assert chat(telnyx, assistant_id) == "Hello! This is Ada. You said: hi"


def test_a_tenant_reset_forgets_the_queue(http, api_key, assistant_id):
    http.post(replies_path(assistant_id), json={"key": api_key, "replies": ["One."]})
    http.post("/__fake/reset", json={"api": "telnyx", "key": api_key})
    assert http.get(replies_path(assistant_id), params={"key": api_key}).json()["replies"] == []


def test_enqueue_for_an_unknown_assistant_is_404(http, api_key):
    response = http.post(replies_path("assistant-missing"),
                         json={"key": api_key, "replies": ["One."]})
    assert response.status_code == 404
    assert response.json() == {"detail": "Assistant assistant-missing not found."}


def test_enqueue_with_another_tenants_key_is_404(http, api_key, assistant_id):
    response = http.post(replies_path(assistant_id),
                         json={"key": f"{api_key}-other", "replies": ["One."]})
    assert response.status_code == 404


def test_enqueue_without_a_tenant_is_400(http, assistant_id):
    response = http.post(replies_path(assistant_id), json={"replies": ["One."]})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "body: name the tenant with key (its raw API key) or tenant (its id)"}


def test_enqueue_with_both_key_and_tenant_is_400(http, api_key, assistant_id):
    response = http.post(replies_path(assistant_id),
                         json={"key": api_key, "tenant": tenant_id(api_key), "replies": ["One."]})
    assert response.status_code == 400
    assert response.json() == {"detail": "body: send key or tenant, not both"}


def test_enqueue_without_replies_is_400(http, api_key, assistant_id):
    response = http.post(replies_path(assistant_id), json={"key": api_key, "replies": []})
    assert response.status_code == 400
    assert response.json() == {"detail": "body/replies: [] should be non-empty"}


def test_enqueue_with_an_unknown_member_is_400(http, api_key, assistant_id):
    response = http.post(replies_path(assistant_id),
                         json={"key": api_key, "replies": ["One."], "delay": 1})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "body: Additional properties are not allowed ('delay' was unexpected)"}


def test_enqueue_with_a_body_that_is_not_json_is_400(http, assistant_id):
    response = http.post(replies_path(assistant_id), content=b"{replies",
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("body: not valid JSON")


def test_list_without_a_tenant_is_400(http, assistant_id):
    assert http.get(replies_path(assistant_id)).status_code == 400


def test_list_with_an_empty_key_is_400(http, assistant_id):
    response = http.get(replies_path(assistant_id), params={"key": ""})
    assert response.status_code == 400
    assert response.json() == {"detail": "query/key: '' should be non-empty"}


def test_list_with_a_tenant_that_is_no_tenant_id_is_400(http, assistant_id):
    response = http.get(replies_path(assistant_id), params={"tenant": "acme"})
    assert response.status_code == 400
    assert response.json() == {"detail": "query/tenant: 'acme' does not match '^[0-9a-f]{24}$'"}
