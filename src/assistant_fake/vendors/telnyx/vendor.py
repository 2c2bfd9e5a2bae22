"""The Telnyx API as the core mounts it: base path, spec, bearer auth, FastAPI-style validation."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from assistant_fake.core.errors import VendorError
from assistant_fake.core.request_validation import (
    BodyUnparseable,
    RawRequest,
    RequestValidationFailed,
    ValidatedRequest,
    spec_validators,
)
from assistant_fake.core.specs import load_spec
from assistant_fake.core.tenants import tenant_id
from assistant_fake.core.vendor import TenantRecords
from assistant_fake.store import Store
from assistant_fake.vendors.telnyx import errors, fixtures, handlers, lifecycle
from assistant_fake.vendors.telnyx.service import TelnyxService

SPEC_FILE = "telnyx-ai-assistants.yaml"


class TelnyxVendor:
    name = "telnyx"
    base_path = "/v2"
    spec_file = SPEC_FILE
    handlers: ModuleType = handlers

    def __init__(self, store: Store) -> None:
        self.store = store
        self.spec = load_spec(SPEC_FILE)
        self.validators = spec_validators(SPEC_FILE)
        self.service = TelnyxService(store)

    def authenticate(self, headers: Mapping[str, str]) -> str:
        """Any non-empty bearer token is an account of its own."""
        scheme, _, token = headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise errors.authentication_failed()
        return tenant_id(token)

    def validate(self, operation_id: str, raw: RawRequest) -> ValidatedRequest:
        try:
            return self.validators[operation_id].validate(raw)
        except RequestValidationFailed as exc:
            raise errors.validation_failed(exc.errors) from None
        except BodyUnparseable:
            raise errors.body_unparseable() from None

    def framework_error(self, status: int, reason: str, *, method: str = "",
                        path: str = "") -> VendorError:
        return errors.framework_error(status, reason)

    def load_fixture(self, document: Mapping[str, Any]) -> int:
        """See ``fixtures.py`` for the document's shape."""
        return fixtures.load_fixture(self.service, tenant_id(str(document["api_key"])),
                                     document, self.validate)

    def tenants(self) -> list[TenantRecords]:
        """Accounts with any collection, counted per kind of record (``scheduled_events/<id>``
        collections add up under ``scheduled_events``)."""
        counts: dict[str, dict[str, int]] = {}
        prefix = f"{self.name}/"
        for name in self.store.collection_names(prefix):
            tenant, _, what = name[len(prefix):].partition("/")
            kind = what.split("/", 1)[0]
            records = counts.setdefault(tenant, {})
            records[kind] = records.get(kind, 0) + len(self.store.collection(name))
        return [TenantRecords(tenant, records) for tenant, records in sorted(counts.items())]

    def reset(self, tenant: str | None = None) -> int:
        if tenant is None:
            # the account-wide lifecycle policies live outside telnyx/<tenant>/ (no tenant
            # owns them) and go with a reset of the whole API
            return self.store.drop(f"{self.name}/") + self.store.drop(lifecycle.GLOBAL_COLLECTION)
        # the trailing slash keeps tenant "ab" from matching tenant "abc"
        return self.store.drop(f"{self.name}/{tenant}/")
