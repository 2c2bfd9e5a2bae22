"""Telnyx over HTTP: chatting with an assistant, texting from it, its TeXML, and improving its
instructions.

No model runs in the fake: a chat greets on a conversation's first message and then echoes
what was said; the enhanced instructions are a fixed restructuring; all of it predictable.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SMS = {"from": "+13125550199", "to": "+13125550100"}


def chat(telnyx, assistant_id: str, content: str, conversation_id: str = "conv-1",
         **fields: Any):
    return telnyx.post(f"/ai/assistants/{assistant_id}/chat",
                       json={"content": content, "conversation_id": conversation_id, **fields})


def sms(telnyx, assistant_id: str, **fields: Any):
    return telnyx.post(f"/ai/assistants/{assistant_id}/chat/sms", json={**SMS, **fields})


# --- chat -----------------------------------------------------------------------------------

def test_chat_greets_on_the_first_message_of_a_conversation(telnyx, assistant):
    response = chat(telnyx, assistant["id"], "Do you open on Sundays?")
    assert response.status_code == 200
    assert response.json() == {
        "content": "Hello! This is Support bot. You said: Do you open on Sundays?"}


def test_chat_answers_later_messages_without_a_greeting(telnyx, assistant):
    chat(telnyx, assistant["id"], "Hi")
    assert chat(telnyx, assistant["id"], "Table for two").json() == {
        "content": "You said: Table for two"}


def test_each_conversation_id_is_its_own_conversation(telnyx, assistant):
    chat(telnyx, assistant["id"], "Hi", conversation_id="conv-1")
    assert chat(telnyx, assistant["id"], "Hi", conversation_id="conv-2").json() == {
        "content": "Hello! This is Support bot. You said: Hi"}


def test_conversations_of_another_account_are_separate(telnyx, other_tenant):
    mine = telnyx.create_assistant()
    theirs = other_tenant.create_assistant()
    chat(telnyx, mine["id"], "Hi")
    assert chat(other_tenant, theirs["id"], "Hi").json()["content"].startswith("Hello!")


def test_chat_greets_the_user_by_name(telnyx, assistant):
    response = chat(telnyx, assistant["id"], "Hi", name="Ada")
    assert response.json() == {"content": "Hello, Ada! This is Support bot. You said: Hi"}


def test_chat_opens_with_the_assistants_greeting_filled_from_its_variables(telnyx):
    assistant = telnyx.create_assistant(greeting="Welcome to {{venue}}!{{missing}}",
                                        dynamic_variables={"venue": "Chez Nous"})
    assert chat(telnyx, assistant["id"], "Hi").json() == {
        "content": "Welcome to Chez Nous! You said: Hi"}


def test_chat_with_a_model_generated_greeting_falls_back_to_a_named_greeting(telnyx):
    assistant = telnyx.create_assistant(
        greeting="<assistant-speaks-first-with-model-generated-message>")
    assert chat(telnyx, assistant["id"], "Hi").json() == {
        "content": "Hello! This is Support bot. You said: Hi"}


def test_chat_accepts_the_stream_flag(telnyx, assistant):
    assert chat(telnyx, assistant["id"], "Hi", stream="false").status_code == 200


def test_chat_without_content_and_conversation_lists_both(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/chat", json={"name": "Ada"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", field], "msg": "Field required",
         "input": {"name": "Ada"}} for field in ("content", "conversation_id")]}


def test_chat_refuses_wrong_types(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/chat",
                           json={"content": {"text": "Hi"}, "conversation_id": 1,
                                 "stream": "maybe"})
    assert response.json() == {"detail": [
        {"type": "string_type", "loc": ["body", "content"],
         "msg": "Input should be a valid string", "input": {"text": "Hi"}},
        {"type": "string_type", "loc": ["body", "conversation_id"],
         "msg": "Input should be a valid string", "input": 1},
        {"type": "bool_parsing", "loc": ["body", "stream"],
         "msg": "Input should be a valid boolean, unable to interpret input",
         "input": "maybe"}]}


def test_chat_without_a_body_is_missing_body(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/chat")
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


# --- sms ------------------------------------------------------------------------------------

def test_sms_answers_the_conversation_it_used(telnyx, assistant):
    response = sms(telnyx, assistant["id"], text="Your table is ready.")
    assert response.status_code == 200
    assert set(response.json()) == {"conversation_id"}
    assert UUID4.match(response.json()["conversation_id"])


def test_sms_between_the_same_numbers_continues_the_conversation(telnyx, assistant):
    first = sms(telnyx, assistant["id"]).json()
    assert sms(telnyx, assistant["id"], text="Reminder").json() == first


def test_sms_can_start_a_new_conversation(telnyx, assistant):
    first = sms(telnyx, assistant["id"]).json()
    second = sms(telnyx, assistant["id"], should_create_conversation=True).json()
    assert second != first
    assert sms(telnyx, assistant["id"]).json() == second


def test_sms_to_another_number_is_another_conversation(telnyx, assistant):
    first = sms(telnyx, assistant["id"]).json()
    assert sms(telnyx, assistant["id"], to="+13125550101").json() != first


def test_sms_of_another_assistant_is_another_conversation(telnyx, assistant):
    other = telnyx.create_assistant(name="Other")
    assert sms(telnyx, other["id"]).json() != sms(telnyx, assistant["id"]).json()


def test_sms_accepts_conversation_metadata(telnyx, assistant):
    response = sms(telnyx, assistant["id"], conversation_metadata={"order": 42, "vip": True})
    assert response.status_code == 200


def test_sms_from_an_assistant_without_a_messaging_profile_is_refused(telnyx, telnyx_errors,
                                                                      assistant):
    clone = telnyx.post(f"/ai/assistants/{assistant['id']}/clone").json()
    response = sms(telnyx, clone["id"])
    assert response.status_code == 400
    assert response.json() == telnyx_errors.bad_request(
        f"Assistant {clone['id']} has no messaging profile configured.")


def test_sms_without_from_and_to_lists_both_by_their_names(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/chat/sms", json={"text": "Hi"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body", field], "msg": "Field required",
         "input": {"text": "Hi"}} for field in ("from", "to")]}


def test_sms_refuses_wrong_types(telnyx, assistant):
    response = sms(telnyx, assistant["id"], **{"from": 13125550199},
                   should_create_conversation="sometimes",
                   conversation_metadata={"order": 4.5})
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("string_type", ["body", "from"]),
        ("bool_parsing", ["body", "should_create_conversation"]),
        ("string_type", ["body", "conversation_metadata", "order", "str"]),
        ("int_from_float", ["body", "conversation_metadata", "order", "int"]),
        ("bool_type", ["body", "conversation_metadata", "order", "bool"])]


# --- texml ----------------------------------------------------------------------------------

def test_texml_answers_the_document_that_connects_a_call_to_the_assistant(telnyx, assistant):
    response = telnyx.get(f"/ai/assistants/{assistant['id']}/texml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Response>\n"
        "    <Connect>\n"
        f'        <AIAssistant id="{assistant["id"]}"/>\n'
        "    </Connect>\n"
        "</Response>\n")


# --- enhance instructions -------------------------------------------------------------------

def test_enhance_answers_plain_text_built_from_the_assistants_instructions(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == (
        "You are Support bot.\n\n## Goal\nHelp the caller.\n\n## Style\n"
        "- Be concise, friendly and accurate.\n"
        "- Ask one question at a time and confirm important details before acting.\n")


def test_enhance_uses_sent_instructions_and_the_enhancement_prompt(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance", json={
        "instructions": "  Book tables.  ", "enhancement_prompt": "Mention the dress code."})
    assert response.text == (
        "You are Support bot.\n\n## Goal\nBook tables.\n\n## Style\n"
        "- Be concise, friendly and accurate.\n"
        "- Ask one question at a time and confirm important details before acting.\n\n"
        "## Requested changes\n- Mention the dress code.\n")


def test_enhance_lists_the_assistants_tool_types(telnyx):
    assistant = telnyx.create_assistant(tools=[
        {"type": "hangup", "hangup": {}},
        {"type": "webhook", "webhook": {"name": "n", "description": "d", "url": "https://x"}}])
    text = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance").text
    assert text.endswith("## Tools\n- Use the hangup tool when it helps the caller.\n"
                         "- Use the webhook tool when it helps the caller.\n")


def test_enhance_with_null_instructions_uses_the_assistants(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance",
                           json={"instructions": None, "enhancement_prompt": None})
    assert "## Goal\nHelp the caller.\n" in response.text


def test_enhance_changes_nothing_on_the_assistant(telnyx, assistant):
    telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance",
                json={"instructions": "Book tables."})
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json() == assistant


@pytest.mark.parametrize("body", [["Book tables."], "Book tables."])
def test_enhance_refuses_a_body_that_is_not_an_object(telnyx, assistant, body):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance", json=body)
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "type": "model_attributes_type", "loc": ["body"],
        "msg": "Input should be a valid dictionary or object to extract fields from",
        "input": body}]}


def test_enhance_refuses_instructions_that_are_not_text(telnyx, assistant):
    response = telnyx.post(f"/ai/assistants/{assistant['id']}/instructions/enhance",
                           json={"instructions": 3})
    assert response.json() == {"detail": [{
        "type": "string_type", "loc": ["body", "instructions"],
        "msg": "Input should be a valid string", "input": 3}]}
