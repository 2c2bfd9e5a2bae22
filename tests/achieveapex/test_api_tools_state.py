"""ApiTools: reusable tools, hard-deleted, unlinked from assistants when removed."""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.api_tools import API_TOOL_FIELD_TYPES, ApiTools, tool_id_of
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.query import parse_query
from assistant_fake.vendors.achieveapex.records import Caller

NOW = "2026-05-01T12:00:00.000Z"


@pytest.fixture
def tools(store: Store) -> ApiTools:
    return ApiTools(store)


def body(caller: Caller, **fields: Any) -> dict[str, Any]:
    return {"organization_id": caller.organization_id, "name": "Weather",
            "description": "Current weather for a city", "endpoint": "https://w.example/{city}",
            "method": "GET", **fields}


def assistants(store: Store, caller: Caller) -> Any:
    return store.collection(f"achieveapex/{caller.organization_id}/ai_assistants")


def add_assistant(store: Store, caller: Caller, assistant_id: int, links: list[Any], *,
                  deleted: bool = False) -> None:
    assistants(store, caller).put(str(assistant_id), {
        "id": assistant_id, "organization_id": caller.organization_id, "api_tools": links,
        "updated_at": NOW, "deleted_at": NOW if deleted else None})


def status_of(call: Any, *args: Any) -> int:
    with pytest.raises(FeathersProblem) as problem:
        call(*args)
    return problem.value.status


def test_create_fills_the_spec_defaults(tools: ApiTools, caller: Caller) -> None:
    record = tools.create(caller, body(caller))
    assert record == {"id": 1, "organization_id": caller.organization_id, "name": "Weather",
                      "description": "Current weather for a city",
                      "endpoint": "https://w.example/{city}", "method": "GET", "headers": {},
                      "url_parameters": [], "body_parameters": [],
                      "created_at": NOW, "updated_at": NOW}


def test_create_keeps_parameters_as_sent(tools: ApiTools, caller: Caller) -> None:
    city = {"id": "p1", "name": "city", "type": "string", "location": "path",
            "value_source": "ai", "required": True}
    record = tools.create(caller, body(caller, url_parameters=[city],
                                       response_example={"temp": 21}))
    assert (record["url_parameters"], record["response_example"]) == ([city], {"temp": 21})


def test_create_for_another_organization_answers_404(tools: ApiTools, caller: Caller,
                                                     other: Caller) -> None:
    data = body(caller, organization_id=other.organization_id)
    assert status_of(tools.create, caller, data) == 404


def test_patch_replaces_sent_fields_whole(tools: ApiTools, caller: Caller) -> None:
    tools.create(caller, body(caller, headers={"A": "1", "B": "2"}))
    patched = tools.patch(caller, 1, {"headers": {"C": "3"}, "method": "POST"})
    assert (patched["headers"], patched["method"], patched["name"]) == (
        {"C": "3"}, "POST", "Weather")
    assert patched["updated_at"] > patched["created_at"]


def test_patch_cannot_move_a_tool_to_another_organization(tools: ApiTools, caller: Caller,
                                                          other: Caller) -> None:
    tools.create(caller, body(caller))
    patched = tools.patch(caller, 1, {"organization_id": other.organization_id})
    assert patched["organization_id"] == caller.organization_id
    assert status_of(tools.get, other, 1) == 404


def test_remove_answers_the_removed_record_and_forgets_it(tools: ApiTools,
                                                          caller: Caller) -> None:
    created = tools.create(caller, body(caller))
    assert tools.remove(caller, 1) == created
    assert status_of(tools.get, caller, 1) == 404


def test_remove_unlinks_the_tool_from_every_assistant_of_the_organization(
        store: Store, tools: ApiTools, caller: Caller) -> None:
    tools.create(caller, body(caller))
    tools.create(caller, body(caller, name="Stocks"))
    add_assistant(store, caller, 10, [1, 2])
    add_assistant(store, caller, 11, [{"api_tool_id": 1, "enabled": True}, {"id": 2}])
    add_assistant(store, caller, 12, [1], deleted=True)  # a restore must not bring it back
    tools.remove(caller, 1)
    links = {key: assistants(store, caller).get(key)["api_tools"] for key in ("10", "11", "12")}
    assert links == {"10": [2], "11": [{"id": 2}], "12": []}


def test_remove_moves_updated_at_only_of_linking_assistants(store: Store, tools: ApiTools,
                                                            caller: Caller) -> None:
    tools.create(caller, body(caller))
    add_assistant(store, caller, 10, [1])
    add_assistant(store, caller, 11, [])
    tools.remove(caller, 1)
    assert assistants(store, caller).get("10")["updated_at"] > NOW
    assert assistants(store, caller).get("11")["updated_at"] == NOW


def test_remove_leaves_assistants_of_other_organizations_alone(
        store: Store, tools: ApiTools, caller: Caller, other: Caller) -> None:
    tools.create(caller, body(caller))
    add_assistant(store, other, 20, [1])  # a stray id in another tenant is not ours to touch
    tools.remove(caller, 1)
    assert assistants(store, other).get("20")["api_tools"] == [1]


def test_tool_of_another_organization_answers_404_everywhere(
        tools: ApiTools, caller: Caller, other: Caller) -> None:
    created = tools.create(caller, body(caller))
    assert status_of(tools.get, other, 1) == 404
    assert status_of(tools.patch, other, 1, {"name": "Hijacked"}) == 404
    assert status_of(tools.remove, other, 1) == 404
    assert tools.get(caller, 1) == created


def test_find_filters_with_the_feathers_query(tools: ApiTools, caller: Caller,
                                              other: Caller) -> None:
    tools.create(caller, body(caller))
    tools.create(caller, body(caller, name="Post it", method="POST"))
    tools.create(other, body(other, method="POST"))
    query = parse_query({"method": "POST"}, field_types=API_TOOL_FIELD_TYPES)
    assert [t["id"] for t in tools.find(caller, query)["data"]] == [2]


@pytest.mark.parametrize(("link", "expected"), [
    (3, 3), ({"api_tool_id": 3}, 3), ({"id": 3}, 3), ({"api_tool_id": 3, "id": 9}, 3),
    (True, None), ("3", None), ({"name": "x"}, None), (None, None),
])
def test_tool_id_of_reads_ids_and_association_objects(link: Any, expected: int | None) -> None:
    assert tool_id_of(link) == expected
