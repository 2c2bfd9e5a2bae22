"""Telnyx assistant deletion: soft delete, hard delete, restore, Recently Deleted, handoffs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telnyx._models import validate_type
from telnyx.types.ai.assistant_delete_response import AssistantDeleteResponse
from telnyx.types.ai.assistants.deleted_assistant import DeletedAssistant

from assistant_fake.vendors.telnyx.rules import DELETE_OBJECT, BadRequest, NotFound


def handoff_to(*assistant_ids: str) -> dict:
    return {"type": "handoff", "handoff": {"ai_assistants": [
        {"id": assistant_id, "name": "Next"} for assistant_id in assistant_ids]}}


def flow_to(assistant_id: str) -> dict:
    return {"start_node_id": "n1",
            "nodes": [{"id": "n1", "instructions": "Greet."}],
            "edges": [{"id": "e1", "start_node_id": "n1",
                       "condition": {"type": "llm", "prompt": "wants sales"},
                       "target": {"type": "assistant", "assistant_id": assistant_id}}]}


def test_delete_answers_the_openai_style_deleted_object(assistants, create_assistant):
    assistant = create_assistant()
    answer = assistants.delete("acme", assistant["id"])
    assert answer == {"id": assistant["id"], "object": DELETE_OBJECT, "deleted": True}
    validate_type(type_=AssistantDeleteResponse, value=answer)


def test_soft_deleted_assistant_is_gone_from_get_and_list(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    assert assistants.list("acme") == {"data": []}
    with pytest.raises(NotFound):
        assistants.get("acme", assistant["id"])


def test_soft_delete_keeps_the_assistant_restorable_for_30_days(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    deleted = assistants.get_deleted("acme", assistant["id"])
    assert deleted["deleted_at"] == "2026-11-21T10:00:00.000Z"
    assert deleted["permanently_deleted_at"] == "2026-12-21T10:00:00.000Z"
    validate_type(type_=DeletedAssistant, value=deleted)


def test_soft_deleting_twice_is_not_found(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    with pytest.raises(NotFound):
        assistants.delete("acme", assistant["id"])


def test_hard_delete_erases_the_assistant(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"], hard=True)
    assert assistants.list_deleted("acme")["data"] == []
    with pytest.raises(NotFound):
        assistants.get_deleted("acme", assistant["id"])
    with pytest.raises(NotFound):
        assistants.restore("acme", assistant["id"])


def test_hard_delete_erases_an_already_soft_deleted_assistant(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    assistants.delete("acme", assistant["id"], hard=True)
    assert assistants.list_deleted("acme")["data"] == []


def test_delete_unknown_assistant_is_not_found(assistants):
    with pytest.raises(NotFound):
        assistants.delete("acme", "assistant-missing")


def test_restore_brings_back_the_assistant_as_it_was(assistants, create_assistant):
    assistant = create_assistant(tags=["a"])
    assistants.delete("acme", assistant["id"])
    assert assistants.restore("acme", assistant["id"]) == assistant
    assert assistants.get("acme", assistant["id"]) == assistant
    assert assistants.list_deleted("acme")["data"] == []


def test_restore_keeps_every_version(assistants, create_assistant):
    assistant = create_assistant()
    assistants.update("acme", assistant["id"], {"name": "v2"})
    assistants.delete("acme", assistant["id"])
    assistants.restore("acme", assistant["id"])
    assert len(assistants.list_versions("acme", assistant["id"])["data"]) == 2


def test_restore_an_active_assistant_is_not_found(assistants, create_assistant):
    assistant = create_assistant()
    with pytest.raises(NotFound):
        assistants.restore("acme", assistant["id"])


def test_get_deleted_of_an_active_assistant_is_not_found(assistants, create_assistant):
    assistant = create_assistant()
    with pytest.raises(NotFound):
        assistants.get_deleted("acme", assistant["id"])


def test_after_retention_a_soft_deleted_assistant_is_gone_for_good(assistants, store,
                                                                   create_assistant, t0):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    store.clock.freeze(t0 + timedelta(days=30))
    assert assistants.list_deleted("acme")["data"] == []
    with pytest.raises(NotFound):
        assistants.restore("acme", assistant["id"])


def test_just_before_retention_ends_the_assistant_is_restorable(assistants, store,
                                                                create_assistant, t0):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    store.clock.freeze(t0 + timedelta(days=30) - timedelta(milliseconds=1))
    assert assistants.restore("acme", assistant["id"])["id"] == assistant["id"]


def test_deleted_list_is_paginated_most_recently_deleted_first(assistants, store,
                                                               create_assistant, t0):
    ids = [create_assistant(name=f"A{i}")["id"] for i in range(3)]
    for minute, assistant_id in enumerate(ids):
        store.clock.freeze(t0 + timedelta(minutes=minute))
        assistants.delete("acme", assistant_id)
    first_page = assistants.list_deleted("acme", page_number=1, page_size=2)
    assert [item["id"] for item in first_page["data"]] == [ids[2], ids[1]]
    assert first_page["meta"] == {"page_number": 1, "page_size": 2, "total_pages": 2,
                                  "total_results": 3}
    for item in first_page["data"]:
        validate_type(type_=DeletedAssistant, value=item)


def test_delete_is_refused_while_another_assistant_hands_off_to_it(assistants, store,
                                                                   create_assistant):
    target = create_assistant()
    create_assistant(tools=[handoff_to(target["id"])])
    writes = store.writes
    with pytest.raises(BadRequest, match="handoff"):
        assistants.delete("acme", target["id"])
    assert assistants.get("acme", target["id"]) == target
    assert store.writes == writes


def test_hard_delete_is_refused_while_another_assistant_hands_off_to_it(assistants,
                                                                        create_assistant):
    target = create_assistant()
    create_assistant(tools=[handoff_to("assistant-other", target["id"])])
    with pytest.raises(BadRequest):
        assistants.delete("acme", target["id"], hard=True)


def test_delete_is_refused_while_a_conversation_flow_edge_targets_it(assistants, create_assistant):
    target = create_assistant()
    create_assistant(conversation_flow=flow_to(target["id"]))
    with pytest.raises(BadRequest):
        assistants.delete("acme", target["id"])


def test_delete_is_allowed_once_the_handoff_is_removed(assistants, create_assistant):
    target = create_assistant()
    source = create_assistant(tools=[handoff_to(target["id"])])
    assistants.update("acme", source["id"], {"tools": []})
    assert assistants.delete("acme", target["id"])["deleted"] is True


def test_a_soft_deleted_assistants_handoff_does_not_block_deletion(assistants, create_assistant):
    target = create_assistant()
    source = create_assistant(tools=[handoff_to(target["id"])])
    assistants.delete("acme", source["id"])
    assert assistants.delete("acme", target["id"])["deleted"] is True


def test_an_assistant_handing_off_to_itself_can_be_deleted(assistants, create_assistant):
    assistant = create_assistant()
    assistants.update("acme", assistant["id"], {"tools": [handoff_to(assistant["id"])]})
    assert assistants.delete("acme", assistant["id"])["deleted"] is True


def test_handoffs_from_another_tenant_do_not_block_deletion(assistants, create_assistant):
    target = create_assistant(tenant="acme")
    create_assistant(tenant="globex", tools=[handoff_to(target["id"])])
    assert assistants.delete("acme", target["id"])["deleted"] is True


def test_soft_deleted_assistant_cannot_be_updated(assistants, create_assistant):
    assistant = create_assistant()
    assistants.delete("acme", assistant["id"])
    with pytest.raises(NotFound):
        assistants.update("acme", assistant["id"], {"name": "x"})


def test_recently_deleted_is_per_tenant(assistants, create_assistant):
    assistant = create_assistant(tenant="acme")
    assistants.delete("acme", assistant["id"])
    assert assistants.list_deleted("globex")["data"] == []
    with pytest.raises(NotFound):
        assistants.restore("globex", assistant["id"])
