"""Loading fixture files: ``<dir>/<vendor name>/*.json|*.yaml``, each handed to its vendor."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from assistant_fake.core.errors import VendorError
from assistant_fake.core.request_validation import RawRequest
from assistant_fake.core.vendor import Vendor


class FixtureError(ValueError):
    """A fixture file the fake refuses to load (it breaks the vendor's spec)."""


def load_fixtures(directory: Path, vendors: Sequence[Vendor]) -> int:
    """Load every fixture file under ``directory``; answers how many records were created."""
    created = 0
    for vendor in vendors:
        folder = directory / vendor.name
        files = sorted(p for p in folder.glob("*") if p.suffix in (".json", ".yaml", ".yml"))
        for path in files:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            try:
                created += vendor.load_fixture(document)
            except VendorError as exc:
                raise FixtureError(f"{path.name}: {exc.status} {json.dumps(exc.body)}") from None
    return created


def json_request(body: Any, path_params: dict[str, str] | None = None) -> RawRequest:
    """A JSON request as a client would send it, so fixtures pass the same validation."""
    return RawRequest(path_params or {}, [], {"content-type": "application/json"},
                      json.dumps(body).encode("utf-8"))
