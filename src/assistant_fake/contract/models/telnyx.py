"""A plain-Python model of Telnyx's documented AI Assistants behaviour, to judge any server.

It deliberately shares no code with ``assistant_fake.vendors``: a model that reused the fake's
rules would agree with the fake's bugs. It knows only what the contract suite itself sends
(name, instructions, greeting, description, tags), so a server's defaults never count as a
mismatch ("defaults-agnostic"), and it learns server-assigned ids from the answers.

Each operation takes the ids the server answered with (``None`` when the answer had none) and
returns an :class:`Expected`: the status the server should have answered and, for a success,
the known fields of the body. It updates its own state only on the outcomes it expects to
succeed, so a wrong server answer is reported once and does not desynchronise later steps.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

# Fields the model tracks; every other field of an answer is the server's business.
KNOWN_FIELDS = ("name", "instructions", "greeting", "description", "tags")
ABSENT = object()  # an expected value meaning "the key is missing (or null)"

State = Literal["active", "deleted", "gone"]


@dataclass
class Expected:
    status: int
    body: dict[str, Any] | None = None  # known fields; None means "nothing to compare"


@dataclass
class Version:
    version_id: str | None
    fields: dict[str, Any]


@dataclass
class Assistant:
    id: str
    tenant: str
    versions: list[Version]  # newest first, as GET /versions documents
    main_version_id: str | None
    state: State = "active"
    has_telephony: bool = True  # created ones have TeXML/messaging settings; clones do not

    def main(self) -> Version:
        for version in self.versions:
            if version.version_id == self.main_version_id:
                return version
        return self.versions[0]


def _view(fields: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(fields)


@dataclass
class TelnyxModel:
    assistants: dict[str, Assistant] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------

    def _find(self, tenant: str, assistant_id: str, state: State = "active") -> Assistant | None:
        """The assistant as ``tenant`` sees it: another tenant's is as good as missing."""
        found = self.assistants.get(assistant_id)
        if found is None or found.tenant != tenant or found.state != state:
            return None
        return found

    def ids(self, tenant: str, state: State) -> list[str]:
        return [a.id for a in self.assistants.values() if a.tenant == tenant and a.state == state]

    def foreign_ids(self, tenant: str) -> list[str]:
        """Ids created by other tenants: ``tenant`` must never see them."""
        return [a.id for a in self.assistants.values() if a.tenant != tenant]

    def main_fields(self, assistant_id: str) -> dict[str, Any]:
        return _view(self.assistants[assistant_id].main().fields)

    def account_tags(self, tenant: str) -> set[str]:
        """Tags in use, as GET /ai/assistants/tags reports them: those on active assistants."""
        tags: set[str] = set()
        for assistant_id in self.ids(tenant, "active"):
            tags.update(self.assistants[assistant_id].main().fields.get("tags", []))
        return tags

    # -- assistants ----------------------------------------------------------------------

    def create(self, tenant: str, body: dict[str, Any], new_id: str | None,
               version_id: str | None) -> Expected:
        fields = {k: copy.deepcopy(v) for k, v in body.items() if k in KNOWN_FIELDS}
        if new_id is not None:  # documented 200, not 201; only a success registers it
            self.assistants[new_id] = Assistant(new_id, tenant, [Version(version_id, fields)],
                                                version_id)
        return Expected(200, _view(fields))

    def get(self, tenant: str, assistant_id: str) -> Expected:
        found = self._find(tenant, assistant_id)
        return Expected(404) if found is None else Expected(200, _view(found.main().fields))

    def update(self, tenant: str, assistant_id: str, changes: dict[str, Any],
               promote_to_main: bool | None, version_id: str | None) -> Expected:
        """POST /ai/assistants/{id}: a new version = main + changes, newest first.

        ``promote_to_main`` defaults to true; when false the new version is kept but main stays,
        and the answer is still the new version.
        """
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        fields = {**_view(found.main().fields),
                  **{k: copy.deepcopy(v) for k, v in changes.items() if k in KNOWN_FIELDS}}
        found.versions.insert(0, Version(version_id, fields))
        if promote_to_main is not False:
            found.main_version_id = version_id
        return Expected(200, _view(fields))

    def versions(self, tenant: str, assistant_id: str) -> tuple[Expected, list[Version]]:
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404), []
        return Expected(200), copy.deepcopy(found.versions)

    def main_version_id(self, assistant_id: str) -> str | None:
        return self.assistants[assistant_id].main_version_id

    def delete(self, tenant: str, assistant_id: str, hard: bool) -> Expected:
        """Soft delete (default) keeps it restorable; hard delete also erases a soft-deleted one."""
        found = self._find(tenant, assistant_id)
        if found is None and hard:
            found = self._find(tenant, assistant_id, "deleted")
        if found is None:
            return Expected(404)
        found.state = "gone" if hard else "deleted"
        return Expected(200, {"id": assistant_id, "deleted": True})

    def get_deleted(self, tenant: str, assistant_id: str) -> Expected:
        found = self._find(tenant, assistant_id, "deleted")
        return Expected(404) if found is None else Expected(200, _view(found.main().fields))

    def restore(self, tenant: str, assistant_id: str) -> Expected:
        found = self._find(tenant, assistant_id, "deleted")
        if found is None:
            return Expected(404)
        found.state = "active"
        return Expected(200, _view(found.main().fields))

    # -- tags ----------------------------------------------------------------------------

    def add_tag(self, tenant: str, assistant_id: str, tag: str) -> Expected:
        """Tags edit main in place (no new version); an existing tag changes nothing."""
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        tags = found.main().fields.setdefault("tags", [])
        if tag not in tags:
            tags.append(tag)
        return Expected(200, {"tags": list(tags)})

    def remove_tag(self, tenant: str, assistant_id: str, tag: str) -> Expected:
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        main = found.main().fields
        main["tags"] = [t for t in main.get("tags", []) if t != tag]
        return Expected(200, {"tags": list(main["tags"])})

    # -- clone ---------------------------------------------------------------------------

    def clone(self, tenant: str, assistant_id: str, new_id: str | None,
              version_id: str | None) -> Expected:
        """A new assistant with main's configuration, minus telephony and messaging settings."""
        found = self._find(tenant, assistant_id)
        if found is None:
            return Expected(404)
        fields = _view(found.main().fields)
        if new_id is not None:
            self.assistants[new_id] = Assistant(new_id, tenant, [Version(version_id, fields)],
                                                version_id, has_telephony=False)
        return Expected(200, {**_view(fields), "telephony_settings": ABSENT,
                              "messaging_settings": ABSENT})

    def has_telephony(self, assistant_id: str) -> bool:
        return self.assistants[assistant_id].has_telephony


def mismatches(actual: Any, expected: dict[str, Any]) -> list[str]:
    """Every known field where ``actual`` differs from ``expected``; tags compare as sets."""
    if not isinstance(actual, dict):
        return [f"expected an object, got {actual!r}"]
    problems = []
    for key, want in expected.items():
        got = actual.get(key)
        if want is ABSENT:
            if got is not None:
                problems.append(f"{key}: expected absent, got {got!r}")
        elif key == "tags":
            # The docs give no order for tags; a set is what they promise.
            if not isinstance(got, list) or sorted(set(got)) != sorted(set(want)):
                problems.append(f"tags: expected {sorted(want)}, got {got!r}")
        elif got != want:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems
