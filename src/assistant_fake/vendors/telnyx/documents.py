"""The stored shape of one Telnyx assistant, and the store access every assistant call shares.

One document per assistant holds everything a request about it may need to check or change,
so each operation is a single read-check-write under the store's lock:

    {"id", "created_at",
     "main_version_id", "version_order": [oldest ... newest], "versions": {id: config},
     "canary": None | {"rules", "created_at", "updated_at"},
     "deleted_at": None | str, "permanently_deleted_at": None | str}

A version's ``config`` is the full assistant as that version answers it, plus the request-only
``tool_ids`` (kept per version, never rendered).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from assistant_fake.store import Collection
from assistant_fake.store.copying import copy_json
from assistant_fake.vendors.telnyx.records import TenantRecords
from assistant_fake.vendors.telnyx.rules import (
    ASSISTANT_FIELDS,
    DEFAULT_MODEL,
    DEFAULT_VERSION_NAME,
    MAX_VERSIONS,
    NotFound,
    canary_version_ids,
    parse_datetime,
)

Doc = dict[str, Any]

SERVER_OWNED = frozenset({"id", "created_at", "version_id", "version_created_at"})
"""Assistant fields only the service sets; a request cannot change them."""

REQUIRED = ("name", "instructions", "model")
"""Fields every assistant response carries; a null in an update leaves them as they were."""


def writable_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a create/update body that becomes assistant configuration."""
    keys = (ASSISTANT_FIELDS - SERVER_OWNED) | {"tool_ids"}
    return {key: copy_json(value) for key, value in body.items() if key in keys}


def render(config: Mapping[str, Any]) -> dict[str, Any]:
    """A version's configuration as the API answers it: only the SDK model's fields."""
    return {key: copy_json(value) for key, value in config.items()
            if key in ASSISTANT_FIELDS and value is not None}


def keep_required(config: dict[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` with name, instructions and model back from ``base`` if a null removed them,
    so no answer ever lacks a field the SDK requires."""
    for key in REQUIRED:
        if config.get(key) is None:
            fallback = base.get(key)
            config[key] = fallback if fallback is not None else (
                DEFAULT_MODEL if key == "model" else "")
    return config


def main_config(doc: Mapping[str, Any]) -> dict[str, Any]:
    return doc["versions"][doc["main_version_id"]]


def new_document(assistant_id: str, created_at: str, version: dict[str, Any]) -> Doc:
    return {
        "id": assistant_id,
        "created_at": created_at,
        "main_version_id": version["version_id"],
        "version_order": [version["version_id"]],
        "versions": {version["version_id"]: version},
        "canary": None,
        "deleted_at": None,
        "permanently_deleted_at": None,
    }


def add_version(doc: Doc, version: dict[str, Any], *, make_main: bool) -> None:
    """Keep ``version``; make it main when asked; then prune past MAX_VERSIONS.

    Pruning drops the oldest versions first but never the main version nor one a canary rule
    serves, as Telnyx documents.
    """
    doc["versions"][version["version_id"]] = version
    doc["version_order"].append(version["version_id"])
    if make_main:
        doc["main_version_id"] = version["version_id"]
    canary_rules = (doc["canary"] or {}).get("rules", [])
    protected = {doc["main_version_id"]} | canary_version_ids(canary_rules)
    for version_id in list(doc["version_order"]):
        if len(doc["version_order"]) <= MAX_VERSIONS:
            break
        if version_id not in protected:
            remove_version(doc, version_id)


def remove_version(doc: Doc, version_id: str) -> None:
    doc["version_order"].remove(version_id)
    del doc["versions"][version_id]


def is_deleted(doc: Doc) -> bool:
    return doc.get("deleted_at") is not None


def is_expired(doc: Doc, now: datetime) -> bool:
    """A soft-deleted assistant past its retention window is gone for good."""
    limit = doc.get("permanently_deleted_at")
    return limit is not None and parse_datetime(limit, "permanently_deleted_at") <= now


def handoff_targets(config: Mapping[str, Any]) -> set[str]:
    """Assistants this configuration can hand a conversation to: handoff tools (inline or on
    flow nodes) and conversation-flow edges whose target is an assistant."""
    targets = _handoff_tool_targets(config.get("tools") or [])
    flow = config.get("conversation_flow") or {}
    for edge in flow.get("edges") or []:
        target = edge.get("target") or {}
        if target.get("type") == "assistant" and target.get("assistant_id"):
            targets.add(target["assistant_id"])
    for node in flow.get("nodes") or []:
        tools = node.get("tools") or node.get("tool") or []
        targets |= _handoff_tool_targets(_flatten(tools))
    return targets


def _handoff_tool_targets(tools: list[Any]) -> set[str]:
    found: set[str] = set()
    for tool in tools:
        if isinstance(tool, Mapping) and tool.get("type") == "handoff":
            for target in (tool.get("handoff") or {}).get("ai_assistants") or []:
                if target.get("id"):
                    found.add(target["id"])
    return found


def _flatten(items: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


class AssistantRecords(TenantRecords):
    """Store access shared by the assistant services: the assistants collection and loaders.

    Callers hold ``store.transaction()`` around a load and the save that follows it.
    """

    def _assistants(self, tenant: str) -> Collection:
        return self._collection(tenant, "assistants")

    def _new_version(self, config: Mapping[str, Any], name: str | None = None) -> dict[str, Any]:
        version = dict(config)
        version["version_id"] = self._uuid()
        version["version_name"] = name if name is not None else DEFAULT_VERSION_NAME
        version["version_created_at"] = self._stamp()
        return version

    def _load(self, tenant: str, assistant_id: str, *, copy: bool = True) -> Doc | None:
        """The document unless it never existed or its retention ran out (then it is erased).

        Without ``copy`` it is the stored document itself (``Collection.peek``): only for
        reads inside the transaction that copy what they answer (``render``)."""
        collection = self._assistants(tenant)
        doc = collection.get(assistant_id) if copy else collection.peek(assistant_id)
        if doc is not None and is_expired(doc, self._now()):
            collection.delete(assistant_id)
            return None
        return doc

    def _load_active(self, tenant: str, assistant_id: str, *, copy: bool = True) -> Doc:
        doc = self._load(tenant, assistant_id, copy=copy)
        if doc is None or is_deleted(doc):
            raise NotFound(f"Assistant {assistant_id} not found.")
        return doc

    def _load_deleted(self, tenant: str, assistant_id: str) -> Doc:
        doc = self._load(tenant, assistant_id)
        if doc is None or not is_deleted(doc):
            raise NotFound(f"Deleted assistant {assistant_id} not found.")
        return doc

    def _save(self, tenant: str, doc: Doc) -> None:
        self._assistants(tenant).put(doc["id"], doc)

    def _active_docs(self, tenant: str) -> Iterator[Mapping[str, Any]]:
        """Every active assistant of the tenant (only lists and cross-assistant checks scan).

        The stored documents themselves, not copies (a list of 100,000 would otherwise copy
        every version of every assistant): callers read them inside the transaction and
        answer copies (``render``).
        """
        now = self._now()
        for doc in self._assistants(tenant).scan():
            if not is_deleted(doc) and not is_expired(doc, now):
                yield doc
