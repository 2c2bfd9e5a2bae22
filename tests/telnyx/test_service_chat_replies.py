"""Canned chat replies: a FIFO queue per assistant that ``chat`` answers from before it falls
back to the generated reply (plain Python, no HTTP)."""

from __future__ import annotations

import pytest

from assistant_fake.vendors.telnyx.rules import NotFound


@pytest.fixture
def conversations(service):
    return service.conversations


@pytest.fixture
def assistant_id(create_assistant) -> str:
    return create_assistant(name="Ada")["id"]


def chat(conversations, assistant_id: str, content: str, tenant: str = "acme") -> str:
    body = {"content": content, "conversation_id": "c1"}
    return conversations.chat(tenant, assistant_id, body)["content"]


def test_queued_replies_are_answered_first_in_first_out(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["One.", "Two."])
    assert [chat(conversations, assistant_id, "hi") for _ in range(2)] == ["One.", "Two."]


def test_an_empty_queue_falls_back_to_the_generated_reply(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["Canned."])
    chat(conversations, assistant_id, "hi")
    assert chat(conversations, assistant_id, "again") == "You said: again"


def test_queueing_adds_to_the_end_and_answers_the_whole_queue(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["One."])
    assert conversations.queue_replies("acme", assistant_id, ["Two."]) == ["One.", "Two."]
    assert conversations.queued_replies("acme", assistant_id) == ["One.", "Two."]


def test_an_answered_reply_leaves_the_queue(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["One.", "Two."])
    chat(conversations, assistant_id, "hi")
    assert conversations.queued_replies("acme", assistant_id) == ["Two."]


def test_a_canned_reply_joins_the_conversation(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["Canned."])
    chat(conversations, assistant_id, "hi")
    assert [(m["role"], m["content"]) for m in conversations.messages("acme", "c1")] == [
        ("user", "hi"), ("assistant", "Canned.")]


def test_clear_empties_the_queue_and_counts_what_it_dropped(conversations, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["One.", "Two."])
    assert conversations.clear_replies("acme", assistant_id) == 2
    assert conversations.queued_replies("acme", assistant_id) == []
    assert chat(conversations, assistant_id, "hi") == "Hello! This is Ada. You said: hi"


def test_queueing_for_an_unknown_assistant_is_not_found(conversations):
    with pytest.raises(NotFound):
        conversations.queue_replies("acme", "assistant-missing", ["One."])


def test_another_tenants_queue_is_not_used(conversations, create_assistant, assistant_id):
    conversations.queue_replies("acme", assistant_id, ["Canned."])
    with pytest.raises(NotFound):
        conversations.queue_replies("globex", assistant_id, ["Intruder."])
    assert conversations.queued_replies("globex", assistant_id) == []
