"""Fixture files: ``<dir>/<vendor name>/*.json|*.yaml``, each handed to its vendor.

A fixture document is vendor-specific (see each vendor's ``load_fixture`` and the README); what
is shared is where the files live, how they are read, the ``{{kind:name}}`` references between
records of one document, and that any refusal becomes one ``FixtureError`` naming the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from assistant_fake.core.errors import VendorError
from assistant_fake.core.request_validation import RawRequest
from assistant_fake.core.vendor import Vendor

FIXTURE_SUFFIXES = (".json", ".yaml", ".yml")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_REFERENCE = re.compile(r"^\{\{(\w+):(.+)\}\}$")


class FixtureError(ValueError):
    """A fixture the fake refuses to load (unreadable, or the vendor refuses a record); a
    vendor's refusal keeps the status and body the API would have answered."""

    def __init__(self, message: str, refusal: VendorError | None = None) -> None:
        super().__init__(message)
        self.refusal = refusal


def default_fixtures_dir() -> Path:
    """The sample fixtures shipped in the installed package, or the checkout's ``fixtures/``."""
    for candidate in (_PACKAGE_DIR / "fixtures", _PACKAGE_DIR.parent.parent / "fixtures"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the sample fixtures are neither installed nor in a checkout")


def fixture_files(directory: Path, vendor: Vendor) -> list[Path]:
    folder = directory / vendor.name
    return sorted(p for p in folder.glob("*") if p.suffix in FIXTURE_SUFFIXES)


def load_fixtures(directory: Path, vendors: Sequence[Vendor]) -> int:
    """Load every fixture file under ``directory``; answers how many records were created."""
    return sum(load_fixture_file(path, vendor)
               for vendor in vendors for path in fixture_files(directory, vendor))


def read_fixture_file(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FixtureError(f"{path.name}: cannot be read: {exc}") from None


def load_fixture_file(path: Path, vendor: Vendor) -> int:
    return load_fixture_document(vendor, read_fixture_file(path), source=path.name)


def load_fixture_document(vendor: Vendor, document: Any, *, source: str) -> int:
    """Hand one document to its vendor; any refusal is a ``FixtureError`` naming ``source``."""
    if not isinstance(document, Mapping) or not isinstance(document.get("api_key"), str) \
            or not document["api_key"]:
        raise FixtureError(f"{source}: a fixture is an object with a non-empty string api_key")
    try:
        return vendor.load_fixture(document)
    except VendorError as exc:
        raise FixtureError(f"{source}: {exc.status} {json.dumps(exc.body)}", exc) from None
    except (KeyError, TypeError, ValueError) as exc:  # a member of the wrong shape
        raise FixtureError(f"{source}: {type(exc).__name__}: {exc}") from None


def resolve_references(value: Any, known: Mapping[str, Any]) -> Any:
    """``value`` with every string ``"{{kind:name}}"`` replaced by the id ``known`` holds for
    ``"kind:name"`` (a record created earlier from the same document), so a fixture can link
    records whose ids are generated (a handoff to another assistant, an API tool)."""
    if isinstance(value, Mapping):
        return {key: resolve_references(item, known) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_references(item, known) for item in value]
    if isinstance(value, str) and (match := _REFERENCE.match(value)):
        reference = f"{match[1]}:{match[2]}"
        if reference not in known:
            raise ValueError(f"{value} names no record created earlier in this fixture")
        return known[reference]
    return value


def json_request(body: Any, path_params: dict[str, str] | None = None) -> RawRequest:
    """A JSON request as a client would send it, so fixtures pass the same validation."""
    return RawRequest(path_params or {}, [], {"content-type": "application/json"},
                      json.dumps(body).encode("utf-8"))
