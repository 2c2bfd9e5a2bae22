"""AchieveApex's AI assistants and their change history: the state behind ``/ai-assistants``,
``/ai-assistants-change-history`` and ``/ai-assistants-restore-from-changes-history``.

Plain Python over the store. The HTTP layer validates requests against the spec first, parses
list queries with ``FIELD_TYPES_ASSISTANT`` / ``FIELD_TYPES_HISTORY`` and answers a
``FeathersProblem`` with its body. Every public method is one read-check-write under
``store.transaction()`` and checks every rule before its first write, so a refusal changes
nothing (not even the id sequences).

What the records look like is read from the spec, never restated here: the fields a create
stores (``AiAssistantCreate``), the fields PATCH and restore change (``AiAssistantFields``), the
defaults, and the query engine's field types (``AiAssistant``, ``ChangeHistory``).

CHOSEN where the reference is silent:
- fields the spec does not define for a body are dropped; on PATCH that includes the fixed
  ones (``organization_id``, ``assistant_type``), ids and timestamps: ignored, not refused;
- ``organization_id`` other than the caller's answers Feathers' "No record found for id" 404;
- every create, PATCH and restore records a snapshot (the whole record after the change) whose
  ``created_at`` is the assistant's new ``updated_at``, which ``_after`` keeps strictly
  increasing per assistant; DELETE sets ``deleted_at`` and ``updated_at`` and records none;
- voice settings (``VOICE_SETTINGS``) are compared with an absent member counting as null; a
  change on a ``voice`` assistant by PATCH or restore sets ``sync_status`` to ``pending``, over
  any ``sync_status`` sent; create leaves ``sync_status`` as sent;
- restore replaces the whole configuration with the snapshot's: a field the snapshot lacks is
  removed from the assistant; it checks the assistant (404) before the snapshot (404, then 400
  when it is another assistant's);
- the rule errors are plain BadRequests without ``data`` (``SPECIFIC_KEY_REQUIRED``; "Change
  history <id> is not a snapshot of AI assistant <id>").
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from assistant_fake.core.specs import load_spec
from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.field_types import field_types

from .errors import FeathersProblem, bad_request, record_not_found
from .query import FeathersQuery, filters_on, run_query
from .records import ASSISTANTS_TABLE, Caller, OrganizationRecords
from .validation import SPEC_FILE, dereference

__all__ = [
    "ASSISTANTS_TABLE", "CONFIG_FIELDS", "CREATE_FIELDS", "DEFAULTS", "FIELD_TYPES_ASSISTANT",
    "FIELD_TYPES_HISTORY", "HISTORY_TABLE", "SPECIFIC_KEY_REQUIRED", "VOICE_SETTINGS",
    "AiAssistants", "ChangeHistory", "properties",
]

HISTORY_TABLE = "ai_assistants_change_history"
TELNYX_CONFIG = "telnyx_ai_assistant_config"
SPECIFIC_KEY_REQUIRED = "specific_openai_secret_key is required when connection is 'specific'"

VOICE_SETTINGS = (
    "voice_runtime", "use_custom_llm", "model", "openai_realtime_model", "greeting",
    "voice_provider", "voice_provider_model", "voice_id", "voice_name", "voice_model",
    "voice_api_key", "voice_api_key_ref", "voice_speed", "voice_language_boost",
    "voice_expressive_mode", "voice_similarity_boost",
)
"""Members of ``telnyx_ai_assistant_config`` whose change makes the sync ``pending``: what the
voice runs and says. Not ``sync_status`` itself, nor the transfer settings
(``transfer_from_number``, ``external_transfer_caller_id_mode``), which the reference files under
"Voice external handoff"."""


# --- what the spec says ---------------------------------------------------------------------

def properties(schema: Mapping[str, Any]) -> dict[str, Any]:
    """An object schema's properties, its ``allOf`` members' merged in, in document order."""
    merged: dict[str, Any] = {}
    for member in schema.get("allOf", ()):
        merged.update(properties(member))
    merged.update(schema.get("properties", {}))
    return merged


def _schemas() -> dict[str, Any]:
    spec = load_spec(SPEC_FILE)
    return dereference({"components": spec["components"]})["components"]["schemas"]


_SCHEMAS = _schemas()
FIELD_TYPES_ASSISTANT = MappingProxyType(field_types("AiAssistant"))
FIELD_TYPES_HISTORY = MappingProxyType(field_types("ChangeHistory"))
CREATE_FIELDS = frozenset(properties(_SCHEMAS["AiAssistantCreate"]))
"""What a create stores of the body; anything else sent is dropped."""
CONFIG_FIELDS = tuple(properties(_SCHEMAS["AiAssistantFields"]))
"""The configuration: what PATCH changes and restore brings back."""
DEFAULTS = MappingProxyType({
    name: member["default"]
    for name, member in properties(_SCHEMAS["AiAssistantCreate"]).items() if "default" in member})
"""The spec's defaults, applied by create to the fields not sent (copied, never shared)."""
_RECORD_ORDER = ("id", *(name for name in FIELD_TYPES_ASSISTANT if name != "id"))
del _SCHEMAS


def _ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its keys in the spec's order (``id`` first): answers read the same."""
    known = {name: record[name] for name in _RECORD_ORDER if name in record}
    return {**known, **{name: value for name, value in record.items() if name not in known}}


def _check_connection(record: Mapping[str, Any]) -> None:
    if record.get("connection") == "specific" and "specific_openai_secret_key" not in record:
        raise FeathersProblem(bad_request(SPECIFIC_KEY_REQUIRED))


def _voice_settings_changed(before: Any, after: Any) -> bool:
    if not isinstance(after, Mapping):
        return False  # no configuration left to mark
    before = before if isinstance(before, Mapping) else {}
    return any(before.get(name) != after.get(name) for name in VOICE_SETTINGS)


# --- assistants -----------------------------------------------------------------------------

class AiAssistants(OrganizationRecords):
    """``/ai-assistants``: the organisation's assistants, soft-deleted ones included."""

    table = ASSISTANTS_TABLE

    def find(self, caller: Caller, query: FeathersQuery) -> dict[str, Any]:
        """A Feathers page; soft-deleted assistants only when the query filters on
        ``deleted_at``."""
        with self._store.transaction():
            records = self._records(caller.organization_id).scan()  # run_query copies the page
            if not filters_on(query, "deleted_at"):
                records = [record for record in records if record.get("deleted_at") is None]
            return run_query(records, query)

    def get(self, caller: Caller, record_id: int) -> dict[str, Any]:
        with self._store.transaction():
            return self._active(caller, record_id)

    def create(self, caller: Caller, data: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` is a body valid against ``AiAssistantCreate``; answers the full record."""
        with self._store.transaction():
            if data.get("organization_id") != caller.organization_id:
                raise FeathersProblem(record_not_found(data.get("organization_id")))
            sent = {name: value for name, value in data.items() if name in CREATE_FIELDS}
            fields = copy.deepcopy({**DEFAULTS, **sent})
            _check_connection(fields)
            now = self._now()
            record = {"id": self._next_id(), **fields, "created_by_user_id": caller.user_id,
                      "created_at": now, "updated_at": now, "deleted_at": None}
            return self._save(caller, record)

    def patch(self, caller: Caller, record_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
        """Shallow merge of the configuration sent; ``{"deleted_at": None}`` also restores a
        soft-deleted assistant, which answers 404 to any other PATCH."""
        with self._store.transaction():
            record = self._get(caller, record_id)
            restoring = "deleted_at" in data and data["deleted_at"] is None
            if record["deleted_at"] is not None and not restoring:
                raise FeathersProblem(record_not_found(record_id))
            changes = {name: value for name, value in data.items() if name in CONFIG_FIELDS}
            after = {**record, **copy.deepcopy(changes), "deleted_at": None}
            return self._change(caller, record, after)

    def remove(self, caller: Caller, record_id: int) -> dict[str, Any]:
        """Soft delete: sets ``deleted_at``; the history is kept."""
        with self._store.transaction():
            record = self._active(caller, record_id)
            record["deleted_at"] = record["updated_at"] = self._after(record["updated_at"])
            self._records(caller.organization_id).put(str(record["id"]), record)
            return record

    def _active(self, caller: Caller, record_id: int) -> dict[str, Any]:
        record = self._get(caller, record_id)
        if record["deleted_at"] is not None:
            raise FeathersProblem(record_not_found(record_id))
        return record

    def _change(self, caller: Caller, before: Mapping[str, Any],
                after: dict[str, Any]) -> dict[str, Any]:
        """Write ``after`` as the next state of ``before`` (PATCH and restore): the voice sync
        rule, the connection rule, ``updated_at`` and a snapshot."""
        if after["assistant_type"] == "voice" and _voice_settings_changed(
                before.get(TELNYX_CONFIG), after.get(TELNYX_CONFIG)):
            after[TELNYX_CONFIG] = {**after[TELNYX_CONFIG], "sync_status": "pending"}
        _check_connection(after)
        after["updated_at"] = self._after(before["updated_at"])
        return self._save(caller, after)

    def _save(self, caller: Caller, record: Mapping[str, Any]) -> dict[str, Any]:
        """Store the record and its snapshot, stamped with the record's ``updated_at``."""
        record = _ordered(record)
        self._records(caller.organization_id).put(str(record["id"]), record)
        entry = {"id": self._next_id(HISTORY_TABLE), "ai_assistant_id": record["id"],
                 "organization_id": caller.organization_id,
                 "created_by_user_id": caller.user_id, "snapshot": record,
                 "created_at": record["updated_at"]}
        self._records(caller.organization_id, HISTORY_TABLE).put(str(entry["id"]), entry)
        return record


# --- change history -------------------------------------------------------------------------

class ChangeHistory(OrganizationRecords):
    """``/ai-assistants-change-history`` and the restore from it. Snapshots of soft-deleted
    assistants stay listed; the configuration active at T is the newest snapshot at or before
    T (``ai_assistant_id=X&created_at[$lte]=T&$sort[created_at]=-1&$limit=1``)."""

    table = HISTORY_TABLE

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._assistants = AiAssistants(store)

    def find(self, caller: Caller, query: FeathersQuery) -> dict[str, Any]:
        with self._store.transaction():
            return run_query(self._records(caller.organization_id).scan(), query)

    def get(self, caller: Caller, record_id: int) -> dict[str, Any]:
        with self._store.transaction():
            return self._get(caller, record_id)

    def restore(self, caller: Caller, ai_assistant_id: int,
                change_history_id: int) -> dict[str, Any]:
        """Give the assistant the snapshot's configuration (never its id, organization,
        creator, timestamps or ``deleted_at``); records a snapshot, answers the assistant.
        404 for an unknown or soft-deleted assistant or an unknown snapshot, 400 for a
        snapshot of another assistant."""
        with self._store.transaction():
            record = self._assistants._active(caller, ai_assistant_id)
            entry = self._get(caller, change_history_id)
            if entry["ai_assistant_id"] != record["id"]:
                raise FeathersProblem(bad_request(
                    f"Change history {change_history_id} is not a snapshot of AI assistant "
                    f"{ai_assistant_id}"))
            kept = {name: value for name, value in record.items() if name not in CONFIG_FIELDS}
            configuration = {name: value for name, value in entry["snapshot"].items()
                             if name in CONFIG_FIELDS}
            return self._assistants._change(caller, record, {**kept, **configuration})
