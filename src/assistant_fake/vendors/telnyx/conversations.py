"""Talking to an assistant: chat, SMS, its TeXML, instruction enhancement and tool tests.

No model runs here: every answer is built deterministically from the assistant and the
request, so a test can predict it, or is the next canned reply a test queued for the assistant
(``queue_replies``, first in first out). Conversations keep their messages in
``telnyx/<tenant>/conversations`` so a later chat knows it is not the first message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import quoteattr

from assistant_fake.store import Collection
from assistant_fake.vendors.telnyx.assistants import AssistantScoped
from assistant_fake.vendors.telnyx.rules import BadRequest, NotFound

MODEL_GREETING = "<assistant-speaks-first-with-model-generated-message>"
"""Telnyx's greeting value that asks the model to compose the greeting."""

TEXML_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Response>\n"
    "    <Connect>\n"
    "        <AIAssistant id={assistant_id}/>\n"
    "    </Connect>\n"
    "</Response>\n"
)

TOOL_TEST_CONTENT_TYPE = "application/json"

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def render_template(text: str, variables: Mapping[str, Any]) -> str:
    """``{{name}}`` placeholders filled from the variables; an unknown one renders empty,
    as Telnyx renders unresolved placeholders."""
    return _VARIABLE.sub(lambda match: str(variables.get(match.group(1), "")), text)


def opening_line(assistant: Mapping[str, Any], user_name: str | None = None) -> str:
    """The assistant's greeting (templated), or a greeting made from its name."""
    greeting = assistant.get("greeting")
    if greeting and greeting != MODEL_GREETING:
        return render_template(greeting, assistant.get("dynamic_variables") or {})
    to_whom = f", {user_name}" if user_name else ""
    return f"Hello{to_whom}! This is {assistant['name']}."


def chat_reply(assistant: Mapping[str, Any], content: str, *, first: bool,
               user_name: str | None = None) -> str:
    """Greet on a conversation's first message, then acknowledge what was said."""
    answer = f"You said: {content}"
    return f"{opening_line(assistant, user_name)} {answer}" if first else answer


def enhanced_instructions(assistant: Mapping[str, Any], instructions: str,
                          enhancement_prompt: str | None) -> str:
    """Instructions restructured into role, goal, style (and requested changes, tools)."""
    lines = [f"You are {assistant['name']}.", "", "## Goal", instructions.strip(), "",
             "## Style", "- Be concise, friendly and accurate.",
             "- Ask one question at a time and confirm important details before acting."]
    if enhancement_prompt:
        lines += ["", "## Requested changes", f"- {enhancement_prompt.strip()}"]
    tool_types = sorted({tool.get("type", "") for tool in assistant.get("tools") or []})
    if tool_types:
        lines += ["", "## Tools", *(f"- Use the {kind} tool when it helps the caller."
                                    for kind in tool_types)]
    return "\n".join(lines) + "\n"


class Conversations(AssistantScoped):
    """Conversation endpoints of every tenant's assistants."""

    def _conversations(self, tenant: str) -> Collection:
        return self._collection(tenant, "conversations")

    def _sms_threads(self, tenant: str) -> Collection:
        """``assistant|from|to`` -> the conversation an SMS continues."""
        return self._collection(tenant, "sms_threads")

    def _reply_queues(self, tenant: str) -> Collection:
        """assistant id -> ``{"replies": [...]}``, the canned replies still to be answered."""
        return self._collection(tenant, "chat_replies")

    def chat(self, tenant: str, assistant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"content"}``: the next queued reply, else the generated one; the message and the
        reply join the conversation."""
        with self._store.transaction():
            assistant = self._assistants.get(tenant, assistant_id)
            conversation = self._conversation(tenant, body["conversation_id"], assistant_id,
                                              "web_chat")
            reply = self._next_queued_reply(tenant, assistant_id)
            if reply is None:
                reply = chat_reply(assistant, body["content"],
                                   first=not conversation["messages"],
                                   user_name=body.get("name"))
            self._append(conversation, "user", body["content"], name=body.get("name"))
            self._append(conversation, "assistant", reply)
            self._conversations(tenant).put(conversation["conversation_id"], conversation)
            return {"content": reply}

    # --- canned replies (the admin API) -----------------------------------------------------

    def queue_replies(self, tenant: str, assistant_id: str, replies: list[str]) -> list[str]:
        """Add replies to the end of the assistant's queue; answers the whole queue. NotFound
        when the tenant has no such (active) assistant, so a mistyped id fails loudly."""
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            queue = [*self.queued_replies(tenant, assistant_id), *replies]
            self._reply_queues(tenant).put(assistant_id, {"replies": queue})
            return queue

    def queued_replies(self, tenant: str, assistant_id: str) -> list[str]:
        """The replies still queued for the assistant, next first."""
        stored = self._reply_queues(tenant).get(assistant_id)
        return stored["replies"] if stored else []

    def clear_replies(self, tenant: str, assistant_id: str) -> int:
        """Empty the assistant's queue; answers how many replies were dropped."""
        with self._store.transaction():
            dropped = len(self.queued_replies(tenant, assistant_id))
            self._reply_queues(tenant).delete(assistant_id)
            return dropped

    def _next_queued_reply(self, tenant: str, assistant_id: str) -> str | None:
        queue = self.queued_replies(tenant, assistant_id)
        if not queue:
            return None
        if len(queue) > 1:
            self._reply_queues(tenant).put(assistant_id, {"replies": queue[1:]})
        else:
            self._reply_queues(tenant).delete(assistant_id)
        return queue[0]

    def send_sms(self, tenant: str, assistant_id: str,
                 body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"conversation_id"}``: the text (sent text, else the greeting on a first message,
        else a generated line) joins the conversation between ``from`` and ``to``."""
        with self._store.transaction():
            assistant = self._assistants.get(tenant, assistant_id)
            if not (assistant.get("messaging_settings") or {}).get("default_messaging_profile_id"):
                raise BadRequest(f"Assistant {assistant_id} has no messaging profile configured.")
            conversation = self._sms_conversation(tenant, assistant_id, body)
            text = body.get("text") or (opening_line(assistant) if not conversation["messages"]
                                        else f"{assistant['name']} is following up.")
            self._append(conversation, "assistant", text)
            conversation["metadata"].update(body.get("conversation_metadata") or {})
            self._conversations(tenant).put(conversation["conversation_id"], conversation)
            return {"conversation_id": conversation["conversation_id"]}

    def texml(self, tenant: str, assistant_id: str) -> str:
        """The TeXML document that connects a call to the assistant."""
        assistant = self._assistants.get(tenant, assistant_id)
        return TEXML_TEMPLATE.format(assistant_id=quoteattr(assistant["id"]))

    def enhance_instructions(self, tenant: str, assistant_id: str,
                             body: Mapping[str, Any]) -> str:
        """Improved instructions (text/plain): the sent ones, else the assistant's."""
        assistant = self._assistants.get(tenant, assistant_id)
        base = body.get("instructions") or assistant["instructions"]
        return enhanced_instructions(assistant, base, body.get("enhancement_prompt"))

    def test_tool(self, tenant: str, assistant_id: str, tool_id: str,
                  body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"data": {...}}``: a successful call of an attached shared tool, echoing what it
        was sent; NotFound when the tool is not attached to the assistant."""
        if tool_id not in self._assistants.attached_tool_ids(tenant, assistant_id):
            raise NotFound(f"Tool {tool_id} is not attached to assistant {assistant_id}.")
        request = {"tool_id": tool_id, "arguments": dict(body.get("arguments") or {}),
                   "dynamic_variables": dict(body.get("dynamic_variables") or {})}
        response = json.dumps({"ok": True, "tool_id": tool_id,
                               "arguments": request["arguments"]}, sort_keys=True)
        return {"data": {"success": True, "status_code": 200,
                         "content_type": TOOL_TEST_CONTENT_TYPE, "response": response,
                         "request": request}}

    def messages(self, tenant: str, conversation_id: str) -> list[dict[str, Any]]:
        """The stored messages of a conversation, oldest first (empty when unknown)."""
        conversation = self._conversations(tenant).get(conversation_id)
        return conversation["messages"] if conversation else []

    def _conversation(self, tenant: str, conversation_id: str, assistant_id: str,
                      channel: str) -> dict[str, Any]:
        return self._conversations(tenant).get(conversation_id) or {
            "conversation_id": conversation_id, "assistant_id": assistant_id,
            "channel": channel, "metadata": {}, "messages": []}

    def _sms_conversation(self, tenant: str, assistant_id: str,
                          body: Mapping[str, Any]) -> dict[str, Any]:
        """A new conversation when asked (or for a new pair of numbers), else the last one."""
        threads = self._sms_threads(tenant)
        key = f"{assistant_id}|{body['from']}|{body['to']}"
        thread = threads.get(key)
        if thread is None or body.get("should_create_conversation"):
            thread = {"conversation_id": self._uuid()}
            threads.put(key, thread)
        return self._conversation(tenant, thread["conversation_id"], assistant_id, "sms_chat")

    def _append(self, conversation: dict[str, Any], role: str, content: str,
                name: str | None = None) -> None:
        message = {"role": role, "content": content, "created_at": self._stamp()}
        if name:
            message["name"] = name
        conversation["messages"].append(message)
