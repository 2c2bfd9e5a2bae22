"""Telnyx's rules that need no state: refusals, defaults, pagination, tool and canary checks.

Everything here is plain Python so the service classes stay short and every rule can be tested
(and changed) on its own. Values the vendor leaves open are module constants; the README lists
them under Assumptions.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

# --- Defaults the vendor leaves open --------------------------------------------------------

DEFAULT_MODEL = "meta-llama/Meta-Llama-3.1-70B-Instruct"
"""What Telnyx "applies" when create sends neither ``model`` nor ``external_llm``."""

DEFAULT_VERSION_NAME = "New assistant"
"""``version_name`` of a version whose request did not name it."""

SOFT_DELETE_RETENTION = timedelta(days=30)
"""How long a soft-deleted assistant stays restorable before it is erased."""

DELETE_OBJECT = "assistant.deleted"
"""``object`` of the delete response, which aligns with OpenAI's ``assistant.deleted``."""

MAX_VERSIONS = 10
"""An assistant keeps at most this many versions; older unreferenced ones are pruned."""

DEFAULT_PAGE_NUMBER = 1
DEFAULT_PAGE_SIZE = 20

DEFAULT_TEST_CHANNEL = "web_chat"
"""``telnyx_conversation_channel`` of a test created without one (required in responses)."""

MULTI_INSTANCE_TOOL_TYPES = frozenset({"function", "webhook", "client_side_tool"})
"""Tool types an assistant may carry more than once; every other type is single-instance."""

ASSISTANT_FIELDS = frozenset({
    "id", "name", "created_at", "model", "instructions", "a2a_agents", "avatar_settings",
    "conversation_flow", "delegation_settings", "description", "dynamic_variables",
    "dynamic_variables_webhook_timeout_ms", "dynamic_variables_webhook_url", "enabled_features",
    "external_llm", "fallback_config", "greeting", "import_metadata", "insight_settings",
    "integrations", "interruption_settings", "llm_api_key_ref", "mcp_servers",
    "messaging_settings", "observability_settings", "post_conversation_settings",
    "privacy_settings", "related_mission_ids", "tags", "telephony_settings", "tools",
    "transcription", "version_created_at", "version_id", "version_name", "voice_settings",
    "websocket_settings", "widget_settings",
})
"""The fields of the SDK's Assistant response model (``InferenceEmbedding``); nothing else
ever leaves the fake in an assistant, so request-only keys (``tool_ids``, ``promote_to_main``)
are never echoed."""


# --- Refusals -------------------------------------------------------------------------------

class TelnyxRuleError(Exception):
    """A request the vendor refuses; the HTTP layer turns it into Telnyx's error envelope."""

    status = 500
    code = "10007"
    title = "Unexpected error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(TelnyxRuleError):
    status = 404
    code = "10005"
    title = "Resource not found"


class BadRequest(TelnyxRuleError):
    status = 400
    code = "10015"
    title = "Bad Request"


# --- Small pure rules -----------------------------------------------------------------------

def check_single_instance_tools(tools: Iterable[Mapping[str, Any]] | None) -> None:
    """Refuse a second tool of any type other than function, webhook and client_side_tool.

    Only inline ``tools`` are counted: the fake holds no Tools Library, so the type of a
    shared tool attached through ``tool_ids`` is unknown to it.
    """
    seen: set[str] = set()
    for tool in tools or ():
        kind = str(tool.get("type"))
        if kind in MULTI_INSTANCE_TOOL_TYPES:
            continue
        if kind in seen:
            raise BadRequest(f"Only one tool of type '{kind}' is allowed per assistant.")
        seen.add(kind)


def paginate(items: Sequence[Any], page_number: int = DEFAULT_PAGE_NUMBER,
             page_size: int = DEFAULT_PAGE_SIZE) -> tuple[list[Any], dict[str, int]]:
    """One page of ``items`` and Telnyx's ``meta``.

    An empty list has ``total_pages`` 0 (ceil(0 / size)); a page past the end is empty but
    still reports the totals, so a client can tell "no such page" from "no results".
    """
    if page_number < 1 or page_size < 1:
        raise BadRequest("page[number] and page[size] must be at least 1.")
    start = (page_number - 1) * page_size
    meta = {
        "page_number": page_number,
        "page_size": page_size,
        "total_pages": math.ceil(len(items) / page_size),
        "total_results": len(items),
    }
    return list(items[start:start + page_size]), meta


def page(items: Sequence[Any], page_number: int, page_size: int) -> dict[str, Any]:
    """The ``{"data", "meta"}`` body of a paginated list."""
    data, meta = paginate(items, page_number, page_size)
    return {"data": data, "meta": meta}


def deep_merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``patch``: objects merge key by key, a null removes the key, and
    lists and scalars replace (so a sent ``tools`` array replaces the old one)."""
    merged = dict(base)
    defaulted = getattr(patch, "defaulted", ())  # keys the client did not send (spec defaults)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        elif key not in defaulted or key not in merged:
            merged[key] = value
    return merged


def numeric_id(generated_uuid: str, digits: int = 19) -> str:
    """A numeric id shaped like Telnyx's app ids, derived from a generated uuid4 so a seeded
    id generator keeps it reproducible."""
    value = uuid.UUID(generated_uuid).int
    low = 10 ** (digits - 1)
    return str(low + value % (9 * low))


def parse_datetime(value: str | datetime, field: str) -> datetime:
    """An aware UTC datetime from an ISO 8601 string (``Z`` allowed) or a datetime; a naive
    value is taken as UTC, as FastAPI's clients usually mean."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{field} must be an ISO 8601 datetime.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-01:00 is past datetime.max in UTC
        raise BadRequest(f"{field} is out of range.") from None


# --- Canary deploys -------------------------------------------------------------------------

def canary_version_ids(rules: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every version a canary's rules can serve (these versions are protected from deletion)."""
    found: set[str] = set()
    for rule in rules:
        serve = rule.get("serve") or {}
        if serve.get("version_id") is not None:  # "" too: it names no version
            found.add(serve["version_id"])
        found.update(slot["version_id"] for slot in serve.get("rollout") or ())
    return found


def normalize_canary_rules(rules: Iterable[Mapping[str, Any]] | None,
                           known_versions: Iterable[str]) -> list[dict[str, Any]]:
    """The canonical rules of a canary deploy, or BadRequest when they cannot be served.

    Each rule serves exactly one of a ``version_id`` or a ``rollout``; every version must be
    one of the assistant's; rollout weights are positive, name a version once, and sum to
    less than 100 (the rest goes to the main version). A missing ``match`` becomes ``[]``,
    the catch-all.
    """
    known = set(known_versions)
    normalized: list[dict[str, Any]] = []
    for index, rule in enumerate(rules or ()):
        serve = dict(rule.get("serve") or {})
        _check_serve(serve, index)
        missing = canary_version_ids([{"serve": serve}]) - known
        if missing:
            raise BadRequest(f"rules[{index}] serves unknown version(s): "
                             f"{', '.join(sorted(missing))}.")
        normalized.append({"serve": serve, "match": list(rule.get("match") or [])})
    return normalized


def _check_serve(serve: Mapping[str, Any], index: int) -> None:
    has_version = serve.get("version_id") is not None
    has_rollout = serve.get("rollout") is not None
    if has_version == has_rollout:
        raise BadRequest(f"rules[{index}].serve must set exactly one of version_id or rollout.")
    if not has_rollout:
        return
    slots = list(serve["rollout"])
    if not slots:
        raise BadRequest(f"rules[{index}].serve.rollout must not be empty.")
    weights = [float(slot["weight"]) for slot in slots]
    if not all(weight > 0 for weight in weights):  # also refuses NaN
        raise BadRequest(f"rules[{index}].serve.rollout weights must be greater than 0.")
    if sum(weights) >= 100:
        raise BadRequest(f"rules[{index}].serve.rollout weights must sum to less than 100.")
    ids = [slot["version_id"] for slot in slots]
    if len(set(ids)) != len(ids):
        raise BadRequest(f"rules[{index}].serve.rollout names a version more than once.")
