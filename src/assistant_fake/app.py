"""Assembles one ASGI app: both vendor APIs, the admin area, one store."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from types import ModuleType

from connexion import FlaskApp
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.resolver import Resolver

from assistant_fake.admin import handlers as admin_handlers
from assistant_fake.admin.guard import AdminGuardMiddleware
from assistant_fake.core.dispatch import VendorDispatchMiddleware
from assistant_fake.core.errors import VendorError, install_error_handlers
from assistant_fake.core.fault_middleware import ConnectionDropMiddleware, FaultMiddleware
from assistant_fake.core.faults import FaultRegistry
from assistant_fake.core.fixtures import load_fixtures
from assistant_fake.core.gateway import VendorGatewayMiddleware
from assistant_fake.core.journal import Journal
from assistant_fake.core.journal_middleware import JournalMiddleware
from assistant_fake.core.paths import TrailingSlashMiddleware
from assistant_fake.core.specs import allowed_methods, load_spec, routing_spec
from assistant_fake.core.vendor import ADMIN_BASE_PATH, Vendor, vendor_for_path
from assistant_fake.settings import Settings
from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.vendor import AchieveApexVendor
from assistant_fake.vendors.telnyx.vendor import TelnyxVendor


@dataclass
class AppState:
    settings: Settings
    store: Store
    vendors: list[Vendor]
    journal: Journal = field(default_factory=Journal)
    faults: FaultRegistry = field(default_factory=FaultRegistry)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FlaskApp:
    settings = settings or Settings()
    store = store or Store(settings.data_file)
    if settings.seed is not None:
        store.ids.reseed(settings.seed)
    if settings.clock is not None:
        store.clock.freeze(settings.clock)
    vendors: list[Vendor] = [TelnyxVendor(store),
                             AchieveApexVendor(store, rate_limit=settings.rate_limit)]
    gateway = functools.partial(VendorGatewayMiddleware, vendors=vendors,
                                max_body_bytes=settings.max_body_bytes,
                                max_head_bytes=settings.max_head_bytes)
    # First in line after the error handlers: nothing under /__fake is reachable without it.
    admin_guard = functools.partial(AdminGuardMiddleware, token=settings.admin_token)
    # Vendor handlers skip Flask (core/dispatch.py). In memory they run on the event loop; with
    # a data file on a worker thread, so a write's disk sync never stalls the loop.
    dispatch = functools.partial(VendorDispatchMiddleware, resolve=_handler,
                                 in_thread=settings.data_file is not None)
    journal = Journal(settings.journal_size, settings.journal_max_bytes)
    faults = FaultRegistry()
    # Outermost: the drop closes the socket and the journal sees every final answer (500s
    # included); the fault middleware needs the router's operation and runs before the gateway.
    journaling = functools.partial(JournalMiddleware, journal=journal, vendors=vendors,
                                   clock=store.clock.now)
    faulting = functools.partial(FaultMiddleware, faults=faults, vendors=vendors)
    app = FlaskApp(
        __name__,
        # Connexion's own security and request validation are replaced by the gateway, which
        # answers in each vendor's shape; response validation is the contract suite's job.
        # Connexion's Swagger UI middleware is left out: it could only show the 3.0 routing
        # view, and under /v2 and / it would answer where the vendors answer 404. The real
        # specs and Swagger UI 5 are served under /__fake/docs/ (admin/ui.py).
        middlewares=[ConnectionDropMiddleware, journaling, ServerErrorMiddleware,
                     ExceptionMiddleware, admin_guard,
                     functools.partial(TrailingSlashMiddleware, vendors=vendors),
                     RoutingMiddleware, faulting, gateway, LifespanMiddleware, ContextMiddleware,
                     dispatch],
    )
    mounts = [(v.spec_file, v.base_path, v.handlers) for v in vendors]
    mounts.append(("admin.yaml", ADMIN_BASE_PATH, admin_handlers))
    # Longest base path first: a vendor at the root must not shadow /v2 or /__fake.
    for spec_file, base_path, handlers in sorted(mounts, key=lambda m: -len(m[1])):
        _add_api(app, spec_file, base_path, handlers)
    app.app.config[admin_handlers.APP_STATE_KEY] = AppState(settings, store, vendors, journal,
                                                            faults)
    if settings.fixtures_dir is not None:
        load_fixtures(settings.fixtures_dir, vendors)
    install_error_handlers(app, functools.partial(error_for_path, vendors))
    return app


def _add_api(app: FlaskApp, spec_file: str, base_path: str, handlers: ModuleType) -> None:
    app.add_api(routing_spec(load_spec(spec_file)), base_path=base_path,
                resolver=Resolver(function_resolver=functools.partial(_handler, handlers)))


def _handler(handlers: ModuleType, operation_id: str):
    """``name`` is a function of ``handlers``; ``module.name`` one of a sibling module of it.

    The dotted form lets the admin API keep each area (state, journal, faults...) in a module
    of its own while one spec describes them all.
    """
    module_name, _, function_name = operation_id.rpartition(".")
    if module_name:
        package = handlers.__name__.rpartition(".")[0]
        handlers = importlib.import_module(f"{package}.{module_name}")
    return getattr(handlers, function_name)


def error_for_path(vendors: list[Vendor], method: str, path: str, status: int,
                   reason: str) -> VendorError:
    """The error response of the API that owns ``path`` (the admin area: ``{"detail"}``)."""
    vendor = vendor_for_path(vendors, path)
    if vendor is None:
        return VendorError(status, {"detail": reason or "Error"})
    error = vendor.framework_error(status, reason, method=method, path=path)
    if status == 405:
        allowed = allowed_methods(vendor.spec_file, path[len(vendor.base_path.rstrip("/")):])
        error.headers["Allow"] = ", ".join(allowed)
    return error
