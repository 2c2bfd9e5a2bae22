"""``/api-tools`` over HTTP: CRUD, parameter validation, and links from assistants.

An assistant links a tool through its ``api_tools`` array (the tool's id, or an object naming it
by ``api_tool_id`` or ``id``); removing the tool drops it from every assistant that links it.
"""

from __future__ import annotations

import pytest

T0_STAMP = "2026-04-25T19:00:00.000Z"  # conftest's FROZEN_AT
PARAMETER = {"id": "p1", "name": "order_id", "type": "string", "description": "The order.",
             "required": True, "value_source": "ai", "location": "path"}
NESTED = {"name": "customer", "type": "object", "properties": [
    {"name": "email", "type": "string", "required": True},
    {"name": "tier", "type": "string", "enum": ["gold", "silver"], "value_source": "fixed",
     "fixed_value": "gold"}],
    "items": {"name": "unused", "type": "string"}}


def test_create_answers_201_with_the_full_tool_and_its_defaults(apex, clock):
    response = apex.post("/api-tools", json={
        "organization_id": apex.organization_id, "name": "Order status",
        "description": "Looks an order up.", "endpoint": "https://shop.example.com/o/{order_id}",
        "method": "GET"})
    tool = response.json()
    assert (response.status_code, tool) == (201, {
        "id": tool["id"], "organization_id": apex.organization_id, "name": "Order status",
        "description": "Looks an order up.", "endpoint": "https://shop.example.com/o/{order_id}",
        "method": "GET", "headers": {}, "url_parameters": [], "body_parameters": [],
        "created_at": T0_STAMP, "updated_at": T0_STAMP})


def test_create_keeps_parameters_schema_and_example(apex):
    fields = {"headers": {"Authorization": "Bearer x"}, "url_parameters": [PARAMETER],
              "body_parameters": [NESTED],
              "parameters_schema": {"type": "object", "properties": {"q": {"type": "string"}}},
              "response_example": [{"status": "shipped"}], "method": "POST"}
    tool = apex.create_api_tool(**fields)
    assert {key: tool[key] for key in fields} == fields


def test_create_lists_every_violation_with_its_path(apex, feathers, ajv_error):
    response = apex.post("/api-tools", json={
        "organization_id": apex.organization_id, "name": "n", "description": "d",
        "endpoint": "e", "method": "FETCH", "headers": {"a": 1},
        "url_parameters": [{"name": "x", "type": "date", "location": "body",
                            "value_source": "x"}, {"type": "string"}],
        "body_parameters": "no"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/method", "#/allOf/1/properties/method/enum", "enum",
                  {"allowedValues": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/headers/a",
                  "#/allOf/1/properties/headers/additionalProperties/type", "type",
                  {"type": "string"}, "must be string"),
        ajv_error("body", "/url_parameters/0/type",
                  "#/allOf/1/properties/url_parameters/items/properties/type/enum", "enum",
                  {"allowedValues": ["string", "number", "integer", "boolean", "array",
                                     "object"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/url_parameters/0/value_source",
                  "#/allOf/1/properties/url_parameters/items/properties/value_source/enum",
                  "enum", {"allowedValues": ["ai", "fixed"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/url_parameters/0/location",
                  "#/allOf/1/properties/url_parameters/items/properties/location/enum",
                  "enum", {"allowedValues": ["query", "path"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/url_parameters/1",
                  "#/allOf/1/properties/url_parameters/items/required", "required",
                  {"missingProperty": "name"}, "must have required property 'name'"),
        ajv_error("body", "/body_parameters", "#/allOf/1/properties/body_parameters/type",
                  "type", {"type": "array"}, "must be array")))


def test_create_needs_the_required_fields(apex, feathers, ajv_error):
    response = apex.post("/api-tools", json={"organization_id": apex.organization_id})
    missing = ["name", "description", "endpoint", "method"]
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(*(
        ajv_error("body", "", "#/required", "required", {"missingProperty": name},
                  f"must have required property '{name}'") for name in missing)))


def test_create_in_another_organization_answers_404(apex, apex_as, feathers):
    other = apex_as().organization_id
    response = apex.post("/api-tools", json={"organization_id": other, "name": "n",
                                             "description": "d", "endpoint": "e",
                                             "method": "GET"})
    assert (response.status_code, response.json()) == (404, feathers.not_found(other))


def test_get_and_list_answer_the_tool(apex):
    tool = apex.create_api_tool()
    assert apex.ok("GET", f"/api-tools/{tool['id']}") == tool
    assert apex.ok("GET", "/api-tools", params={"method": "GET"})["data"] == [tool]
    assert apex.ok("GET", "/api-tools", params={"method": "POST"})["total"] == 0


def test_the_list_refuses_a_method_outside_the_enum(apex, feathers, ajv_error):
    response = apex.get("/api-tools", params={"method": "FETCH"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/method", "#/properties/method/enum", "enum",
                  {"allowedValues": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
                  "must be equal to one of the allowed values")))


def test_patch_replaces_the_fields_sent(apex, clock):
    tool = apex.create_api_tool(url_parameters=[PARAMETER], headers={"A": "1"})
    patched = apex.ok("PATCH", f"/api-tools/{tool['id']}", json={
        "url_parameters": [], "headers": {"B": "2"}, "method": "PUT", "organization_id": 1,
        "id": 1})
    assert patched == {**tool, "url_parameters": [], "headers": {"B": "2"}, "method": "PUT",
                       "updated_at": "2026-04-25T19:00:00.001Z"}
    assert apex.ok("GET", f"/api-tools/{tool['id']}") == patched


def test_patch_validates_the_fields_sent(apex, feathers, ajv_error):
    tool = apex.create_api_tool()
    response = apex.patch(f"/api-tools/{tool['id']}", json={"endpoint": ""})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/endpoint", "#/allOf/0/properties/endpoint/minLength", "minLength",
                  {"limit": 1}, "must NOT have fewer than 1 characters")))


def test_delete_removes_the_tool_for_good(apex, feathers):
    tool = apex.create_api_tool()
    assert apex.ok("DELETE", f"/api-tools/{tool['id']}") == tool
    response = apex.get(f"/api-tools/{tool['id']}")
    assert (response.status_code, response.json()) == (404, feathers.not_found(tool["id"]))


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"name": "X"}),
                                              ("DELETE", None)])
def test_an_unknown_tool_answers_404(apex, feathers, method, body):
    response = apex.request(method, "/api-tools/987654321", json=body)
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


# --- links from assistants ------------------------------------------------------------------

def test_an_assistant_links_tools_by_id_or_by_object(apex):
    first, second = apex.create_api_tool(), apex.create_api_tool(name="Other")
    links = [first["id"], {"api_tool_id": second["id"], "enabled": True}]
    assistant = apex.create_assistant(api_tools=links)
    assert apex.ok("GET", f"/ai-assistants/{assistant['id']}")["api_tools"] == links


def test_removing_a_tool_unlinks_it_from_every_assistant(apex):
    gone, kept = apex.create_api_tool(name="Gone"), apex.create_api_tool(name="Kept")
    by_id = apex.create_assistant(api_tools=[gone["id"], kept["id"]])
    by_object = apex.create_assistant(api_tools=[{"api_tool_id": gone["id"]},
                                                 {"id": kept["id"]}, {"id": gone["id"]}])
    apex.ok("DELETE", f"/api-tools/{gone['id']}")
    assert apex.ok("GET", f"/ai-assistants/{by_id['id']}")["api_tools"] == [kept["id"]]
    assert apex.ok("GET", f"/ai-assistants/{by_object['id']}")["api_tools"] == [
        {"id": kept["id"]}]


def test_unlinking_moves_updated_at_of_the_linking_assistants_only(apex, clock):
    tool = apex.create_api_tool()
    linking = apex.create_assistant(api_tools=[tool["id"]])
    other = apex.create_assistant()
    apex.ok("DELETE", f"/api-tools/{tool['id']}")
    assert apex.ok("GET", f"/ai-assistants/{linking['id']}") == {
        **linking, "api_tools": [], "updated_at": "2026-04-25T19:00:00.001Z"}
    assert apex.ok("GET", f"/ai-assistants/{other['id']}") == other


def test_unlinking_records_no_snapshot(apex):
    tool = apex.create_api_tool()
    assistant = apex.create_assistant(api_tools=[tool["id"]])
    apex.ok("DELETE", f"/api-tools/{tool['id']}")
    assert apex.history(assistant["id"])["total"] == 1


def test_removing_a_tool_unlinks_it_from_deleted_assistants_too(apex):
    tool = apex.create_api_tool()
    assistant = apex.create_assistant(api_tools=[tool["id"]])
    apex.ok("DELETE", f"/ai-assistants/{assistant['id']}")
    apex.ok("DELETE", f"/api-tools/{tool['id']}")
    restored = apex.patch_assistant(assistant["id"], deleted_at=None)
    assert restored["api_tools"] == []


def test_removing_a_tool_leaves_other_organizations_links_alone(apex, apex_as):
    tool = apex.create_api_tool()
    other = apex_as()
    theirs = other.create_assistant(api_tools=[tool["id"]])  # a dangling id of theirs
    apex.ok("DELETE", f"/api-tools/{tool['id']}")
    assert other.ok("GET", f"/ai-assistants/{theirs['id']}") == theirs
