"""Telnyx fixture documents: an account (its API key) and its assistants, made through the
same validation and rules a client's requests go through.

``{"api_key": ..., "assistants": [entry, ...]}``; an entry is a create body plus, optionally,
``"updates"`` (update bodies applied in order: one version each, as ``POST .../{id}`` makes
them) and ``"deleted": true`` (soft-deleted afterwards, so it shows in Recently Deleted).
A string ``"{{assistant:<name>}}"`` anywhere in an entry is the id of an assistant created
earlier in the same document (handoff targets).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant_fake.core.fixtures import json_request, resolve_references
from assistant_fake.core.request_validation import RawRequest, ValidatedRequest
from assistant_fake.core.schema_models import to_document
from assistant_fake.vendors.telnyx import errors
from assistant_fake.vendors.telnyx.rules import TelnyxRuleError
from assistant_fake.vendors.telnyx.service import TelnyxService

Validate = Callable[[str, RawRequest], ValidatedRequest]
FIXTURE_ONLY = ("updates", "deleted")  # entry members that are not part of the create body


def load_fixture(service: TelnyxService, tenant: str, document: Mapping[str, Any],
                 validate: Validate) -> int:
    """Create the document's assistants for ``tenant``; answers how many. An account that
    already holds assistants (a ``--data`` file from an earlier run) is left alone, so
    restarting with the same fixtures never duplicates them."""
    if service.assistants.list(tenant)["data"]:
        return 0
    entries = document.get("assistants", [])
    known: dict[str, str] = {}
    try:
        for entry in entries:
            entry = resolve_references(entry, known)
            body = {key: value for key, value in entry.items() if key not in FIXTURE_ONLY}
            params = validate("create_assistant", json_request(body))
            created = service.assistants.create(tenant, to_document(params.body))
            known[f"assistant:{created['name']}"] = created["id"]
            _apply_updates(service, tenant, created["id"], entry.get("updates", []), validate)
            if entry.get("deleted"):
                service.assistants.delete(tenant, created["id"])
    except TelnyxRuleError as exc:  # the rules beyond the schema, answered as the API does
        raise errors.rule_refused(exc.status, exc.code, exc.title, exc.detail) from None
    return len(entries)


def _apply_updates(service: TelnyxService, tenant: str, assistant_id: str,
                   updates: list[Any], validate: Validate) -> None:
    for update in updates:
        request = json_request(update, {"assistant_id": assistant_id})
        params = validate("update_assistant", request)
        changes = to_document(params.body, top_level_defaults=False) if params.body else {}
        service.assistants.update(tenant, assistant_id, changes)
