"""Telnyx AI assistants: create, read, update, delete/restore, clone, import, tags, tools.

Every method takes the tenant first and answers the body Telnyx sends (an assistant dict, an
envelope, or None for bodiless answers). Each call checks every rule before it writes, so a
refused request changes nothing. Versions and canary deploys live in ``versions.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant_fake.store import Collection, Store, isoformat
from assistant_fake.vendors.telnyx.documents import (
    add_version,
    handoff_targets,
    is_deleted,
    is_expired,
    keep_required,
    main_config,
    new_document,
    render,
    writable_fields,
)
from assistant_fake.vendors.telnyx.records import TenantRecords
from assistant_fake.vendors.telnyx.rules import (
    DEFAULT_MODEL,
    DELETE_OBJECT,
    SOFT_DELETE_RETENTION,
    BadRequest,
    NotFound,
    check_single_instance_tools,
    deep_merge,
    numeric_id,
    page,
)
from assistant_fake.vendors.telnyx.versions import VersionsAndCanary

CLONE_LEAVES_OUT = ("telephony_settings", "messaging_settings")


class Assistants(VersionsAndCanary):
    """The assistants of every tenant, one document each (see ``documents.py``)."""

    # --- create, read, update ---------------------------------------------------------------

    def create(self, tenant: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new assistant from an already-validated create body."""
        with self._store.transaction():
            return render(self._create(tenant, writable_fields(body)))

    def _create(self, tenant: str, fields: dict[str, Any]) -> dict[str, Any]:
        check_single_instance_tools(fields.get("tools"))
        assistant_id = f"assistant-{self._uuid()}"
        config = {"id": assistant_id, "name": fields.pop("name", ""),
                  "created_at": self._stamp(), "model": fields.pop("model", None) or DEFAULT_MODEL,
                  "instructions": fields.pop("instructions", ""), **fields}
        self._fill_generated_settings(config)
        return self._store_new(tenant, config)

    def _fill_generated_settings(self, config: dict[str, Any]) -> None:
        """The TeXML app and messaging profile Telnyx makes on creation, unless sent."""
        telephony = dict(config.get("telephony_settings") or {})
        if not telephony.get("default_texml_app_id"):
            telephony["default_texml_app_id"] = numeric_id(self._uuid())
        messaging = dict(config.get("messaging_settings") or {})
        if not messaging.get("default_messaging_profile_id"):
            messaging["default_messaging_profile_id"] = self._uuid()
        config["telephony_settings"] = telephony
        config["messaging_settings"] = messaging

    def _store_new(self, tenant: str, config: dict[str, Any]) -> dict[str, Any]:
        version = self._new_version(config, config.get("version_name"))
        # One instant: a second clock read could fall in the next millisecond.
        version["version_created_at"] = config["created_at"]
        self._save(tenant, new_document(config["id"], config["created_at"], version))
        return version

    def list(self, tenant: str) -> dict[str, Any]:
        """``{"data": [...]}``: every active assistant's main version, oldest first."""
        with self._store.transaction():
            return {"data": [render(main_config(doc)) for doc in self._active_docs(tenant)]}

    def get(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        with self._store.transaction():
            # render copies the one version it answers; the stored document is not copied
            return render(main_config(self._load_active(tenant, assistant_id, copy=False)))

    def update(self, tenant: str, assistant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new version made from main plus the changes; it becomes main unless
        ``promote_to_main`` is false. Answers the new version."""
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            base = main_config(doc)
            patch = writable_fields(body)
            changed = keep_required(deep_merge(base, patch), base)
            check_single_instance_tools(changed.get("tools"))
            version = self._new_version(changed, patch.get("version_name"))
            add_version(doc, version, make_main=body.get("promote_to_main", True) is not False)
            self._save(tenant, doc)
            return render(version)

    # --- delete, restore, recently deleted --------------------------------------------------

    def delete(self, tenant: str, assistant_id: str, *, hard: bool = False) -> dict[str, Any]:
        """Soft delete (restorable for the retention window) or, with ``hard``, erase.

        Refused while another active assistant hands off to this one. A hard delete also
        erases an assistant that is already soft-deleted; a second soft delete is NotFound.
        """
        with self._store.transaction():
            doc = self._load(tenant, assistant_id)
            if doc is None or (is_deleted(doc) and not hard):
                raise NotFound(f"Assistant {assistant_id} not found.")
            self._refuse_if_referenced(tenant, assistant_id)
            if hard:
                self._assistants(tenant).delete(assistant_id)
            else:
                now = self._now()
                doc["deleted_at"] = isoformat(now)
                doc["permanently_deleted_at"] = isoformat(now + SOFT_DELETE_RETENTION)
                self._save(tenant, doc)
            return {"id": assistant_id, "object": DELETE_OBJECT, "deleted": True}

    def _refuse_if_referenced(self, tenant: str, assistant_id: str) -> None:
        for other in self._active_docs(tenant):
            if other["id"] != assistant_id and assistant_id in handoff_targets(main_config(other)):
                raise BadRequest(
                    f"Assistant {assistant_id} is referenced by assistant {other['id']} through "
                    "a handoff tool or a conversation-flow edge; remove that reference first.")

    def restore(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        """Bring a soft-deleted assistant back; NotFound unless it is in Recently Deleted."""
        with self._store.transaction():
            doc = self._load_deleted(tenant, assistant_id)
            doc["deleted_at"] = doc["permanently_deleted_at"] = None
            self._save(tenant, doc)
            return render(main_config(doc))

    def list_deleted(self, tenant: str, *, page_number: int = 1,
                     page_size: int = 20) -> dict[str, Any]:
        """Recently Deleted, most recently deleted first, paginated."""
        with self._store.transaction():
            now = self._now()
            docs = [doc for doc in self._assistants(tenant).scan()
                    if is_deleted(doc) and not is_expired(doc, now)]
            docs.reverse()  # equal deleted_at: the newer assistant first
            docs.sort(key=lambda doc: doc["deleted_at"], reverse=True)
            body = page(docs, page_number, page_size)
            # only the page is copied out of the store
            body["data"] = [self._deleted_body(doc) for doc in body["data"]]
            return body

    def get_deleted(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        with self._store.transaction():
            return self._deleted_body(self._load_deleted(tenant, assistant_id))

    @staticmethod
    def _deleted_body(doc: Mapping[str, Any]) -> dict[str, Any]:
        return {**render(main_config(doc)), "deleted_at": doc["deleted_at"],
                "permanently_deleted_at": doc["permanently_deleted_at"]}

    # --- clone and import -------------------------------------------------------------------

    def clone(self, tenant: str, assistant_id: str) -> dict[str, Any]:
        """A new assistant with the main configuration minus telephony and messaging
        settings; new id, creation time and (single) version; tool_ids carried over."""
        with self._store.transaction():
            source = main_config(self._load_active(tenant, assistant_id))
            config = {key: value for key, value in source.items()
                      if key not in CLONE_LEAVES_OUT and not key.startswith("version_")}
            config["id"] = f"assistant-{self._uuid()}"
            config["created_at"] = self._stamp()
            return render(self._store_new(tenant, config))

    def import_assistants(self, tenant: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"data": [...]}``: one assistant per ``import_ids`` entry, reusing an assistant
        already imported from the same provider and id. Without ``import_ids`` the fake
        has no provider catalog, so it answers the active assistants imported from that
        provider before."""
        provider = body["provider"]
        with self._store.transaction():
            index = self._imports(tenant)
            if body.get("import_ids") is None:
                found = [self._imported(tenant, index, provider, entry["import_id"])
                         for entry in index.values() if entry["provider"] == provider]
                return {"data": [render(config) for config in found if config is not None]}
            imported = []
            for import_id in dict.fromkeys(body["import_ids"]):
                config = self._imported(tenant, index, provider, import_id)
                imported.append(config or self._import_one(tenant, index, provider, import_id))
            return {"data": [render(config) for config in imported]}

    def _imports(self, tenant: str) -> Collection:
        """``provider/import_id`` -> assistant id, so a re-import needs no scan."""
        return self._collection(tenant, "imports")

    def _imported(self, tenant: str, index: Collection, provider: str,
                  import_id: str) -> dict[str, Any] | None:
        entry = index.get(f"{provider}/{import_id}")
        doc = self._load(tenant, entry["assistant_id"]) if entry else None
        return main_config(doc) if doc is not None and not is_deleted(doc) else None

    def _import_one(self, tenant: str, index: Collection, provider: str,
                    import_id: str) -> dict[str, Any]:
        config = self._create(tenant, {
            "name": f"{provider} assistant {import_id}",
            "instructions": f"Imported from {provider} assistant {import_id}.",
            "import_metadata": {"import_provider": provider, "import_id": import_id},
        })
        index.put(f"{provider}/{import_id}", {"provider": provider, "import_id": import_id,
                                              "assistant_id": config["id"]})
        return config

    # --- tags and shared tools (edit the main version in place, no new version) -------------

    def add_tag(self, tenant: str, assistant_id: str, tag: str) -> dict[str, Any]:
        """``{"tags": [...]}`` of the assistant; adding a tag it has changes nothing."""
        return {"tags": self._edit_main_list(tenant, assistant_id, "tags", tag, add=True)}

    def remove_tag(self, tenant: str, assistant_id: str, tag: str) -> dict[str, Any]:
        """``{"tags": [...]}``; removing a tag the assistant lacks changes nothing."""
        return {"tags": self._edit_main_list(tenant, assistant_id, "tags", tag, add=False)}

    def list_tags(self, tenant: str) -> dict[str, Any]:
        """``{"tags": [...]}``: every tag on an active assistant's main version, sorted."""
        with self._store.transaction():
            tags = {tag for doc in self._active_docs(tenant)
                    for tag in main_config(doc).get("tags") or []}
            return {"tags": sorted(tags)}

    def attach_tool(self, tenant: str, assistant_id: str, tool_id: str) -> dict[str, Any]:
        """Attach a shared tool (``{}``); attaching it twice changes nothing."""
        self._edit_main_list(tenant, assistant_id, "tool_ids", tool_id, add=True)
        return {}

    def detach_tool(self, tenant: str, assistant_id: str, tool_id: str) -> dict[str, Any]:
        """Detach a shared tool (``{}``); NotFound when it is not attached."""
        self._edit_main_list(tenant, assistant_id, "tool_ids", tool_id, add=False,
                             must_exist=True)
        return {}

    def attached_tool_ids(self, tenant: str, assistant_id: str) -> list[str]:
        """The shared tools attached to the main version (the tool test needs them)."""
        with self._store.transaction():
            config = main_config(self._load_active(tenant, assistant_id))
            return list(config.get("tool_ids") or [])

    def _edit_main_list(self, tenant: str, assistant_id: str, field: str, item: str,
                        *, add: bool, must_exist: bool = False) -> list[str]:
        with self._store.transaction():
            doc = self._load_active(tenant, assistant_id)
            config = main_config(doc)
            items = list(config.get(field) or [])
            if must_exist and item not in items:
                raise NotFound(f"{item} is not attached to assistant {assistant_id}.")
            if add and item not in items:
                items.append(item)
            elif not add:
                items = [value for value in items if value != item]
            config[field] = items
            self._save(tenant, doc)
            return items


class AssistantScoped(TenantRecords):
    """Base of the services that hang off assistants (tests, scheduled events, conversations).

    They check assistants through the ``Assistants`` they are given, so with one shared
    instance (``TelnyxService``) soft-deleted and expired assistants are NotFound everywhere.
    """

    def __init__(self, store: Store, assistants: Assistants | None = None) -> None:
        super().__init__(store)
        self._assistants = assistants or Assistants(store)
