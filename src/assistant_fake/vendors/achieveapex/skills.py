"""``/ai-assistant-skills``: what an assistant knows or does, one record per skill.

A skill belongs to one assistant of the caller's organisation. Both ``assistant_id`` and
``organization_id`` are fixed at create: PATCH changes only the editable fields (name, content,
when_to_use), so a skill can never be moved to another assistant or organisation. Remove is a
hard delete, as the spec documents, and answers the removed record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import FeathersProblem, record_not_found
from .field_types import field_types
from .records import ASSISTANTS_TABLE, Caller, OrganizationRecords, check_organization

__all__ = ["SKILL_FIELD_TYPES", "AiAssistantSkills"]

SKILL_FIELD_TYPES = field_types("AiAssistantSkill")
_EDITABLE = tuple(field_types("AiAssistantSkillFields"))


class AiAssistantSkills(OrganizationRecords):
    table = "ai_assistant_skills"
    field_types = SKILL_FIELD_TYPES

    def create(self, caller: Caller, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            check_organization(caller, data)
            self._active_assistant(caller, data.get("assistant_id"))
            now = self._now()
            record: dict[str, Any] = {
                "id": self._next_id(),
                "assistant_id": data["assistant_id"],
                "organization_id": caller.organization_id,
                **_editable(data),
                "created_at": now,
                "updated_at": now,
            }
            self._records(caller.organization_id).put(str(record["id"]), record)
            return record

    def patch(self, caller: Caller, skill_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._store.transaction():
            record = self._get(caller, skill_id)
            # A skill of a since-deleted assistant stays editable: restoring the assistant
            # brings its skills back as they were last edited.
            record.update(_editable(data))
            record["updated_at"] = self._after(record["updated_at"])
            self._records(caller.organization_id).put(str(skill_id), record)
            return record

    def remove(self, caller: Caller, skill_id: int) -> dict[str, Any]:
        with self._store.transaction():
            record = self._get(caller, skill_id)
            self._records(caller.organization_id).delete(str(skill_id))
            return record

    def _active_assistant(self, caller: Caller, assistant_id: Any) -> dict[str, Any]:
        """The caller's assistant ``assistant_id`` if it is not soft-deleted, else 404.

        Read straight from the assistants' collection (the records the assistants service
        keeps) so this module does not depend on that service's code. A deleted assistant
        answers 404 as Feathers' ``get`` does once a soft-delete hook hides the row.
        """
        record = self._records(caller.organization_id, ASSISTANTS_TABLE).get(str(assistant_id))
        if record is None or record.get("deleted_at") is not None:
            raise FeathersProblem(record_not_found(assistant_id))
        return record


def _editable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields sent, in the schema's order; anything else (ids, timestamps, the
    fixed fields on PATCH, unknown keys) is dropped rather than stored."""
    return {name: data[name] for name in _EDITABLE if name in data}
