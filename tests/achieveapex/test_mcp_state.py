"""McpConnections: deterministic tool lists, unreachable servers and authentication rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.mcp import McpConnections, derived_tools, server_key
from assistant_fake.vendors.achieveapex.records import Caller

CALLER = Caller(1, 1)
TOOLS = [{"name": "lookup_order", "description": "Find an order",
          "inputSchema": {"type": "object"}}]


@pytest.fixture
def mcp() -> McpConnections:
    return McpConnections(Store())


def request(url: str, authentication_type: str = "none", **fields: Any) -> dict[str, Any]:
    return {"url": url, "authentication_type": authentication_type, **fields}


def refusal(mcp: McpConnections, data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(FeathersProblem) as problem:
        mcp.connect(CALLER, data)
    return problem.value.body


def test_unconfigured_server_offers_tools_named_after_its_url(mcp: McpConnections) -> None:
    tools = mcp.connect(CALLER, request("https://mcp.acme.com/crm"))["tools"]
    assert 2 <= len(tools) <= 3
    assert [tool["name"] for tool in tools][:2] == ["crm_search", "crm_get"]
    assert all(set(tool) == {"name", "description", "inputSchema"} for tool in tools)


def test_generic_path_and_host_labels_are_skipped_for_the_name(mcp: McpConnections) -> None:
    tools = mcp.connect(CALLER, request("https://mcp.acme.com/v1/sse"))["tools"]
    assert tools[0]["name"] == "acme_search"


def test_one_server_always_answers_the_same_tools(mcp: McpConnections) -> None:
    first = mcp.connect(CALLER, request("https://Tools.Example.com:443/crm/"))
    assert mcp.connect(CALLER, request("https://tools.example.com/crm")) == first
    assert McpConnections(Store()).connect(CALLER, request("https://tools.example.com/crm")) == (
        first)


def test_server_key_ignores_case_default_port_and_trailing_slash() -> None:
    assert server_key("HTTPS://Example.COM:443/Mcp/") == "https://example.com/Mcp"
    assert server_key("http://example.com:8080/") == "http://example.com:8080"


def test_configured_server_offers_exactly_its_tools(mcp: McpConnections) -> None:
    mcp.configure("https://orders.example.com/mcp", TOOLS)
    assert mcp.connect(CALLER, request("https://orders.example.com/mcp/")) == {"tools": TOOLS}


def test_configured_credentials_refuse_other_ones(mcp: McpConnections) -> None:
    mcp.configure("https://orders.example.com/mcp", TOOLS,
                  credentials={"authentication_type": "api_key", "api_key": "right"})
    url = "https://orders.example.com/mcp"
    assert mcp.connect(CALLER, request(url, "api_key", api_key="right")) == {"tools": TOOLS}
    body = refusal(mcp, request(url, "api_key", api_key="wrong"))
    assert (body["code"], body["message"]) == (
        400, "The MCP server at https://orders.example.com/mcp refused the credentials")


@pytest.mark.parametrize("url", [
    "https://mcp.invalid/sse", "https://tools.example.invalid", "http://localhost:3999/mcp",
    "http://127.0.0.1:8000", "http://[::1]:9000/mcp",
])
def test_reserved_and_loopback_hosts_nobody_configured_are_unreachable(
        mcp: McpConnections, url: str) -> None:
    body = refusal(mcp, request(url))
    message = f"Could not connect to the MCP server at {url}"
    assert body == {"name": "BadRequest", "message": message, "code": 400,
                    "className": "bad-request",
                    "data": [{"location": "body", "instancePath": "/url", "message": message}]}


def test_a_configured_loopback_server_is_reachable(mcp: McpConnections) -> None:
    mcp.configure("http://localhost:3999/mcp", TOOLS)
    assert mcp.connect(CALLER, request("http://localhost:3999/mcp")) == {"tools": TOOLS}


def test_a_server_marked_unreachable_answers_400(mcp: McpConnections) -> None:
    mcp.configure("https://flaky.example.com", TOOLS)
    mcp.mark_unreachable("https://flaky.example.com")
    assert refusal(mcp, request("https://flaky.example.com"))["code"] == 400


@pytest.mark.parametrize(("kind", "field", "empty"), [
    ("api_key", "api_key", ""), ("custom_headers", "custom_headers", {}),
    ("oauth2", "oauth2_config", {}),
])
def test_each_authentication_type_needs_its_field(mcp: McpConnections, kind: str, field: str,
                                                  empty: Any) -> None:
    url = "https://tools.example.com"
    message = f"{field} is required when authentication_type is {kind}"
    assert refusal(mcp, request(url, kind))["message"] == message
    assert refusal(mcp, request(url, kind, **{field: empty}))["message"] == message


def test_each_authentication_type_with_its_field_connects(mcp: McpConnections) -> None:
    url = "https://tools.example.com"
    for data in (request(url), request(url, "api_key", api_key="k"),
                 request(url, "custom_headers", custom_headers={"X-Token": "t"}),
                 request(url, "oauth2", oauth2_config={"client_id": "c"})):
        assert mcp.connect(CALLER, data)["tools"]


@pytest.mark.parametrize("url", ["ftp://tools.example.com", "tools.example.com", "https://",
                                 "https://example.com:port"])
def test_a_url_that_is_not_http_answers_400(mcp: McpConnections, url: str) -> None:
    assert refusal(mcp, request(url))["code"] == 400


def test_configure_refuses_tools_without_a_name(mcp: McpConnections) -> None:
    with pytest.raises(FeathersProblem):
        mcp.configure("https://tools.example.com", [{"description": "nameless"}])


@given(st.from_regex(r"https?://[a-z0-9-]{1,12}(\.[a-z0-9-]{1,8}){0,2}(/[A-Za-z0-9._~-]{0,8}){0,3}",
                     fullmatch=True))
def test_derived_tool_names_are_identifiers(url: str) -> None:
    tools = derived_tools(url)
    assert 2 <= len(tools) <= 3
    assert all(re.fullmatch(r"[a-z0-9_]+", tool["name"]) for tool in tools)
    assert tools == derived_tools(url)
