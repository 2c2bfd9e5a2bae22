"""Helpers of the Telnyx tests.

Test modules cannot import a conftest (``--import-mode=importlib``), so the helpers come as
fixtures. For the HTTP specification tests (``test_http_*.py``): ``telnyx_errors`` builds
Telnyx's exact error bodies, and a few fixtures create the resources most tests start from,
through the API itself. For the service tests (``test_service_*.py``): a ``TelnyxService`` on
its own store, with the clock frozen at ``t0`` so every timestamp is predictable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant_fake.admin.handlers import APP_STATE_KEY
from assistant_fake.store import IdGenerator, Store
from assistant_fake.vendors.telnyx.assistants import Assistants
from assistant_fake.vendors.telnyx.service import TelnyxService

DOCS_URL = "https://developers.telnyx.com/docs/overview/errors/{code}"


class TelnyxErrors:
    """The exact bodies Telnyx answers with, for comparison with ``response.json()``."""

    @staticmethod
    def envelope(code: str, title: str, detail: str) -> dict[str, Any]:
        return {"errors": [{"code": code, "title": title, "detail": detail,
                            "meta": {"url": DOCS_URL.format(code=code)}}]}

    @property
    def unauthorized(self) -> dict[str, Any]:
        return self.envelope(
            "10009", "Authentication failed",
            "The required authentication headers were either invalid or not included in the "
            "request.")

    def not_found(self, detail: str) -> dict[str, Any]:
        return self.envelope("10005", "Resource not found", detail)

    def bad_request(self, detail: str) -> dict[str, Any]:
        return self.envelope("10015", "Bad Request", detail)

    def assistant_not_found(self, assistant_id: str) -> dict[str, Any]:
        return self.not_found(f"Assistant {assistant_id} not found.")

    @property
    def no_route(self) -> dict[str, Any]:
        return self.not_found("The requested resource or URL could not be found.")


@pytest.fixture(scope="session")
def telnyx_errors() -> TelnyxErrors:
    return TelnyxErrors()


@pytest.fixture
def assistant(telnyx) -> dict[str, Any]:
    """A fresh assistant of the test's own tenant."""
    return telnyx.create_assistant()


@pytest.fixture
def other_tenant(telnyx_as, api_key):
    """A client with another API key: another account, which sees none of ``telnyx``'s data."""
    return telnyx_as(f"{api_key}-other")


@pytest.fixture
def new_version(telnyx, assistant):
    """Make a second, non-main version of ``assistant``; answers that version."""

    def make(**changes: Any) -> dict[str, Any]:
        body = {"instructions": "Answer in French.", **changes, "promote_to_main": False}
        response = telnyx.post(f"/ai/assistants/{assistant['id']}", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    return make


@pytest.fixture
def clock(app):
    """The app's clock, frozen at the current moment; unfrozen again after the test."""
    store_clock = app.app.config[APP_STATE_KEY].store.clock
    store_clock.freeze(datetime.now(UTC))
    yield store_clock
    store_clock.unfreeze()


# --- service tests (no HTTP) -----------------------------------------------------------------

@pytest.fixture
def t0() -> datetime:
    """The moment the service tests' clock is frozen at (their timestamps expect it)."""
    return datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(t0: datetime) -> Store:
    """A fresh store, clock frozen at ``t0``; seeded ids so a failure reproduces exactly."""
    store = Store(ids=IdGenerator(seed=7))
    store.clock.freeze(t0)
    return store


@pytest.fixture
def service(store: Store) -> TelnyxService:
    return TelnyxService(store)


@pytest.fixture
def assistants(service: TelnyxService) -> Assistants:
    return service.assistants


@pytest.fixture
def create_assistant(assistants: Assistants) -> Callable[..., dict[str, Any]]:
    """Create an assistant of tenant "acme" (unless told), named "Support", with instructions
    "Help." unless the fields say otherwise; answers the created assistant."""

    def create(tenant: str = "acme", **fields: Any) -> dict[str, Any]:
        return assistants.create(tenant, {"name": "Support", "instructions": "Help.", **fields})

    return create
