"""What a vendor package provides to the shared core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from assistant_fake.core.errors import VendorError
from assistant_fake.core.request_validation import RawRequest, ValidatedRequest


@dataclass(frozen=True)
class VendorRequest:
    """A request that passed the vendor's gateway: who sent it and what it says, validated."""

    vendor: Any
    operation_id: str
    tenant: str
    params: ValidatedRequest
    raw: RawRequest

    @property
    def body(self) -> Any:
        return self.params.body

    @property
    def path(self) -> dict[str, Any]:
        return self.params.path

    @property
    def query(self) -> dict[str, Any]:
        return self.params.query


class Vendor(Protocol):
    """A vendor API mounted by the app: its spec, its gateway rules, its error shapes."""

    name: str
    base_path: str
    spec_file: str
    handlers: ModuleType

    def authenticate(self, headers: Mapping[str, str]) -> str:
        """The tenant the request belongs to; raise the vendor's 401 otherwise."""

    def validate(self, operation_id: str, raw: RawRequest) -> ValidatedRequest:
        """The validated request; raise the vendor's validation error otherwise."""

    def framework_error(self, status: int, reason: str, *, method: str = "",
                        path: str = "") -> VendorError:
        """The vendor's body for a status the framework produced (404 route, 405, 413, 500)."""

    def load_fixture(self, document: Mapping[str, Any]) -> int:
        """Create the records one fixture file describes; answers how many.

        Raises ``VendorError`` (in the vendor's shape) for a document the vendor refuses.
        """

    def tenants(self) -> list[TenantRecords]:
        """Every tenant that has state, with its record counts per collection."""

    def reset(self, tenant: str | None = None) -> int:
        """Forget every record (or only ``tenant``'s, leaving every other tenant untouched),
        including state kept outside the store such as rate-limit windows; answers how many
        records were removed."""


@dataclass(frozen=True)
class TenantRecords:
    """One tenant's state as the admin API lists it."""

    tenant: str
    records: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)  # vendor-specific, e.g. organization_id


ADMIN_BASE_PATH = "/__fake"
"""The fake's own area: never a vendor's, even for a vendor mounted at the root."""


def vendor_for_path(vendors: Sequence[Vendor], path: str) -> Vendor | None:
    """The vendor whose base path owns ``path``; the longest base path wins ("/v2" over "")."""
    if path == ADMIN_BASE_PATH or path.startswith(ADMIN_BASE_PATH + "/"):
        return None
    owner: Vendor | None = None
    for vendor in vendors:  # runs on every request: one pass, no sorting
        base = vendor.base_path.rstrip("/")
        owns = not base or path == base or path.startswith(base + "/")
        if owns and (owner is None or len(base) > len(owner.base_path.rstrip("/"))):
            owner = vendor
    return owner
