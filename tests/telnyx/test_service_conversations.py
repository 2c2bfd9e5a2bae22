"""Telnyx conversations: chat, SMS, TeXML, instruction enhancement, tool tests."""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistant_chat_response import AssistantChatResponse
from telnyx.types.ai.assistant_send_sms_response import AssistantSendSMSResponse
from telnyx.types.ai.assistants.tool_test_response import ToolTestResponse

from assistant_fake.vendors.telnyx.conversations import MODEL_GREETING
from assistant_fake.vendors.telnyx.rules import BadRequest, NotFound


@pytest.fixture
def conversations(service):
    return service.conversations


@pytest.fixture
def create(create_assistant):
    """``create_assistant`` for an assistant named Ada: the greetings the tests expect name her."""
    return functools.partial(create_assistant, name="Ada",
                             instructions="Answer questions about opening hours.")


def chat(conversations, assistant_id: str, content: str, conversation_id: str = "c1", **extra):
    body = {"content": content, "conversation_id": conversation_id, **extra}
    return conversations.chat("acme", assistant_id, body)


# --- chat -----------------------------------------------------------------------------------

def test_chat_first_message_is_greeted_with_the_assistants_name(conversations, create):
    assistant = create()
    answer = chat(conversations, assistant["id"], "When do you open?")
    assert answer == {"content": "Hello! This is Ada. You said: When do you open?"}
    validate_type(type_=AssistantChatResponse, value=answer)


def test_chat_greeting_addresses_the_named_user(conversations, create):
    assistant = create()
    answer = chat(conversations, assistant["id"], "Hi", name="Bob")
    assert answer["content"].startswith("Hello, Bob! This is Ada.")


def test_chat_first_message_uses_the_assistants_greeting_with_variables(conversations, create):
    assistant = create(greeting="Welcome to {{shop}}!", dynamic_variables={"shop": "Bo"})
    assert chat(conversations, assistant["id"], "Hi")["content"] == "Welcome to Bo! You said: Hi"


def test_chat_model_generated_greeting_falls_back_to_the_name(conversations, create):
    assistant = create(greeting=MODEL_GREETING)
    assert chat(conversations, assistant["id"], "Hi")["content"].startswith("Hello! This is Ada.")


def test_chat_later_messages_are_acknowledged_without_greeting(conversations, create):
    assistant = create()
    chat(conversations, assistant["id"], "Hi")
    assert chat(conversations, assistant["id"], "Bye") == {"content": "You said: Bye"}


def test_chat_keeps_the_conversations_messages(conversations, create):
    assistant = create()
    chat(conversations, assistant["id"], "Hi", name="Bob")
    messages = conversations.messages("acme", "c1")
    assert [(m["role"], m["content"]) for m in messages] == [
        ("user", "Hi"), ("assistant", "Hello, Bob! This is Ada. You said: Hi")]
    assert messages[0]["name"] == "Bob"


def test_chat_conversations_are_separate_per_conversation_id(conversations, create):
    assistant = create()
    chat(conversations, assistant["id"], "Hi", conversation_id="c1")
    assert chat(conversations, assistant["id"], "Hi", conversation_id="c2")["content"].startswith(
        "Hello!")


def test_chat_with_unknown_assistant_is_not_found(conversations):
    with pytest.raises(NotFound):
        chat(conversations, "assistant-missing", "Hi")


def test_conversations_are_per_tenant(conversations, create):
    assistant = create()
    chat(conversations, assistant["id"], "Hi")
    assert conversations.messages("globex", "c1") == []
    with pytest.raises(NotFound):
        conversations.chat("globex", assistant["id"], {"content": "Hi", "conversation_id": "c1"})


# --- send_sms -------------------------------------------------------------------------------

def test_send_sms_answers_a_conversation_id(conversations, create):
    assistant = create()
    answer = conversations.send_sms("acme", assistant["id"], {"from": "+1", "to": "+2",
                                                              "text": "Hi!"})
    assert answer["conversation_id"]
    validate_type(type_=AssistantSendSMSResponse, value=answer)
    assert conversations.messages("acme", answer["conversation_id"])[0]["content"] == "Hi!"


def test_send_sms_without_text_sends_the_greeting_first(conversations, create):
    assistant = create(greeting="Hi from Ada")
    answer = conversations.send_sms("acme", assistant["id"], {"from": "+1", "to": "+2"})
    assert conversations.messages("acme", answer["conversation_id"])[0]["content"] == "Hi from Ada"


def test_send_sms_continues_the_conversation_between_the_same_numbers(conversations, create):
    assistant = create()
    body = {"from": "+1", "to": "+2", "text": "one"}
    first = conversations.send_sms("acme", assistant["id"], body)
    again = conversations.send_sms("acme", assistant["id"], {**body, "text": "two"})
    assert again == first
    assert len(conversations.messages("acme", first["conversation_id"])) == 2


def test_send_sms_with_should_create_conversation_starts_a_new_one(conversations, create):
    assistant = create()
    body = {"from": "+1", "to": "+2", "text": "one"}
    first = conversations.send_sms("acme", assistant["id"], body)
    fresh = conversations.send_sms("acme", assistant["id"],
                                   {**body, "should_create_conversation": True})
    assert fresh["conversation_id"] != first["conversation_id"]


def test_send_sms_without_a_messaging_profile_is_refused(service, conversations, create):
    source = create()
    clone = service.assistants.clone("acme", source["id"])
    with pytest.raises(BadRequest, match="messaging profile"):
        conversations.send_sms("acme", clone["id"], {"from": "+1", "to": "+2", "text": "x"})


# --- texml ----------------------------------------------------------------------------------

def test_texml_connects_the_call_to_the_assistant(conversations, create):
    assistant = create()
    document = conversations.texml("acme", assistant["id"])
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(document)
    assert root.tag == "Response"
    assert root.find("./Connect/AIAssistant").attrib == {"id": assistant["id"]}


def test_texml_of_unknown_assistant_is_not_found(conversations):
    with pytest.raises(NotFound):
        conversations.texml("acme", "assistant-missing")


# --- enhance instructions -------------------------------------------------------------------

def test_enhance_instructions_improves_the_assistants_own_instructions(conversations, create):
    assistant = create(tools=[{"type": "hangup", "hangup": {"description": "x"}}])
    text = conversations.enhance_instructions("acme", assistant["id"], {})
    assert text.startswith("You are Ada.")
    assert "Answer questions about opening hours." in text
    assert "hangup" in text


def test_enhance_instructions_uses_sent_instructions_and_prompt(conversations, create):
    assistant = create()
    text = conversations.enhance_instructions("acme", assistant["id"], {
        "instructions": "Sell shoes.", "enhancement_prompt": "Be more concise."})
    assert "Sell shoes." in text and "Be more concise." in text
    assert "opening hours" not in text


def test_enhance_instructions_is_deterministic(conversations, create):
    assistant = create()
    body = {"enhancement_prompt": "Shorter."}
    assert conversations.enhance_instructions("acme", assistant["id"], body) == \
        conversations.enhance_instructions("acme", assistant["id"], body)


# --- tool test ------------------------------------------------------------------------------

def test_tool_test_answers_a_successful_call_of_an_attached_tool(conversations, create):
    assistant = create(tool_ids=["tool-1"])
    answer = conversations.test_tool("acme", assistant["id"], "tool-1",
                                     {"arguments": {"order": 7}, "dynamic_variables": {"a": 1}})
    validate_type(type_=ToolTestResponse, value=answer)
    data = answer["data"]
    assert (data["success"], data["status_code"]) == (True, 200)
    assert data["request"] == {"tool_id": "tool-1", "arguments": {"order": 7},
                               "dynamic_variables": {"a": 1}}
    assert json.loads(data["response"])["arguments"] == {"order": 7}


def test_tool_test_of_a_tool_that_is_not_attached_is_not_found(conversations, create):
    assistant = create()
    with pytest.raises(NotFound):
        conversations.test_tool("acme", assistant["id"], "tool-1", {})


def test_tool_test_after_detach_is_not_found(service, conversations, create):
    assistant = create()
    service.assistants.attach_tool("acme", assistant["id"], "tool-1")
    service.assistants.detach_tool("acme", assistant["id"], "tool-1")
    with pytest.raises(NotFound):
        conversations.test_tool("acme", assistant["id"], "tool-1", {})


# --- composition ----------------------------------------------------------------------------

def test_service_shares_one_assistants_object(service):
    assert service.scheduled_events._assistants is service.assistants
    assert service.tests._assistants is service.assistants
    assert service.conversations._assistants is service.assistants
