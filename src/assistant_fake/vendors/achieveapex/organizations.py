"""Organisations and the registry that maps an API key (its hash) to an organisation and user.

The registry is one collection (``achieveapex/api_keys``) keyed by the key's hash, each entry
``{"organization_id", "user_id"}``; no key is ever stored. An organisation's own record lives in
its own scope (``achieveapex/<org>/organizations``), so ``get`` of another organisation's id is
a 404 like any other record of another organisation.

A key declared by a fixture brings its organisation (``{id?, name}``) and user id; several keys
join one organisation by declaring the same ``id``. A key nobody declared gets, on first use,
an organisation of its own (named ``Organization <id>``) and a new user: each such key is a
fresh, isolated tenant, as in the Telnyx fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant_fake.store import Collection

from .errors import FeathersProblem, bad_request, conflict
from .field_types import field_types
from .query import FeathersQuery, run_query
from .records import SEQUENCES, Caller, OrganizationRecords

__all__ = ["ORGANIZATION_FIELD_TYPES", "Organizations"]

ORGANIZATION_FIELD_TYPES = field_types("Organization")
API_KEYS = "achieveapex/api_keys"
USERS = "users"


class Organizations(OrganizationRecords):
    table = "organizations"
    field_types = ORGANIZATION_FIELD_TYPES

    # --- the registry -------------------------------------------------------------------

    def register(self, api_key_hash: str, *, organization: Mapping[str, Any] | None = None,
                 user_id: int | None = None) -> Caller:
        """The caller ``api_key_hash`` acts as, registering the key first if it is new.

        Registering an already known key again is a no-op when it declares nothing new (a
        persistent store reloading its fixtures); a declaration that contradicts what is
        stored (another organisation, name or user) is a 409 Conflict, never a silent move
        of the key into another tenant.
        """
        with self._store.transaction():
            known = self._keys().get(api_key_hash)
            if known is not None:
                caller = Caller(known["organization_id"], known["user_id"])
                self._check_same(caller, organization, user_id)
                return caller
            if user_id is not None:
                _check_id(user_id, "user_id")  # before _organization writes anything
            organization_id = self._organization(organization)
            if user_id is None:
                user_id = self._next_id(USERS)
            else:
                self._raise_sequence(USERS, user_id)  # generated users never reuse it
            # "declared" marks organisations other declared keys may join (see _organization)
            self._keys().put(api_key_hash, {"organization_id": organization_id,
                                            "user_id": user_id,
                                            "declared": organization is not None})
            return Caller(organization_id, user_id)

    def registered_keys(self) -> list[tuple[str, int]]:
        """``(key hash, organisation id)`` of every registered key, sorted by hash."""
        return sorted((key_hash, entry["organization_id"])
                      for key_hash, entry in self._keys().items())

    def caller_for(self, api_key_hash: str) -> Caller | None:
        """The caller of a registered key; None for a key never registered."""
        with self._store.transaction():
            known = self._keys().get(api_key_hash)
        return None if known is None else Caller(known["organization_id"], known["user_id"])

    # --- the Feathers service -----------------------------------------------------------

    def find(self, caller: Caller, query: FeathersQuery | None = None) -> dict[str, Any]:
        """A page of exactly the caller's organisation (if the query's filters keep it)."""
        with self._store.transaction():
            own = self._get(caller, caller.organization_id)
        return run_query([own], FeathersQuery() if query is None else query)

    def get(self, caller: Caller, organization_id: int) -> dict[str, Any]:
        with self._store.transaction():
            return self._get(caller, organization_id)

    # --- helpers ------------------------------------------------------------------------

    def _keys(self) -> Collection:
        return self._store.collection(API_KEYS)

    def _organization(self, declared: Mapping[str, Any] | None) -> int:
        """The id of the declared organisation (created if new), or of a new one."""
        declared = declared or {}
        name = declared.get("name")
        if name is not None and (not isinstance(name, str) or not name):
            raise FeathersProblem(bad_request("organization.name must be a non-empty string"))
        organization_id = declared.get("id")
        if organization_id is None:
            organization_id = self._next_id()
        else:
            _check_id(organization_id, "organization.id")
            existing = self._records(organization_id).get(str(organization_id))
            if existing is not None and not self._declared(organization_id):
                # an undeclared key's own tenant: a fixture must not let a key into it
                raise FeathersProblem(conflict(
                    f"Organization id {organization_id} belongs to an undeclared API key"))
            if existing is not None:  # another declared key of the same organisation
                if name is not None and name != existing["name"]:
                    raise FeathersProblem(conflict(
                        f"Organization {organization_id} is already named {existing['name']!r}"))
                return organization_id
            if organization_id <= self._last(self.table):
                # ids up to the sequence's last were handed out; one that is not ours here
                # was never created, but reusing it could collide with a later generated one
                raise FeathersProblem(conflict(
                    f"Organization id {organization_id} is below ids already handed out"))
            self._raise_sequence(self.table, organization_id)
        now = self._now()
        record = {"id": organization_id, "name": name or f"Organization {organization_id}",
                  "created_at": now, "updated_at": now}
        self._records(organization_id).put(str(organization_id), record)
        return organization_id

    def _check_same(self, caller: Caller, organization: Mapping[str, Any] | None,
                    user_id: int | None) -> None:
        organization = organization or {}
        stored = self._records(caller.organization_id).get(str(caller.organization_id)) or {}
        wanted_id = organization.get("id", caller.organization_id)
        wanted_name = organization.get("name", stored.get("name"))
        if (wanted_id, wanted_name) != (caller.organization_id, stored.get("name")) or (
                user_id is not None and user_id != caller.user_id):
            raise FeathersProblem(conflict(
                "This API key is already registered to another organization or user"))

    def _declared(self, organization_id: int) -> bool:
        return any(entry["organization_id"] == organization_id and entry.get("declared")
                   for entry in self._keys().values())

    def _last(self, table: str) -> int:
        return (self._store.collection(SEQUENCES).get(table) or {"last": 0})["last"]

    def _raise_sequence(self, table: str, at_least: int) -> None:
        """Move ``table``'s sequence up to ``at_least`` so generated ids skip declared ones."""
        if self._last(table) < at_least:
            self._store.collection(SEQUENCES).put(table, {"last": at_least})


def _check_id(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FeathersProblem(bad_request(f"{name} must be a positive integer"))
