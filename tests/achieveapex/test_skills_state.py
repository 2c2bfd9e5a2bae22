"""AiAssistantSkills: skills of the caller's active assistants, hard-deleted."""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.query import parse_query
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.skills import SKILL_FIELD_TYPES, AiAssistantSkills

NOW = "2026-05-01T12:00:00.000Z"


@pytest.fixture
def skills(store: Store) -> AiAssistantSkills:
    return AiAssistantSkills(store)


def add_assistant(store: Store, caller: Caller, assistant_id: int, *,
                  deleted: bool = False) -> int:
    """An assistant record as the assistants service stores it (only what skills read)."""
    store.collection(f"achieveapex/{caller.organization_id}/ai_assistants").put(
        str(assistant_id), {"id": assistant_id, "organization_id": caller.organization_id,
                            "deleted_at": NOW if deleted else None})
    return assistant_id


def body(caller: Caller, assistant_id: int, **fields: Any) -> dict[str, Any]:
    return {"assistant_id": assistant_id, "organization_id": caller.organization_id,
            "name": "Refunds", "content": "How refunds work.", **fields}


def status_of(call: Any, *args: Any) -> int:
    with pytest.raises(FeathersProblem) as problem:
        call(*args)
    return problem.value.status


def test_create_answers_the_full_record(store: Store, skills: AiAssistantSkills,
                                        caller: Caller) -> None:
    add_assistant(store, caller, 7)
    record = skills.create(caller, body(caller, 7, when_to_use="When asked about refunds"))
    assert record == {"id": 1, "assistant_id": 7, "organization_id": caller.organization_id,
                      "name": "Refunds", "content": "How refunds work.",
                      "when_to_use": "When asked about refunds",
                      "created_at": NOW, "updated_at": NOW}
    assert skills.get(caller, 1) == record


def test_create_for_another_organization_answers_404(store: Store, skills: AiAssistantSkills,
                                                     caller: Caller, other: Caller) -> None:
    add_assistant(store, caller, 7)
    data = {**body(caller, 7), "organization_id": other.organization_id}
    assert status_of(skills.create, caller, data) == 404


def test_create_for_an_assistant_of_another_organization_answers_404(
        store: Store, skills: AiAssistantSkills, caller: Caller, other: Caller) -> None:
    add_assistant(store, other, 7)
    assert status_of(skills.create, caller, body(caller, 7)) == 404


def test_create_for_a_soft_deleted_assistant_answers_404(store: Store, skills: AiAssistantSkills,
                                                         caller: Caller) -> None:
    add_assistant(store, caller, 7, deleted=True)
    with pytest.raises(FeathersProblem) as problem:
        skills.create(caller, body(caller, 7))
    assert problem.value.body == {"name": "NotFound", "message": "No record found for id '7'",
                                  "code": 404, "className": "not-found"}


def test_refused_create_stores_nothing(skills: AiAssistantSkills, caller: Caller) -> None:
    status_of(skills.create, caller, body(caller, 99))
    assert skills.find(caller)["total"] == 0


def test_unknown_fields_are_not_stored(store: Store, skills: AiAssistantSkills,
                                       caller: Caller) -> None:
    add_assistant(store, caller, 7)
    record = skills.create(caller, body(caller, 7, id=500, created_at="1999-01-01T00:00:00Z",
                                        colour="red"))
    assert (record["id"], record["created_at"], "colour" in record) == (1, NOW, False)


def test_patch_changes_only_the_editable_fields(store: Store, skills: AiAssistantSkills,
                                                caller: Caller) -> None:
    add_assistant(store, caller, 7)
    add_assistant(store, caller, 8)
    skills.create(caller, body(caller, 7))
    patched = skills.patch(caller, 1, {"content": "New policy.", "assistant_id": 8,
                                       "organization_id": 999, "id": 42})
    assert (patched["content"], patched["assistant_id"], patched["organization_id"],
            patched["id"], patched["name"]) == (
        "New policy.", 7, caller.organization_id, 1, "Refunds")


def test_patch_moves_updated_at_forward_on_a_frozen_clock(store: Store, skills: AiAssistantSkills,
                                                          caller: Caller) -> None:
    add_assistant(store, caller, 7)
    created = skills.create(caller, body(caller, 7))
    patched = skills.patch(caller, 1, {"name": "Returns"})
    assert patched["created_at"] == created["created_at"]
    assert patched["updated_at"] > created["updated_at"]


def test_skill_of_a_deleted_assistant_stays_editable(store: Store, skills: AiAssistantSkills,
                                                     caller: Caller) -> None:
    add_assistant(store, caller, 7)
    skills.create(caller, body(caller, 7))
    add_assistant(store, caller, 7, deleted=True)
    assert skills.patch(caller, 1, {"name": "Returns"})["name"] == "Returns"


def test_remove_answers_the_removed_record_and_forgets_it(
        store: Store, skills: AiAssistantSkills, caller: Caller) -> None:
    add_assistant(store, caller, 7)
    created = skills.create(caller, body(caller, 7))
    assert skills.remove(caller, 1) == created
    assert status_of(skills.get, caller, 1) == 404


def test_skill_of_another_organization_answers_404_everywhere(
        store: Store, skills: AiAssistantSkills, caller: Caller, other: Caller) -> None:
    add_assistant(store, caller, 7)
    created = skills.create(caller, body(caller, 7))
    assert status_of(skills.get, other, 1) == 404
    assert status_of(skills.patch, other, 1, {"name": "Hijacked"}) == 404
    assert status_of(skills.remove, other, 1) == 404
    assert skills.get(caller, 1) == created


def test_ids_come_from_one_sequence_across_organizations(
        store: Store, skills: AiAssistantSkills, caller: Caller, other: Caller) -> None:
    add_assistant(store, caller, 7)
    add_assistant(store, other, 8)
    first = skills.create(caller, body(caller, 7))
    second = skills.create(other, body(other, 8))
    assert (first["id"], second["id"]) == (1, 2)


def test_find_filters_with_the_feathers_query(store: Store, skills: AiAssistantSkills,
                                              caller: Caller) -> None:
    add_assistant(store, caller, 7)
    add_assistant(store, caller, 8)
    skills.create(caller, body(caller, 7))
    skills.create(caller, body(caller, 8, name="Billing"))
    skills.create(caller, body(caller, 8, name="Shipping"))
    query = parse_query({"assistant_id": "8", "$sort": {"name": "-1"}},
                        field_types=SKILL_FIELD_TYPES)
    page = skills.find(caller, query)
    assert (page["total"], [s["name"] for s in page["data"]]) == (2, ["Shipping", "Billing"])


def test_find_answers_only_the_callers_skills(store: Store, skills: AiAssistantSkills,
                                              caller: Caller, other: Caller) -> None:
    add_assistant(store, caller, 7)
    add_assistant(store, other, 8)
    skills.create(caller, body(caller, 7))
    skills.create(other, body(other, 8))
    assert [s["id"] for s in skills.find(other)["data"]] == [2]
