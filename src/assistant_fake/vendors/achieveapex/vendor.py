"""AchieveApex as the core mounts it: the root path, ``x-api-key`` auth, Feathers validation.

Authentication maps a key to its organisation and user (a declared key from the fixtures, or a
new organisation for a key never seen before), then the optional rate limit counts the
request against that organisation. Validation is ``validation.py``'s AJV-shaped check of what
the spec declares; Feathers' query syntax is parsed into a nested dict here and left to the
query engine in the handlers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from assistant_fake.core.errors import VendorError
from assistant_fake.core.rate_limit import RateLimit, SlidingWindowLimiter
from assistant_fake.core.request_validation import RawRequest, ValidatedRequest
from assistant_fake.core.specs import load_spec
from assistant_fake.core.tenants import tenant_id
from assistant_fake.core.vendor import TenantRecords
from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex import errors, fixtures, handlers
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.query_parsing import QueryError, parse_query_string
from assistant_fake.vendors.achieveapex.service import AchieveApexService
from assistant_fake.vendors.achieveapex.validation import (
    SPEC_FILE,
    InvalidJsonBody,
    ValidationFailed,
    bad_request_for,
    decode_json_body,
    operation_validators,
)

# HTTP method and route shape → the Feathers service method a 405 names (Feathers maps POST
# to create with or without an id).
_FEATHERS_METHODS = {("GET", False): "find", ("GET", True): "get", ("POST", False): "create",
                     ("POST", True): "create", ("PUT", True): "update", ("PATCH", True): "patch",
                     ("DELETE", True): "remove", ("PUT", False): "update",
                     ("PATCH", False): "patch", ("DELETE", False): "remove"}
_IDENTITY_TABLES = {"organizations"}  # an organisation's own record: kept by a tenant reset
PAYLOAD_TOO_LARGE = {"name": "PayloadTooLarge", "message": "request entity too large",
                     "code": 413, "className": "payload-too-large"}


class AchieveApexVendor:
    name = "achieveapex"
    base_path = ""
    spec_file = SPEC_FILE
    strips_trailing_slashes = True  # Feathers' router does (core/paths.py)
    handlers: ModuleType = handlers

    def __init__(self, store: Store, *, rate_limit: RateLimit | None = None) -> None:
        self.store = store
        self.spec = load_spec(SPEC_FILE)
        self.validators = operation_validators(SPEC_FILE)
        self.service = AchieveApexService(store)
        self.limiter = SlidingWindowLimiter(rate_limit, store.clock.now) if rate_limit else None

    def authenticate(self, headers: Mapping[str, str]) -> str:
        key = headers.get("x-api-key", "").strip()
        if not key:
            raise VendorError(401, errors.not_authenticated())
        tenant = tenant_id(key)
        caller = self.service.organizations.caller_for(tenant)
        if caller is None:
            caller = self.service.organizations.register(tenant)
        if self.limiter is not None:
            refusal = self.limiter.hit(caller.organization_id)
            if refusal is not None:
                body = errors.too_many_requests(
                    current=refusal.current, retry_after=refusal.retry_after,
                    limit=self.limiter.rate.limit, window=self.limiter.rate.window_seconds)
                raise VendorError(429, body, headers={"Retry-After": str(refusal.retry_after)})
        return tenant

    def validate(self, operation_id: str, raw: RawRequest) -> ValidatedRequest:
        validator = self.validators[operation_id]
        try:
            body = self._body(raw, takes_body=validator.body_schema is not None)
            query = parse_query_string(raw.query)
            if validator.body_schema is None and isinstance(body, dict):
                # The old docs send a list's query as a JSON body on GET: {"query": {...}};
                # a "query" that is not an object is ignored, like a body that is not one.
                body_query = body.get("query")
                query = {**body_query, **query} if isinstance(body_query, dict) else query
            validated = validator.validate(path_params=raw.path_params, query=query,
                                           body=body if validator.body_schema else None)
        except (ValidationFailed, QueryError, InvalidJsonBody) as problem:
            raise VendorError(400, bad_request_for(problem)) from None
        return ValidatedRequest(path=validated.path, query=validated.query, body=validated.body)

    @staticmethod
    def _body(raw: RawRequest, *, takes_body: bool) -> Any:
        """koa-body's reading: JSON content types are parsed, anything else is no data."""
        content_type = (raw.content_type or "").split(";")[0].strip().lower()
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if not raw.body or not is_json:
            return None
        body = decode_json_body(raw.body)
        if not takes_body and not isinstance(body, dict):
            return None
        return body

    def framework_error(self, status: int, reason: str, *, method: str = "",
                        path: str = "") -> VendorError:
        if status == 404:
            return VendorError(404, errors.not_found(f"Path {path} not found"))
        if status == 405:
            has_id = path.rstrip("/").rsplit("/", 1)[-1].isdigit()
            feathers = _FEATHERS_METHODS.get((method.upper(), has_id), method.lower())
            message = f"Method `{feathers}` is not supported by this endpoint."
            return VendorError(405, errors.method_not_allowed(message))
        if status == 413:
            return VendorError(413, dict(PAYLOAD_TOO_LARGE))
        if status == 401:
            return VendorError(401, errors.not_authenticated())
        if status == 400:
            return VendorError(400, errors.bad_request(reason or "Bad Request"))
        if 400 < status < 600 and status != 500:
            return VendorError(status, errors.for_status(status, reason or "Error"))
        return VendorError(500, errors.general_error())

    def load_fixture(self, document: Mapping[str, Any]) -> int:
        """See ``fixtures.py`` for the document's shape."""
        try:
            return fixtures.load_fixture(self.service, tenant_id(str(document["api_key"])),
                                         document, self._validated_body)
        except FeathersProblem as problem:  # the state layer's refusals, as the API answers them
            raise VendorError(problem.status, problem.body) from None

    def _validated_body(self, operation_id: str, body: Any, **path_params: str) -> Any:
        raw = RawRequest(path_params, [], {"content-type": "application/json"},
                         json.dumps(body).encode("utf-8"))
        return self.validate(operation_id, raw).body

    def tenants(self) -> list[TenantRecords]:
        """Every registered key, with its organisation's records (keys of one organisation
        share them)."""
        listed = []
        for key_hash, organization_id in self.service.organizations.registered_keys():
            prefix = f"{self.name}/{organization_id}/"
            records = {name[len(prefix):]: len(self.store.collection(name))
                       for name in self.store.collection_names(prefix)
                       if name[len(prefix):] not in _IDENTITY_TABLES}
            listed.append(TenantRecords(key_hash, records,
                                        {"organization_id": organization_id}))
        return listed

    def reset(self, tenant: str | None = None) -> int:
        """All of AchieveApex (keys, organisations, id sequences, MCP servers, rate-limit
        windows), or one key's organisation's records. A tenant keeps its identity (key,
        organisation id and name), as a real account emptied of its data would, so its next
        request or fixture reload finds the same organisation."""
        with self.store.transaction():
            if tenant is None:
                if self.limiter is not None:
                    self.limiter.forget()
                return self.store.drop(f"{self.name}/")
            caller = self.service.organizations.caller_for(tenant)
            if caller is None:
                return 0
            if self.limiter is not None:
                self.limiter.forget(caller.organization_id)
            prefix = f"{self.name}/{caller.organization_id}/"
            names = [name for name in self.store.collection_names(prefix)
                     if name[len(prefix):] not in _IDENTITY_TABLES]
            return self.store.drop_collections(names)
