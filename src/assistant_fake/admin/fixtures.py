"""Admin: loading fixtures at run time, from the fixtures directory or the request body.

All or nothing: every record goes through the vendor's validation and rules, and if any is
refused the store is put back as it was (``Store.all_or_nothing``), so a test never runs
against half a fixture.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from flask import Response

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import json_body, problem
from assistant_fake.core.fixtures import (
    FIXTURE_SUFFIXES,
    FixtureError,
    default_fixtures_dir,
    load_fixture_document,
    load_fixture_file,
)
from assistant_fake.core.responses import json_response
from assistant_fake.core.vendor import Vendor


def load() -> Response:
    body = json_body("FixturesRequest")
    state = app_state()
    vendors = {vendor.name: vendor for vendor in state.vendors}
    if "files" in body:
        root = state.settings.fixtures_dir or default_fixtures_dir()
        # every path is checked before anything loads: a bad last path loads nothing
        plan = [_resolve(root, name, vendors) for name in body["files"]]
    else:
        plan = [(vendors[body["api"]], None)]
    created = 0
    try:
        with state.store.all_or_nothing():
            for vendor, path in plan:
                created += (load_fixture_file(path, vendor) if path is not None else
                            load_fixture_document(vendor, body["document"], source="document"))
    except FixtureError as exc:
        refused = exc.refusal
        extra = {} if refused is None else {
            "vendor_response": {"status": refused.status, "body": refused.body}}
        raise problem(400, str(exc), **extra) from None
    return json_response({"created": created}, status=201)


def _resolve(root: Path, name: str, vendors: dict[str, Vendor]) -> tuple[Vendor, Path]:
    """The file ``name`` names under ``root``, and the vendor whose folder it is in."""
    relative = PurePosixPath(name.replace("\\", "/"))
    parts = relative.parts
    if not parts or relative.is_absolute() or ".." in parts or "\x00" in name:
        raise problem(400, f"files: {name} is not a path inside the fixtures directory")
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):  # a symlink pointing outside
        raise problem(400, f"files: {name} is not a path inside the fixtures directory")
    vendor = vendors.get(relative.parts[0]) if len(relative.parts) > 1 else None
    if vendor is None:
        raise problem(400, f"files: {name} is not in an API's folder "
                           f"({', '.join(f'{v}/' for v in vendors)})")
    if path.suffix not in FIXTURE_SUFFIXES or not path.is_file():
        raise problem(400, f"files: no fixture file {name} "
                           f"({', '.join(FIXTURE_SUFFIXES)}) in the fixtures directory")
    return vendor, path
