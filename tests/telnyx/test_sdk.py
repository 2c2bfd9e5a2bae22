"""The official telnyx SDK against the fake on a real port, with strict response validation.

Every call under ``client.ai.assistants`` that our spec serves is made here at least once, so a
response the SDK's models refuse (a missing required field, a wrong type) fails a test. The
SDK's exceptions are checked for the error bodies Telnyx sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from telnyx import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    Omit,
    Telnyx,
    UnprocessableEntityError,
    omit,
)
from telnyx.types.ai import InferenceEmbedding
from telnyx.types.ai.assistants import (
    CanaryDeployResponse,
    DeletedAssistant,
    ScheduledEventResponse,
)

HANGUP = {"type": "hangup", "hangup": {"description": "Hang up when the caller is done."}}
SCHEDULED_AT = "2031-01-15T09:30:00Z"
AUTH_ERROR_BODY = {"errors": [{
    "code": "10009",
    "title": "Authentication failed",
    "detail": "The required authentication headers were either invalid or not included in the "
              "request.",
    "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10009"},
}]}


def sdk_client(live_url: str, api_key: str) -> Telnyx:
    return Telnyx(api_key=api_key, base_url=live_url + "/v2", max_retries=0,
                  _strict_response_validation=True)


@pytest.fixture
def client(live_url: str, api_key: str) -> Iterator[Telnyx]:
    with sdk_client(live_url, api_key) as telnyx_client:
        yield telnyx_client


@pytest.fixture
def assistant(client: Telnyx) -> InferenceEmbedding:
    return client.ai.assistants.create(name="Support bot", instructions="Help the caller.",
                                       tags=["support"])


def make_assistant(client: Telnyx, **fields: Any) -> InferenceEmbedding:
    return client.ai.assistants.create(**{"name": "Support bot",
                                          "instructions": "Help the caller.", **fields})


def non_main_version(client: Telnyx, assistant_id: str) -> str:
    """A version that is not main: an update that does not promote itself."""
    draft = client.ai.assistants.update(assistant_id, instructions="Draft instructions.",
                                        version_name="Draft", promote_to_main=False)
    assert draft.version_id is not None
    return draft.version_id


def create_test(client: Telnyx, **fields: Any):
    body = {"name": "Greets politely", "destination": "https://example.com/chat",
            "instructions": "Say hello and ask for opening hours.",
            "rubric": [{"name": "Politeness", "criteria": "The assistant greets the user."}],
            "telnyx_conversation_channel": "web_chat", "test_suite": "smoke", **fields}
    return client.ai.assistants.tests.create(**body)


# --- assistants: the journey, one step per test --------------------------------------------

def test_create_answers_the_assistant_with_its_fields(client: Telnyx) -> None:
    created = make_assistant(client, description="Front desk", tools=[HANGUP],
                             dynamic_variables={"shop": "Bo"})
    assert isinstance(created, InferenceEmbedding)
    assert created.id.startswith("assistant-")
    assert (created.name, created.instructions, created.description) == (
        "Support bot", "Help the caller.", "Front desk")
    assert created.tools is not None and created.tools[0].type == "hangup"
    assert created.dynamic_variables == {"shop": "Bo"}
    assert created.model


def test_create_fills_the_generated_telephony_and_messaging_settings(client: Telnyx) -> None:
    created = make_assistant(client)
    assert created.telephony_settings is not None
    assert created.telephony_settings.default_texml_app_id
    assert created.messaging_settings is not None
    assert created.messaging_settings.default_messaging_profile_id


def test_retrieve_answers_what_create_answered(client: Telnyx,
                                               assistant: InferenceEmbedding) -> None:
    assert client.ai.assistants.retrieve(assistant.id) == assistant


def test_retrieve_accepts_the_call_context_query(client: Telnyx,
                                                 assistant: InferenceEmbedding) -> None:
    fetched = client.ai.assistants.retrieve(
        assistant.id, fetch_dynamic_variables_from_webhook=False, from_="+13125550100",
        to="+13125550199", call_control_id="v3:abc")
    assert fetched.id == assistant.id


def test_update_answers_a_new_main_version(client: Telnyx,
                                           assistant: InferenceEmbedding) -> None:
    updated = client.ai.assistants.update(assistant.id, name="Renamed", version_name="Second")
    assert (updated.id, updated.name, updated.version_name) == (assistant.id, "Renamed", "Second")
    assert updated.version_id != assistant.version_id
    assert client.ai.assistants.retrieve(assistant.id) == updated


def test_update_without_promotion_keeps_the_main_version(client: Telnyx,
                                                        assistant: InferenceEmbedding) -> None:
    client.ai.assistants.update(assistant.id, name="Draft", promote_to_main=False)
    assert client.ai.assistants.retrieve(assistant.id).name == assistant.name


def test_list_answers_every_active_assistant(client: Telnyx) -> None:
    first, second = make_assistant(client, name="One"), make_assistant(client, name="Two")
    listed = client.ai.assistants.list()
    assert [a.id for a in listed.data] == [first.id, second.id]


def test_clone_is_a_new_assistant_without_telephony_and_messaging(
        client: Telnyx, assistant: InferenceEmbedding) -> None:
    clone = client.ai.assistants.clone(assistant.id)
    assert clone.id != assistant.id
    assert (clone.name, clone.instructions, clone.tags) == (
        assistant.name, assistant.instructions, assistant.tags)
    assert (clone.telephony_settings, clone.messaging_settings) == (None, None)
    assert {a.id for a in client.ai.assistants.list().data} == {assistant.id, clone.id}


def test_delete_is_a_soft_delete_by_default(client: Telnyx,
                                            assistant: InferenceEmbedding) -> None:
    answer = client.ai.assistants.delete(assistant.id)
    assert (answer.id, answer.deleted) == (assistant.id, True)
    assert answer.object
    assert client.ai.assistants.list().data == []


def test_deleted_list_shows_the_soft_deleted_assistant(client: Telnyx,
                                                       assistant: InferenceEmbedding) -> None:
    client.ai.assistants.delete(assistant.id)
    page = client.ai.assistants.deleted.list()
    assert [d.id for d in page.data] == [assistant.id]
    deleted = page.data[0]
    assert isinstance(deleted, DeletedAssistant)
    assert deleted.deleted_at is not None and deleted.permanently_deleted_at is not None


def test_deleted_list_pages_with_page_number_and_size(client: Telnyx) -> None:
    ids = [make_assistant(client, name=f"A{i}").id for i in range(3)]
    for assistant_id in ids:
        client.ai.assistants.delete(assistant_id)
    page = client.ai.assistants.deleted.list(page_number=2, page_size=2)
    assert len(page.data) == 1
    assert [d.id for d in client.ai.assistants.deleted.list(page_size=2)] == list(reversed(ids))


def test_deleted_get_answers_the_deleted_assistant(client: Telnyx,
                                                   assistant: InferenceEmbedding) -> None:
    client.ai.assistants.delete(assistant.id)
    deleted = client.ai.assistants.deleted.get(assistant.id)
    assert (deleted.id, deleted.name) == (assistant.id, assistant.name)


def test_restore_brings_a_soft_deleted_assistant_back(client: Telnyx,
                                                      assistant: InferenceEmbedding) -> None:
    client.ai.assistants.delete(assistant.id)
    restored = client.ai.assistants.restore(assistant.id)
    assert restored == assistant
    assert client.ai.assistants.deleted.list().data == []
    assert client.ai.assistants.retrieve(assistant.id) == assistant


def test_hard_delete_erases_the_assistant(client: Telnyx, assistant: InferenceEmbedding) -> None:
    answer = client.ai.assistants.delete(assistant.id, hard_delete=True)
    assert answer.deleted is True
    assert client.ai.assistants.deleted.list().data == []
    with pytest.raises(NotFoundError):
        client.ai.assistants.retrieve(assistant.id)


def test_hard_delete_erases_a_soft_deleted_assistant(client: Telnyx,
                                                     assistant: InferenceEmbedding) -> None:
    client.ai.assistants.delete(assistant.id)
    client.ai.assistants.delete(assistant.id, hard_delete=True)
    assert client.ai.assistants.deleted.list().data == []
    with pytest.raises(NotFoundError):
        client.ai.assistants.restore(assistant.id)


def test_imports_answers_one_assistant_per_import_id(client: Telnyx) -> None:
    imported = client.ai.assistants.imports(api_key_ref="vapi-key", provider="vapi",
                                            import_ids=["v-1", "v-2"])
    assert len(imported.data) == 2
    metadata = [a.import_metadata for a in imported.data]
    assert [(m.import_provider, m.import_id) for m in metadata if m] == [
        ("vapi", "v-1"), ("vapi", "v-2")]


def test_imports_again_reuses_the_imported_assistant(client: Telnyx) -> None:
    first = client.ai.assistants.imports(api_key_ref="k", provider="retell", import_ids=["r-1"])
    again = client.ai.assistants.imports(api_key_ref="k", provider="retell", import_ids=["r-1"])
    assert [a.id for a in again.data] == [a.id for a in first.data]


# --- versions ----------------------------------------------------------------------------

def test_versions_list_answers_every_version_newest_first(client: Telnyx,
                                                          assistant: InferenceEmbedding) -> None:
    updated = client.ai.assistants.update(assistant.id, name="Second")
    versions = client.ai.assistants.versions.list(assistant.id)
    assert [v.version_id for v in versions.data] == [updated.version_id, assistant.version_id]


def test_versions_retrieve_answers_one_version(client: Telnyx,
                                               assistant: InferenceEmbedding) -> None:
    assert assistant.version_id is not None
    version = client.ai.assistants.versions.retrieve(assistant.version_id,
                                                     assistant_id=assistant.id)
    assert version == assistant


def test_versions_retrieve_accepts_include_mcp_servers(client: Telnyx,
                                                       assistant: InferenceEmbedding) -> None:
    assert assistant.version_id is not None
    version = client.ai.assistants.versions.retrieve(
        assistant.version_id, assistant_id=assistant.id, include_mcp_servers=True)
    assert version.version_id == assistant.version_id


def test_versions_update_changes_a_non_main_version(client: Telnyx,
                                                    assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    changed = client.ai.assistants.versions.update(draft_id, assistant_id=assistant.id,
                                                   greeting="Hi there!")
    assert (changed.version_id, changed.greeting) == (draft_id, "Hi there!")
    again = client.ai.assistants.versions.retrieve(draft_id, assistant_id=assistant.id)
    assert again == changed
    assert client.ai.assistants.retrieve(assistant.id).greeting == assistant.greeting


def test_versions_update_of_the_main_version_is_a_bad_request(
        client: Telnyx, assistant: InferenceEmbedding) -> None:
    assert assistant.version_id is not None
    with pytest.raises(BadRequestError) as caught:
        client.ai.assistants.versions.update(assistant.version_id, assistant_id=assistant.id,
                                             greeting="Hi")
    assert caught.value.body["errors"][0]["code"] == "10015"  # type: ignore[index]


def test_versions_promote_makes_the_version_main(client: Telnyx,
                                                 assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    promoted = client.ai.assistants.versions.promote(draft_id, assistant_id=assistant.id)
    assert (promoted.version_id, promoted.instructions) == (draft_id, "Draft instructions.")
    assert client.ai.assistants.retrieve(assistant.id) == promoted


def test_versions_delete_removes_a_non_main_version(client: Telnyx,
                                                    assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    assert client.ai.assistants.versions.delete(draft_id, assistant_id=assistant.id) is None
    with pytest.raises(NotFoundError):
        client.ai.assistants.versions.retrieve(draft_id, assistant_id=assistant.id)


# --- tags --------------------------------------------------------------------------------

def test_tags_add_answers_the_assistants_tags(client: Telnyx,
                                              assistant: InferenceEmbedding) -> None:
    assert client.ai.assistants.tags.add(assistant.id, tag="vip").tags == ["support", "vip"]


def test_tags_list_answers_every_tag_in_use(client: Telnyx,
                                            assistant: InferenceEmbedding) -> None:
    client.ai.assistants.tags.add(assistant.id, tag="billing")
    make_assistant(client, tags=["after-hours"])
    assert client.ai.assistants.tags.list().tags == ["after-hours", "billing", "support"]


def test_tags_remove_answers_the_remaining_tags(client: Telnyx,
                                                assistant: InferenceEmbedding) -> None:
    client.ai.assistants.tags.add(assistant.id, tag="vip")
    assert client.ai.assistants.tags.remove("support", assistant_id=assistant.id).tags == ["vip"]
    assert client.ai.assistants.retrieve(assistant.id).tags == ["vip"]


def test_tags_add_keeps_the_version(client: Telnyx, assistant: InferenceEmbedding) -> None:
    client.ai.assistants.tags.add(assistant.id, tag="vip")
    assert client.ai.assistants.retrieve(assistant.id).version_id == assistant.version_id


# --- canary deploys ----------------------------------------------------------------------

def test_canary_create_answers_the_rules(client: Telnyx, assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    canary = client.ai.assistants.canary_deploys.create(
        assistant.id, rules=[{"serve": {"rollout": [{"version_id": draft_id, "weight": 25}]}}])
    assert isinstance(canary, CanaryDeployResponse)
    assert canary.assistant_id == assistant.id
    assert canary.rules[0].serve.rollout is not None
    assert [(s.version_id, s.weight) for s in canary.rules[0].serve.rollout] == [(draft_id, 25)]


def test_canary_retrieve_answers_what_create_answered(client: Telnyx,
                                                      assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    created = client.ai.assistants.canary_deploys.create(
        assistant.id, rules=[{"serve": {"version_id": draft_id},
                              "match": [{"attribute": "telnyx_conversation_channel",
                                         "operator": "in", "values": ["sms_chat"]}]}])
    assert client.ai.assistants.canary_deploys.retrieve(assistant.id) == created


def test_canary_update_replaces_the_rules(client: Telnyx, assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    client.ai.assistants.canary_deploys.create(
        assistant.id, rules=[{"serve": {"rollout": [{"version_id": draft_id, "weight": 10}]}}])
    updated = client.ai.assistants.canary_deploys.update(
        assistant.id, rules=[{"serve": {"version_id": draft_id}}])
    assert [r.serve.version_id for r in updated.rules] == [draft_id]
    assert client.ai.assistants.canary_deploys.retrieve(assistant.id) == updated


def test_canary_delete_removes_the_deploy(client: Telnyx, assistant: InferenceEmbedding) -> None:
    draft_id = non_main_version(client, assistant.id)
    client.ai.assistants.canary_deploys.create(
        assistant.id, rules=[{"serve": {"version_id": draft_id}}])
    assert client.ai.assistants.canary_deploys.delete(assistant.id) is None
    with pytest.raises(NotFoundError):
        client.ai.assistants.canary_deploys.retrieve(assistant.id)


def test_canary_of_an_unknown_version_is_a_bad_request(client: Telnyx,
                                                       assistant: InferenceEmbedding) -> None:
    with pytest.raises(BadRequestError):
        client.ai.assistants.canary_deploys.create(
            assistant.id, rules=[{"serve": {"version_id": "no-such-version"}}])


# --- scheduled events --------------------------------------------------------------------

def test_scheduled_events_create_answers_a_pending_phone_call(
        client: Telnyx, assistant: InferenceEmbedding) -> None:
    event = client.ai.assistants.scheduled_events.create(
        assistant.id, scheduled_at_fixed_datetime=SCHEDULED_AT, telnyx_agent_target="+13125550199",
        telnyx_conversation_channel="phone_call", telnyx_end_user_target="+13125550100")
    assert event.assistant_id == assistant.id
    assert event.status == "pending"


def test_scheduled_events_retrieve_answers_the_sms_event(client: Telnyx,
                                                         assistant: InferenceEmbedding) -> None:
    event = client.ai.assistants.scheduled_events.create(
        assistant.id, scheduled_at_fixed_datetime=SCHEDULED_AT, telnyx_agent_target="+13125550199",
        telnyx_conversation_channel="sms_chat", telnyx_end_user_target="+13125550100",
        text="Your table is ready.")
    assert event.scheduled_event_id is not None
    fetched = client.ai.assistants.scheduled_events.retrieve(event.scheduled_event_id,
                                                             assistant_id=assistant.id)
    assert fetched == event
    assert fetched.text == "Your table is ready."  # type: ignore[union-attr]


def test_scheduled_events_list_filters_by_channel(client: Telnyx,
                                                  assistant: InferenceEmbedding) -> None:
    common = {"scheduled_at_fixed_datetime": SCHEDULED_AT,
              "telnyx_agent_target": "+13125550199", "telnyx_end_user_target": "+13125550100"}
    call: ScheduledEventResponse = client.ai.assistants.scheduled_events.create(
        assistant.id, telnyx_conversation_channel="phone_call", **common)
    client.ai.assistants.scheduled_events.create(
        assistant.id, telnyx_conversation_channel="sms_chat", text="Hi", **common)
    page = client.ai.assistants.scheduled_events.list(assistant.id,
                                                      conversation_channel="phone_call")
    assert [e.scheduled_event_id for e in page.data] == [call.scheduled_event_id]
    assert len(client.ai.assistants.scheduled_events.list(assistant.id).data) == 2


def test_scheduled_events_delete_cancels_the_event(client: Telnyx,
                                                   assistant: InferenceEmbedding) -> None:
    event = client.ai.assistants.scheduled_events.create(
        assistant.id, scheduled_at_fixed_datetime=SCHEDULED_AT, telnyx_agent_target="+13125550199",
        telnyx_conversation_channel="phone_call", telnyx_end_user_target="+13125550100")
    assert event.scheduled_event_id is not None
    assert client.ai.assistants.scheduled_events.delete(
        event.scheduled_event_id, assistant_id=assistant.id) is None
    with pytest.raises(NotFoundError):
        client.ai.assistants.scheduled_events.retrieve(event.scheduled_event_id,
                                                       assistant_id=assistant.id)


# --- tests and runs ----------------------------------------------------------------------

def test_tests_create_answers_the_test(client: Telnyx) -> None:
    created = create_test(client)
    assert (created.name, created.test_suite, created.telnyx_conversation_channel) == (
        "Greets politely", "smoke", "web_chat")
    assert [r.name for r in created.rubric] == ["Politeness"]


def test_tests_retrieve_answers_what_create_answered(client: Telnyx) -> None:
    created = create_test(client)
    assert client.ai.assistants.tests.retrieve(created.test_id) == created


def test_tests_update_changes_the_sent_fields(client: Telnyx) -> None:
    created = create_test(client)
    updated = client.ai.assistants.tests.update(created.test_id, name="Renamed",
                                                max_duration_seconds=120)
    assert (updated.name, updated.max_duration_seconds, updated.instructions) == (
        "Renamed", 120, created.instructions)
    assert client.ai.assistants.tests.retrieve(created.test_id) == updated


def test_tests_list_filters_by_suite(client: Telnyx) -> None:
    smoke = create_test(client)
    create_test(client, test_suite="regression")
    page = client.ai.assistants.tests.list(test_suite="smoke")
    assert [t.test_id for t in page.data] == [smoke.test_id]


def test_tests_delete_removes_the_test(client: Telnyx) -> None:
    created = create_test(client)
    assert client.ai.assistants.tests.delete(created.test_id) is None
    with pytest.raises(NotFoundError):
        client.ai.assistants.tests.retrieve(created.test_id)


def test_test_suites_list_answers_the_suite_names(client: Telnyx) -> None:
    create_test(client)
    create_test(client, test_suite="regression")
    assert sorted(client.ai.assistants.tests.test_suites.list().data) == ["regression", "smoke"]


def test_runs_trigger_answers_a_run_of_the_test(client: Telnyx) -> None:
    created = create_test(client)
    run = client.ai.assistants.tests.runs.trigger(created.test_id)
    assert run.test_id == created.test_id
    assert run.run_id


def test_runs_retrieve_and_list_answer_the_run(client: Telnyx) -> None:
    created = create_test(client)
    run = client.ai.assistants.tests.runs.trigger(created.test_id)
    fetched = client.ai.assistants.tests.runs.retrieve(run.run_id, test_id=created.test_id)
    assert fetched.run_id == run.run_id
    listed = client.ai.assistants.tests.runs.list(created.test_id)
    assert [r.run_id for r in listed.data] == [run.run_id]


def test_suite_runs_trigger_runs_every_test_of_the_suite(client: Telnyx) -> None:
    first, second = create_test(client), create_test(client, name="Second")
    runs = client.ai.assistants.tests.test_suites.runs.trigger("smoke")
    assert sorted(r.test_id for r in runs) == sorted([first.test_id, second.test_id])
    listed = client.ai.assistants.tests.test_suites.runs.list("smoke")
    assert sorted(r.run_id for r in listed.data) == sorted(r.run_id for r in runs)


# --- conversations -----------------------------------------------------------------------

def test_chat_answers_the_assistants_reply(client: Telnyx, assistant: InferenceEmbedding) -> None:
    reply = client.ai.assistants.chat(assistant.id, content="When do you open?",
                                      conversation_id="conv-1", name="Bob")
    assert "When do you open?" in reply.content


def test_send_sms_answers_a_conversation_id(client: Telnyx,
                                            assistant: InferenceEmbedding) -> None:
    answer = client.ai.assistants.send_sms(assistant.id, from_="+13125550199",
                                           to="+13125550100", text="Your table is ready.")
    assert answer.conversation_id


def test_get_texml_answers_a_texml_document(client: Telnyx,
                                            assistant: InferenceEmbedding) -> None:
    texml = client.ai.assistants.get_texml(assistant.id)
    assert isinstance(texml, str)
    assert "<Response>" in texml and assistant.id in texml


def test_instructions_enhance_answers_the_improved_text(client: Telnyx,
                                                        assistant: InferenceEmbedding) -> None:
    text = client.ai.assistants.instructions.enhance(assistant.id,
                                                     enhancement_prompt="Be concise.")
    assert isinstance(text, str) and text


def test_instructions_enhance_streams_plain_text(client: Telnyx,
                                                 assistant: InferenceEmbedding) -> None:
    with client.ai.assistants.instructions.with_streaming_response.enhance(
            assistant.id, instructions="Help.") as response:
        assert response.headers["content-type"].startswith("text/plain")
        streamed = "".join(response.iter_text())
    assert streamed


# --- shared tools ------------------------------------------------------------------------

def test_tools_add_attaches_a_shared_tool(client: Telnyx, assistant: InferenceEmbedding) -> None:
    assert client.ai.assistants.tools.add("tool-1", assistant_id=assistant.id) == {}


def test_tools_test_answers_the_tool_result(client: Telnyx,
                                            assistant: InferenceEmbedding) -> None:
    client.ai.assistants.tools.add("tool-1", assistant_id=assistant.id)
    result = client.ai.assistants.tools.test("tool-1", assistant_id=assistant.id,
                                             arguments={"city": "Chicago"})
    assert (result.data.success, result.data.status_code) == (True, 200)
    assert result.data.request == {"tool_id": "tool-1", "arguments": {"city": "Chicago"},
                                   "dynamic_variables": {}}


def test_tools_remove_detaches_the_tool(client: Telnyx, assistant: InferenceEmbedding) -> None:
    client.ai.assistants.tools.add("tool-1", assistant_id=assistant.id)
    assert client.ai.assistants.tools.remove("tool-1", assistant_id=assistant.id) == {}
    with pytest.raises(NotFoundError):
        client.ai.assistants.tools.test("tool-1", assistant_id=assistant.id)


# --- errors ------------------------------------------------------------------------------

def test_a_missing_key_raises_authentication_error_with_the_10009_body(client: Telnyx) -> None:
    with pytest.raises(AuthenticationError) as caught:
        client.ai.assistants.list(extra_headers={"Authorization": Omit()})
    assert caught.value.status_code == 401
    assert caught.value.body == AUTH_ERROR_BODY


def test_a_non_bearer_key_raises_authentication_error(client: Telnyx) -> None:
    with pytest.raises(AuthenticationError) as caught:
        client.ai.assistants.tags.list(extra_headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert caught.value.body == AUTH_ERROR_BODY


def test_an_unknown_assistant_raises_not_found_with_the_10005_envelope(client: Telnyx) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.ai.assistants.retrieve("assistant-00000000-0000-4000-8000-000000000000")
    assert caught.value.status_code == 404
    body: Any = caught.value.body
    assert set(body) == {"errors"} and len(body["errors"]) == 1
    error = body["errors"][0]
    assert (error["code"], error["title"]) == ("10005", "Resource not found")
    assert error["detail"]
    assert error["meta"] == {"url": "https://developers.telnyx.com/docs/overview/errors/10005"}


def test_another_keys_assistant_raises_not_found(client: Telnyx, live_url: str,
                                                 assistant: InferenceEmbedding) -> None:
    with sdk_client(live_url, "another-key-entirely") as other, pytest.raises(NotFoundError):
        other.ai.assistants.retrieve(assistant.id)


def test_a_wrong_typed_field_raises_unprocessable_entity_with_fastapis_detail(
        client: Telnyx) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.ai.assistants.create(name="Bot", instructions="Help.",
                                    extra_body={"dynamic_variables_webhook_timeout_ms": "soon"})
    assert caught.value.status_code == 422
    assert caught.value.body == {"detail": [{
        "type": "int_parsing",
        "loc": ["body", "dynamic_variables_webhook_timeout_ms"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": "soon",
    }]}


def test_missing_required_fields_raise_unprocessable_entity_listing_each(
        client: Telnyx) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.ai.assistants.tests.create(name="T", destination="d", instructions=omit,
                                          rubric=omit)
    sent = {"name": "T", "destination": "d"}
    assert caught.value.body == {"detail": [
        {"type": "missing", "loc": ["body", "instructions"], "msg": "Field required",
         "input": sent},
        {"type": "missing", "loc": ["body", "rubric"], "msg": "Field required", "input": sent},
    ]}


def test_null_required_fields_raise_unprocessable_entity_with_their_types(
        client: Telnyx) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.ai.assistants.tests.create(name="T", destination="d", instructions=None,
                                          rubric=None)  # type: ignore[arg-type]
    detail = caught.value.body["detail"]  # type: ignore[index]
    assert [(e["type"], e["loc"], e["input"]) for e in detail] == [
        ("string_type", ["body", "instructions"], None), ("list_type", ["body", "rubric"], None)]


def test_a_duplicate_single_instance_tool_raises_bad_request_10015(client: Telnyx) -> None:
    with pytest.raises(BadRequestError) as caught:
        make_assistant(client, tools=[HANGUP, HANGUP])
    assert caught.value.status_code == 400
    error = caught.value.body["errors"][0]  # type: ignore[index]
    assert (error["code"], error["title"]) == ("10015", "Bad Request")
    assert "hangup" in error["detail"]
