"""Admin: reset, tenants, snapshot export and import (``openapi/admin.yaml``).

Vendor-neutral on purpose: what a tenant is and which collections hold it is each vendor's
business (``Vendor.reset``, ``Vendor.tenants``); this module only picks the vendors and tenant a
request names and answers in the admin API's shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response, request

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import json_body, problem, validated
from assistant_fake.core.fixtures import FixtureError, load_fixtures
from assistant_fake.core.responses import json_response
from assistant_fake.core.tenants import tenant_id
from assistant_fake.core.vendor import Vendor
from assistant_fake.store import IdGenerator
from assistant_fake.store.clock import parse_time

if TYPE_CHECKING:
    from assistant_fake.app import AppState

SNAPSHOT_FORMAT = "assistant-fake-snapshot"
SNAPSHOT_VERSION = 1


def reset() -> Response:
    body = json_body("ResetRequest", required=False)
    state = app_state()
    tenant = tenant_of(body)
    everything = tenant is None and "api" not in body
    reloaded = 0
    # Only reloading the start-up fixtures can fail halfway; the plugin's per-test tenant
    # resets need not copy the whole state first.
    reloads = everything and state.settings.fixtures_dir is not None
    try:
        with state.store.all_or_nothing() if reloads else state.store.transaction():
            removed = {vendor.name: vendor.reset(tenant)
                       for vendor in _vendors(body.get("api"))}
            if everything:
                # back to the start-up state, so a reset fake answers exactly like a fresh one
                restart_clock_and_ids(state)
                if state.settings.fixtures_dir is not None:
                    reloaded = load_fixtures(state.settings.fixtures_dir, state.vendors)
    except FixtureError as exc:
        raise problem(400, f"the start-up fixtures no longer load: {exc}") from None
    return json_response({"reset": removed, "tenant": tenant, "fixtures_created": reloaded})


def list_tenants() -> Response:
    api = request.args.get("api")
    if api is not None:
        validated("Api", api, where="query/api")
    listed = [{"api": vendor.name, "tenant": entry.tenant, "records": entry.records,
               **entry.extra}
              for vendor in _vendors(api) for entry in vendor.tenants()]
    return json_response({"tenants": listed})


def export_snapshot() -> Response:
    store = app_state().store
    with store.transaction():
        snapshot = {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION,
                    "collections": store.export_data(), "clock": store.clock.state(),
                    "ids": store.ids.state()}
    return json_response(snapshot)


def import_snapshot() -> Response:
    snapshot = json_body("Snapshot")
    _check_restorable(snapshot)
    state = app_state()
    store = state.store
    with store.transaction():
        for vendor in state.vendors:
            vendor.reset()  # drops what lives outside the store too (rate-limit windows)
        store.replace_data(snapshot["collections"])
        store.clock.restore(snapshot["clock"])
        store.ids.restore(snapshot["ids"])
    collections = snapshot["collections"]
    return json_response({"collections": len(collections),
                          "records": sum(len(docs) for docs in collections.values())})


def tenant_of(body: dict[str, Any]) -> str | None:
    """The tenant a request names: ``tenant`` as is, or ``key`` hashed like the vendors do."""
    if "key" in body:
        return tenant_id(body["key"])
    return body.get("tenant")


def restart_clock_and_ids(state: AppState) -> None:
    """The clock and id generator as ``--clock`` and ``--seed`` set them at start-up."""
    settings = state.settings
    if settings.clock is None:
        state.store.clock.unfreeze()
    else:
        state.store.clock.freeze(settings.clock)
    state.store.ids.reseed(settings.seed)


def _vendors(api: str | None) -> list[Vendor]:
    return [vendor for vendor in app_state().vendors if api in (None, vendor.name)]


def _check_restorable(snapshot: dict[str, Any]) -> None:
    """What the schema cannot say: a parseable clock and a random state Python accepts, so
    the import below cannot fail halfway."""
    try:
        parse_time(snapshot["clock"]["now"])
    except ValueError as exc:
        raise problem(400, f"body/clock/now: {exc}") from None
    try:
        IdGenerator().restore(snapshot["ids"])
    except (TypeError, ValueError, OverflowError) as exc:
        raise problem(400, f"body/ids/state: not a random generator state: {exc}") from None
