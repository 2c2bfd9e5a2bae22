"""``POST /mcp-tool-connection-proxy`` over HTTP: the tools of an MCP server, deterministically.

A server a fixture configured offers exactly its tools (and may insist on credentials); a server
nobody configured offers tools named after its URL, the same ones every time; reserved and
loopback hosts nobody configured are unreachable. Every refusal is a 400 BadRequest whose
``data`` names the body field at fault.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant_fake.app import create_app
from assistant_fake.settings import Settings

PROXY = "/mcp-tool-connection-proxy"
CRM_TOOLS = [
    {"name": "crm_search", "description": "Search crm records (tool of mcp.acme.com).",
     "inputSchema": {"type": "object", "properties": {"query": {"type": "string"}},
                     "required": ["query"]}},
    {"name": "crm_get", "description": "Get one crm record by id (tool of mcp.acme.com).",
     "inputSchema": {"type": "object", "properties": {"id": {"type": "string"}},
                     "required": ["id"]}},
]
ORDER_TOOLS = [{"name": "get_order", "description": "One order by number.",
                "inputSchema": {"type": "object", "properties": {"number": {"type": "string"}}}},
               {"name": "list_orders"}]
FIXTURE = {"api_key": "mcp-fixture-key", "mcp_servers": [
    {"url": "https://orders.example.com/mcp", "tools": ORDER_TOOLS},
    {"url": "https://vault.example.com/mcp", "tools": [{"name": "read_secret"}],
     "credentials": {"authentication_type": "api_key", "api_key": "right-key"}},
    {"url": "http://localhost:3999/mcp", "tools": [{"name": "local_tool"}]},
]}


def connect(apex, url: str, authentication_type: str = "none", **fields: Any):
    return apex.post(PROXY, json={"url": url, "authentication_type": authentication_type,
                                  **fields})


def refusal(feathers, message: str, field: str) -> dict[str, Any]:
    return feathers.bad_request(message, {"location": "body", "instancePath": f"/{field}",
                                          "message": message})


@pytest.fixture(scope="module")
def configured(client_for, tmp_path_factory):
    """A client factory over an app whose fixtures configure ``FIXTURE``'s servers."""
    root = tmp_path_factory.mktemp("mcp-fixtures")
    (root / "achieveapex").mkdir()
    (root / "achieveapex" / "servers.json").write_text(json.dumps(FIXTURE))
    return client_for(create_app(Settings(fixtures_dir=root)))


# --- servers nobody configured ----------------------------------------------------------------

def test_a_server_answers_201_with_its_tools(apex):
    response = connect(apex, "https://mcp.acme.com/crm")
    assert (response.status_code, response.json()) == (201, {"tools": CRM_TOOLS})


def test_the_tool_list_is_the_same_every_time_and_for_every_organization(apex, apex_as):
    url = "https://tools.example.com/calendar"
    answers = [connect(client, url).json() for client in (apex, apex, apex_as())]
    assert answers[0] == answers[1] == answers[2]
    assert [tool["name"] for tool in answers[0]["tools"]] == [
        "calendar_search", "calendar_get", "calendar_create"]


def test_spellings_of_one_url_are_one_server(apex):
    assert connect(apex, "HTTPS://MCP.Acme.com:443/crm/").json() == {"tools": CRM_TOOLS}


def test_connecting_stores_nothing(apex):
    assistant = apex.create_assistant()
    connect(apex, "https://mcp.acme.com/crm")
    assert apex.ok("GET", f"/ai-assistants/{assistant['id']}") == assistant


def test_the_client_stores_the_chosen_server_on_the_assistant(apex):
    tools = connect(apex, "https://mcp.acme.com/crm").json()["tools"]
    server = {"url": "https://mcp.acme.com/crm", "authentication_type": "none",
              "tools": [tool["name"] for tool in tools]}
    assistant = apex.create_assistant(mcp_tools=[server])
    assert apex.ok("GET", f"/ai-assistants/{assistant['id']}")["mcp_tools"] == [server]


@pytest.mark.parametrize("url", ["https://mcp.down.invalid/sse", "http://localhost:3999/mcp",
                                 "http://127.0.0.1:8000", "http://[::1]:9000/mcp"])
def test_an_unreachable_server_answers_a_feathers_400(apex, feathers, url):
    response = connect(apex, url)
    assert (response.status_code, response.json()) == (400, refusal(
        feathers, f"Could not connect to the MCP server at {url}", "url"))


@pytest.mark.parametrize("url", ["ftp://tools.example.com", "tools.example.com", "https://",
                                 "https://example.com:port", "http://[::1"])
def test_a_url_that_is_not_http_answers_400(apex, feathers, url):
    response = connect(apex, url)
    assert (response.status_code, response.json()) == (400, refusal(
        feathers, "url must be an http:// or https:// URL with a host", "url"))


# --- authentication fields --------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "field", "empty"), [
    ("api_key", "api_key", ""), ("custom_headers", "custom_headers", {}),
    ("oauth2", "oauth2_config", {}),
])
def test_each_authentication_type_needs_its_field(apex, feathers, kind, field, empty):
    message = f"{field} is required when authentication_type is {kind}"
    for extra in ({}, {field: empty}):
        response = connect(apex, "https://mcp.acme.com/crm", kind, **extra)
        assert (response.status_code, response.json()) == (400, refusal(feathers, message,
                                                                         field))


@pytest.mark.parametrize(("kind", "fields"), [
    ("none", {}), ("api_key", {"api_key": "k"}),
    ("custom_headers", {"custom_headers": {"X-Token": "t"}}),
    ("oauth2", {"oauth2_config": {"client_id": "c", "client_secret": "s"}}),
])
def test_each_authentication_type_with_its_field_connects(apex, kind, fields):
    response = connect(apex, "https://mcp.acme.com/crm", kind, **fields)
    assert (response.status_code, response.json()) == (201, {"tools": CRM_TOOLS})


def test_the_body_is_validated_against_the_spec(apex, feathers, ajv_error):
    response = apex.post(PROXY, json={"authentication_type": "basic", "custom_headers": {"a": 1},
                                      "url": ""})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/url", "#/properties/url/minLength", "minLength", {"limit": 1},
                  "must NOT have fewer than 1 characters"),
        ajv_error("body", "/authentication_type", "#/properties/authentication_type/enum",
                  "enum", {"allowedValues": ["none", "api_key", "custom_headers", "oauth2"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/custom_headers/a",
                  "#/properties/custom_headers/additionalProperties/type", "type",
                  {"type": "string"}, "must be string")))


def test_url_and_authentication_type_are_required(apex, feathers, ajv_error):
    response = apex.post(PROXY, json={})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(*(
        ajv_error("body", "", "#/required", "required", {"missingProperty": name},
                  f"must have required property '{name}'")
        for name in ("url", "authentication_type"))))


# --- servers a fixture configured -------------------------------------------------------------

def test_a_configured_server_offers_exactly_its_tools(configured):
    response = connect(configured(), "https://orders.example.com/mcp")
    assert (response.status_code, response.json()) == (201, {"tools": ORDER_TOOLS})


def test_a_configured_server_is_there_for_every_organization(configured):
    assert connect(configured("mcp-fixture-key"), "https://orders.example.com/mcp/").json() == (
        {"tools": ORDER_TOOLS})


def test_a_configured_loopback_server_is_reachable(configured):
    assert connect(configured(), "http://localhost:3999/mcp").json() == {
        "tools": [{"name": "local_tool"}]}


def test_a_configured_server_with_credentials_accepts_the_right_ones(configured):
    response = connect(configured(), "https://vault.example.com/mcp", "api_key",
                       api_key="right-key")
    assert (response.status_code, response.json()) == (201, {"tools": [{"name": "read_secret"}]})


@pytest.mark.parametrize(("kind", "fields"), [
    ("api_key", {"api_key": "wrong-key"}), ("none", {}),
    ("custom_headers", {"custom_headers": {"X-Api-Key": "right-key"}}),
])
def test_a_configured_server_refuses_other_credentials(configured, feathers, kind, fields):
    url = "https://vault.example.com/mcp"
    response = connect(configured(), url, kind, **fields)
    assert (response.status_code, response.json()) == (400, refusal(
        feathers, f"The MCP server at {url} refused the credentials", "url"))
