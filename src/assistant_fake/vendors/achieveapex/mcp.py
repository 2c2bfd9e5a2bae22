"""``POST /mcp-tool-connection-proxy``: "connect" to an MCP server and answer its tool list.

The fake never opens a connection, so what a server offers is decided here, deterministically:

- a server a fixture configured (``configure(url, tools)``) offers exactly those tools, and if
  it was configured with ``credentials`` it refuses any request whose authentication fields
  differ from them;
- a server is unreachable when a fixture marked it so (``mark_unreachable``), when its host
  is under the reserved ``.invalid`` top-level domain (RFC 2606: it never resolves), or when
  it is a loopback host (``localhost``, ``127.x.x.x``, ``::1``) nobody configured: the fake
  cannot know what listens on the client's machine, so it treats the port as closed;
- any other server offers 2 or 3 tools named after its URL (see ``derived_tools``).

Unreachable servers, refused credentials, missing authentication fields and URLs that are not
``http(s)://host...`` all answer 400 BadRequest, as the spec documents, with ``data`` listing the
body field at fault as a ``ValidationViolation`` (the spec's shape of every 400's ``data``).
Nothing is stored per organisation: the client saves the chosen configuration in the
assistant's ``mcp_tools``.
Configured servers are global (they model servers on the network, not tenants' records).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .errors import FeathersProblem, bad_request
from .records import Caller, OrganizationRecords

__all__ = ["McpConnections", "derived_tools", "server_key"]

SERVERS = "achieveapex/mcp_servers"
# The field each authentication type needs (spec: "Rules beyond the schema (400)").
REQUIRED_AUTH_FIELD = {"api_key": "api_key", "custom_headers": "custom_headers",
                       "oauth2": "oauth2_config"}
_AUTH_FIELDS = ("authentication_type", "api_key", "custom_headers", "oauth2_config")
_GENERIC_LABELS = {"mcp", "www", "api", "sse", "v1", "v2", "server", "servers", "com", "net",
                   "org", "io", "dev", "app"}
_VERBS = (("search", "Search {subject} records"), ("get", "Get one {subject} record by id"),
          ("create", "Create a {subject} record"))


def server_key(url: str) -> str:
    """The identity of a server URL: scheme and host lower-cased, default port, trailing
    slashes and fragment dropped. ``HTTPS://Example.com/mcp/`` and ``https://example.com/mcp``
    are one server."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = "" if parts.port in (None, default) else f":{parts.port}"
    netloc = f"[{host}]" if ":" in host else host
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{port}{parts.path.rstrip('/')}{query}"


def derived_tools(url: str) -> list[dict[str, Any]]:
    """The tools of a server nobody configured: named after the URL's last meaningful path
    segment or host label (``https://mcp.acme.com/crm`` → ``crm_search``, ``crm_get``...), 2 or
    3 of them depending on a hash of the server's key, so one URL always answers the same."""
    parts = urlsplit(server_key(url))
    words = [*reversed(parts.path.split("/")), *(parts.hostname or "").split(".")]
    names = [_identifier(word) for word in words]
    subject = next((name for name in names if name and name not in _GENERIC_LABELS), "server")
    count = 2 + hashlib.sha256(server_key(url).encode()).digest()[0] % 2
    return [{
        "name": f"{subject}_{verb}",
        "description": f"{template.format(subject=subject)} (tool of {parts.hostname}).",
        "inputSchema": _input_schema(verb),
    } for verb, template in _VERBS[:count]]


class McpConnections(OrganizationRecords):
    """The proxy; ``configure`` and ``mark_unreachable`` are for fixtures and tests."""

    def connect(self, caller: Caller, data: Mapping[str, Any]) -> dict[str, Any]:
        """``{"tools": [...]}`` of the server at ``data["url"]``, or a 400 BadRequest."""
        url = data.get("url")
        if not isinstance(url, str) or not _is_http_url(url):
            raise FeathersProblem(_refusal(
                "url must be an http:// or https:// URL with a host", "url"))
        _check_authentication(data)
        key = server_key(url)
        with self._store.transaction():
            server = self._servers().get(key)
        if server is not None and server.get("unreachable"):
            raise FeathersProblem(_unreachable(url))
        if server is None:
            if _never_reachable(url):
                raise FeathersProblem(_unreachable(url))
            return {"tools": derived_tools(url)}
        expected = server.get("credentials")
        if expected is not None and any(data.get(name) != value
                                        for name, value in expected.items()):
            raise FeathersProblem(_refusal(
                f"The MCP server at {url} refused the credentials", "url"))
        return {"tools": server["tools"]}

    def configure(self, url: str, tools: Iterable[Mapping[str, Any]], *,
                  credentials: Mapping[str, Any] | None = None) -> None:
        """Make the server at ``url`` offer ``tools`` (each needs a ``name``); with
        ``credentials`` (e.g. ``{"authentication_type": "api_key", "api_key": "k"}``) it refuses
        a connection whose authentication fields differ. Replaces an earlier configuration."""
        tools = [dict(tool) for tool in tools]
        if any(not isinstance(tool.get("name"), str) or not tool["name"] for tool in tools):
            raise FeathersProblem(bad_request("every MCP tool needs a non-empty name"))
        if credentials is not None and set(credentials) - set(_AUTH_FIELDS):
            raise FeathersProblem(bad_request(
                f"credentials may only hold {', '.join(_AUTH_FIELDS)}"))
        server: dict[str, Any] = {"url": url, "tools": tools}
        if credentials is not None:
            server["credentials"] = dict(credentials)
        with self._store.transaction():
            self._servers().put(server_key(url), server)

    def mark_unreachable(self, url: str) -> None:
        """Make every connection to ``url`` fail as an unreachable server does."""
        with self._store.transaction():
            self._servers().put(server_key(url), {"url": url, "unreachable": True})

    def _servers(self) -> Any:
        return self._store.collection(SERVERS)


def _check_authentication(data: Mapping[str, Any]) -> None:
    """The field the authentication type needs must be sent and not empty: an empty key, no
    headers or an empty OAuth 2 configuration cannot authenticate anyone."""
    kind = data.get("authentication_type")
    needed = REQUIRED_AUTH_FIELD.get(kind) if isinstance(kind, str) else None
    if needed is not None and not data.get(needed):
        raise FeathersProblem(_refusal(
            f"{needed} is required when authentication_type is {kind}", needed))


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _never_reachable(url: str) -> bool:
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    if host == "invalid" or host.endswith(".invalid"):
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unreachable(url: str) -> dict[str, Any]:
    return _refusal(f"Could not connect to the MCP server at {url}", "url")


def _refusal(message: str, field: str) -> dict[str, Any]:
    """The 400 body naming the body field at fault, in the spec's ``BadRequestError`` shape."""
    return bad_request(message, [{"location": "body", "instancePath": f"/{field}",
                                  "message": message}])


def _identifier(word: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", word.lower()).strip("_")


def _input_schema(verb: str) -> dict[str, Any]:
    if verb == "search":
        return {"type": "object", "properties": {"query": {"type": "string"}},
                "required": ["query"]}
    if verb == "get":
        return {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    return {"type": "object", "properties": {"data": {"type": "object"}}, "required": ["data"]}
