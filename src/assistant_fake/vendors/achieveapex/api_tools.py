"""``/api-tools``: reusable HTTP calls an assistant can make, and their links to assistants.

An assistant links tools through its ``api_tools`` array, whose items are a tool's id or an
association object naming it (``api_tool_id``, else ``id``; see ``tool_id_of``). A tool is
hard-deleted, and removing it also drops it from the ``api_tools`` of every assistant of the
organisation that links it (soft-deleted assistants included, so a restore cannot bring back a
dangling link), in the same transaction: no assistant ever points at a missing tool.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from assistant_fake.core.specs import load_spec

from .field_types import SPEC_FILE, field_types
from .records import ASSISTANTS_TABLE, Caller, OrganizationRecords, check_organization

__all__ = ["API_TOOL_FIELD_TYPES", "ApiTools", "tool_id_of"]

API_TOOL_FIELD_TYPES = field_types("ApiTool")
_EDITABLE = tuple(field_types("ApiToolFields"))
# The spec's defaults (headers {}, url_parameters [], body_parameters []): a created tool
# always carries them, as a Feathers schema resolver with defaults would.
_DEFAULTS = {name: schema["default"] for name, schema in
             load_spec(SPEC_FILE)["components"]["schemas"]["ApiToolFields"]["properties"].items()
             if "default" in schema}


def tool_id_of(link: Any) -> int | None:
    """The tool an item of an assistant's ``api_tools`` names: the item itself when it is an
    id, else an object's ``api_tool_id`` (or, without one, its ``id``); None for anything else.
    The assistants service can use it to check links the same way."""
    if isinstance(link, Mapping):
        link = link.get("api_tool_id", link.get("id"))
    if isinstance(link, int) and not isinstance(link, bool):
        return link
    return None


class ApiTools(OrganizationRecords):
    table = "api_tools"
    field_types = API_TOOL_FIELD_TYPES

    def create(self, caller: Caller, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            check_organization(caller, data)
            now = self._now()
            fields = {**copy.deepcopy(_DEFAULTS), **_editable(data)}
            record: dict[str, Any] = {
                "id": self._next_id(),
                "organization_id": caller.organization_id,
                **{name: fields[name] for name in _EDITABLE if name in fields},
                "created_at": now,
                "updated_at": now,
            }
            self._records(caller.organization_id).put(str(record["id"]), record)
            return record

    def patch(self, caller: Caller, tool_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            record = self._get(caller, tool_id)
            record.update(_editable(data))  # arrays and objects are replaced, not merged
            record["updated_at"] = self._after(record["updated_at"])
            self._records(caller.organization_id).put(str(tool_id), record)
            return record

    def remove(self, caller: Caller, tool_id: int) -> dict[str, Any]:
        with self._store.transaction():
            record = self._get(caller, tool_id)
            self._unlink(caller, tool_id)
            self._records(caller.organization_id).delete(str(tool_id))
            return record

    def _unlink(self, caller: Caller, tool_id: int) -> None:
        """Drop ``tool_id`` from every assistant of the organisation that links it.

        Only the linking assistants are written back. Their ``updated_at`` moves (the record
        visibly changed); no change-history snapshot is taken here, history being the
        assistants service's business.
        """
        assistants = self._records(caller.organization_id, ASSISTANTS_TABLE)
        for assistant in assistants.values():
            links = assistant.get("api_tools")
            if not isinstance(links, list):
                continue
            kept = [link for link in links if tool_id_of(link) != tool_id]
            if len(kept) == len(links):
                continue
            assistant["api_tools"] = kept
            if "updated_at" in assistant:
                assistant["updated_at"] = self._after(assistant["updated_at"])
            assistants.put(str(assistant["id"]), assistant)


def _editable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields sent; ids, timestamps, ``organization_id`` on PATCH and unknown keys
    are dropped rather than stored."""
    return {name: copy.deepcopy(data[name]) for name in _EDITABLE if name in data}
