"""Assistant versions and canary deploys: the parts of an assistant that route traffic.

Every change to the main configuration is kept as a version; the main pointer says which one
answers ``GET /ai/assistants/{id}``. A canary deploy routes part of the traffic to other
versions, so the versions it serves cannot be deleted while it exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant_fake.vendors.telnyx.documents import (
    AssistantRecords,
    Doc,
    keep_required,
    main_config,
    remove_version,
    render,
    writable_fields,
)
from assistant_fake.vendors.telnyx.rules import (
    BadRequest,
    NotFound,
    canary_version_ids,
    check_single_instance_tools,
    deep_merge,
    normalize_canary_rules,
)


class VersionsAndCanary(AssistantRecords):
    """Version and canary-deploy operations of one assistant."""

    # --- versions ---------------------------------------------------------------------------

    def list_versions(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        """``{"data": [...]}``, newest version first."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            newest_first = reversed(doc["version_order"])
            return {"data": [render(doc["versions"][vid]) for vid in newest_first]}

    def get_version(self, tenant: str, assistant_id: str, version_id: str) -> dict[str, Any]:
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            return render(self._version(doc, version_id))

    def update_version(self, tenant: str, assistant_id: str, version_id: str,
                       body: Mapping[str, Any]) -> dict[str, Any]:
        """Change a non-main version in place (it keeps its id and creation time)."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            current = self._non_main(doc, version_id, "updated")
            patch = writable_fields(body)
            updated = keep_required(deep_merge(current, patch), current)
            check_single_instance_tools(updated.get("tools"))
            doc["versions"][version_id] = updated
            self._save(tenant, doc)
            return render(updated)

    def delete_version(self, tenant: str, assistant_id: str, version_id: str) -> None:
        """Remove a non-main version; one that a canary rule serves is refused."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            self._non_main(doc, version_id, "deleted")
            if version_id in canary_version_ids((doc["canary"] or {}).get("rules", [])):
                raise BadRequest(f"Version {version_id} is served by the canary deploy; "
                                 "update or delete the canary deploy first.")
            remove_version(doc, version_id)
            self._save(tenant, doc)

    def promote_version(self, tenant: str, assistant_id: str,
                        version_id: str) -> dict[str, Any]:
        """Make ``version_id`` the main version and drop the canary deploy."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            self._version(doc, version_id)
            doc["main_version_id"] = version_id
            doc["canary"] = None
            self._save(tenant, doc)
            return render(main_config(doc))

    def _version(self, doc: Doc, version_id: str) -> dict[str, Any]:
        version = doc["versions"].get(version_id)
        if version is None:
            raise NotFound(f"Version {version_id} of assistant {doc['id']} not found.")
        return version

    def _non_main(self, doc: Doc, version_id: str, verb: str) -> dict[str, Any]:
        version = self._version(doc, version_id)
        if version_id == doc["main_version_id"]:
            raise BadRequest(f"The main version cannot be {verb} through the versions "
                             "endpoint; update the assistant instead.")
        return version

    def version_exists(self, tenant: str, version_id: str) -> bool:
        """Whether any active assistant of the tenant has this version (test runs check it)."""
        with self._store.transaction():
            return any(version_id in doc["versions"] for doc in self._active_docs(tenant))

    # --- canary deploys ---------------------------------------------------------------------

    def get_canary(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        """The canary deploy; NotFound when the assistant has none."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            return self._canary_body(doc, self._canary(doc))

    def create_canary(self, tenant: str, assistant_id: str,
                      body: Mapping[str, Any]) -> dict[str, Any]:
        """A new canary deploy; BadRequest when one exists already (PUT replaces it).

        400 rather than 409: the SDK retries 409s, and retrying cannot help here.
        """
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            if doc["canary"] is not None:
                raise BadRequest(f"Assistant {assistant_id} already has a canary deploy; "
                                 "update it with PUT or delete it first.")
            rules = normalize_canary_rules(body.get("rules"), doc["versions"])
            now = self._stamp()
            doc["canary"] = {"rules": rules, "created_at": now, "updated_at": now}
            self._save(tenant, doc)
            return self._canary_body(doc, doc["canary"])

    def update_canary(self, tenant: str, assistant_id: str,
                      body: Mapping[str, Any]) -> dict[str, Any]:
        """Replace every rule of the existing canary deploy; NotFound when there is none."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            canary = self._canary(doc)
            canary["rules"] = normalize_canary_rules(body.get("rules"), doc["versions"])
            canary["updated_at"] = self._stamp()
            doc["canary"] = canary
            self._save(tenant, doc)
            return self._canary_body(doc, canary)

    def delete_canary(self, tenant: str, assistant_id: str) -> None:
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            self._canary(doc)
            doc["canary"] = None
            self._save(tenant, doc)

    def _canary(self, doc: Doc) -> dict[str, Any]:
        if doc["canary"] is None:
            raise NotFound(f"Assistant {doc['id']} has no canary deploy.")
        return doc["canary"]

    @staticmethod
    def _canary_body(doc: Doc, canary: Mapping[str, Any]) -> dict[str, Any]:
        return {"assistant_id": doc["id"], "rules": canary["rules"],
                "created_at": canary["created_at"], "updated_at": canary["updated_at"]}
