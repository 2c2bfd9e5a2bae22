"""AchieveApex fixture documents: an API key with its organisation and user, and the
organisation's records, made through the same validation and rules a client's requests go
through.

``{"api_key", "organization": {id?, name}, "user_id"?, "mcp_servers"?, "api_tools"?,
"assistants"?}``. ``api_tools`` and ``assistants`` hold create bodies (``organization_id`` is
filled in). An assistant entry may also carry ``"changes"`` (PATCH bodies applied in order, one
change-history entry each), ``"skills"`` (skill bodies; ``assistant_id`` and
``organization_id`` are filled in) and ``"deleted": true`` (soft-deleted afterwards). A string
``"{{api_tool:<name>}}"`` or ``"{{assistant:<name>}}"`` is the id of a record created earlier in
the same document (API tools are created before assistants, so assistants can link them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant_fake.core.fixtures import resolve_references
from assistant_fake.vendors.achieveapex.query import FeathersQuery
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.service import AchieveApexService

ValidateBody = Callable[..., Any]
"""(operationId, body, **path params) -> the body after the spec's validation."""
FIXTURE_ONLY = ("changes", "skills", "deleted")  # entry members that are not create fields


def load_fixture(service: AchieveApexService, tenant: str, document: Mapping[str, Any],
                 validate: ValidateBody) -> int:
    """Register the fixture's key and create its records; answers how many records were made.
    An organisation that already holds assistants (a ``--data`` file from an earlier run) gets
    no second copy."""
    caller = service.organizations.register(
        tenant, organization=document.get("organization"), user_id=document.get("user_id"))
    for server in document.get("mcp_servers", []):
        service.mcp.configure(server["url"], server.get("tools", []),
                              credentials=server.get("credentials"))
    if service.assistants.find(caller, FeathersQuery())["total"]:
        return 0
    known: dict[str, Any] = {}
    created = 0
    for body in document.get("api_tools", []):
        data = {"organization_id": caller.organization_id, **resolve_references(body, known)}
        tool = service.api_tools.create(caller, validate("create_api_tool", data))
        known[f"api_tool:{tool['name']}"] = tool["id"]
        created += 1
    for entry in document.get("assistants", []):
        created += _assistant(service, caller, resolve_references(entry, known), validate,
                              known)
    return created


def _assistant(service: AchieveApexService, caller: Caller, entry: Mapping[str, Any],
               validate: ValidateBody, known: dict[str, Any]) -> int:
    """One assistant with its changes and skills; answers how many records it made."""
    body = {"organization_id": caller.organization_id,
            **{key: value for key, value in entry.items() if key not in FIXTURE_ONLY}}
    assistant = service.assistants.create(caller, validate("create_ai_assistant", body))
    assistant_id = assistant["id"]
    known[f"assistant:{assistant['name']}"] = assistant_id
    for change in entry.get("changes", []):
        patch = validate("patch_ai_assistant", change, id=str(assistant_id))
        service.assistants.patch(caller, assistant_id, patch)
    skills = entry.get("skills", [])
    for skill in skills:
        data = {**skill, "assistant_id": assistant_id,
                "organization_id": caller.organization_id}
        service.skills.create(caller, validate("create_ai_assistant_skill", data))
    if entry.get("deleted"):
        service.assistants.remove(caller, assistant_id)
    return 1 + len(skills)
