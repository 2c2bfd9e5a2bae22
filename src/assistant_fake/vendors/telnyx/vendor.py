"""The Telnyx API as the core mounts it: base path, spec, bearer auth, FastAPI-style validation."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from assistant_fake.core.errors import VendorError
from assistant_fake.core.fixtures import json_request
from assistant_fake.core.request_validation import (
    BodyUnparseable,
    RawRequest,
    RequestValidationFailed,
    ValidatedRequest,
    spec_validators,
)
from assistant_fake.core.schema_models import to_document
from assistant_fake.core.specs import load_spec
from assistant_fake.core.tenants import tenant_id
from assistant_fake.store import Store
from assistant_fake.vendors.telnyx import errors, handlers
from assistant_fake.vendors.telnyx.service import TelnyxService

SPEC_FILE = "telnyx-ai-assistants.yaml"


class TelnyxVendor:
    name = "telnyx"
    base_path = "/v2"
    spec_file = SPEC_FILE
    handlers: ModuleType = handlers

    def __init__(self, store: Store) -> None:
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
        """``{"api_key": ..., "assistants": [create bodies]}``, each validated like a create.

        An account that already holds assistants (a ``--data`` file from an earlier run) is
        left alone, so restarting with the same fixtures never duplicates them.
        """
        tenant = tenant_id(str(document["api_key"]))
        if self.service.assistants.list(tenant)["data"]:
            return 0
        for body in document.get("assistants", []):
            params = self.validate("create_assistant", json_request(body))
            self.service.assistants.create(tenant, to_document(params.body))
        return len(document.get("assistants", []))
