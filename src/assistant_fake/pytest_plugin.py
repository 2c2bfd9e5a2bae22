"""pytest plugin: the fake as fixtures (registered as the ``pytest11`` entry point).

pytest loads this module in every run where the package is installed, so importing it is cheap
(the fake itself, Connexion and httpx are imported only when a fixture is used) and nothing
starts unless a test asks for one of the fixtures:

- ``assistant_fake_server`` (session): the running fake, one per pytest process, so each
  pytest-xdist worker has its own; ``fake_telnyx_url``, ``fake_achieveapex_url``,
  ``fake_admin_url``, ``fake_http`` (a client at the root) and ``fake_admin`` (``FakeAdmin``).
- ``fake_clock``: the fake's clock, frozen for the test, running again afterwards.
- ``fake_test_id``: the test's ``X-Fake-Test-Id`` (sent by the clients below), for faults and
  journal entries of this test alone.
- ``fake_telnyx_key``, ``fake_achieveapex_key``: a new API key per test, so a new tenant;
  everything it created is reset after the test. ``fake_telnyx_client`` and
  ``fake_achieveapex_client``: clients at each API's base URL that send that key.

How the fake runs: ``--assistant-fake-mode`` / ini ``assistant_fake_mode``: ``port`` (default;
uvicorn on a free port in a background thread, so any client, the telnyx SDK included, can
reach it) or ``asgi`` (in-process, no socket: only the fixtures' clients reach it);
``--assistant-fake-url`` / ``assistant_fake_url`` uses a fake that already runs there instead
(with ``--assistant-fake-admin-token`` if it was started with one).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    import httpx

    from assistant_fake.admin_client import FakeAdmin, FakeClock

MODES = ("port", "asgi")
ASGI_ROOT = "http://assistant-fake.test"
"""The root URL in ``asgi`` mode: only the in-process transport answers it."""
ASGI_CLIENT = ("127.0.0.1", 50000)
"""The client address in-process requests come from: a loopback one, as in ``port`` mode."""
TELNYX_BASE, ADMIN_BASE = "/v2", "/__fake"
TOKEN_HEADER = "X-Fake-Admin-Token"
TEST_ID_HEADER = "X-Fake-Test-Id"
SAFE_IN_TEST_ID = "/:[]-_.,=@"
"""Kept as is in a test id; anything else (spaces, non-ASCII parameters) is percent-encoded."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assistant-fake", "assistant-fake (fake AI Assistants APIs)")
    group.addoption("--assistant-fake-mode", choices=MODES, default=None,
                    help="port: serve on a free port (default); asgi: in-process, no socket")
    group.addoption("--assistant-fake-start-timeout", type=float, default=None,
                    metavar="SECONDS", help="how long the fake may take to start (default 30)")
    group.addoption("--assistant-fake-url", default=None, metavar="URL",
                    help="use the fake already running at this root URL")
    group.addoption("--assistant-fake-fixtures", default=None, metavar="DIR",
                    help="load the fixture files under DIR when the fake starts")
    group.addoption("--assistant-fake-admin-token", default=None, metavar="TOKEN",
                    help="the admin token of the fake at --assistant-fake-url, if it has one")
    parser.addini("assistant_fake_mode", "port or asgi (see --assistant-fake-mode)",
                  default="port")
    parser.addini("assistant_fake_start_timeout", "seconds the fake may take to start",
                  default="30")
    parser.addini("assistant_fake_url", "root URL of a fake that already runs", default="")
    parser.addini("assistant_fake_fixtures", "fixtures directory loaded at start-up",
                  default="")
    parser.addini("assistant_fake_admin_token", "admin token of the fake at the URL",
                  default="")


@dataclass(frozen=True)
class FakeOptions:
    mode: str
    start_timeout: float
    url: str | None
    fixtures_dir: str | None
    admin_token: str | None = None

    @classmethod
    def from_config(cls, config: pytest.Config) -> FakeOptions:
        def value(name: str) -> Any:
            given = config.getoption(f"--assistant-fake-{name.replace('_', '-')}")
            return given if given is not None else config.getini(f"assistant_fake_{name}")

        mode = value("mode")
        if mode not in MODES:
            raise pytest.UsageError(f"assistant_fake_mode must be one of {MODES}, not {mode!r}")
        try:
            start_timeout = float(value("start_timeout"))
        except ValueError:
            raise pytest.UsageError("assistant_fake_start_timeout must be a number of seconds") \
                from None
        fixtures = value("fixtures") or None
        if fixtures and config.getoption("--assistant-fake-fixtures") is None and config.inipath:
            fixtures = str(config.inipath.parent / fixtures)  # relative to the ini file
        return cls(mode=mode, start_timeout=start_timeout, url=value("url") or None,
                   fixtures_dir=fixtures, admin_token=value("admin_token") or None)


@dataclass
class FakeServer:
    """A running fake: its URLs, a client at its root and, when in-process, the app."""

    url: str
    mode: str
    http: httpx.Client
    app: Any | None = None

    @property
    def telnyx_url(self) -> str:
        return self.url + TELNYX_BASE

    @property
    def achieveapex_url(self) -> str:
        return self.url

    @property
    def admin_url(self) -> str:
        return self.url + ADMIN_BASE

    def client(self, base_url: str, headers: dict[str, str] | None = None) -> httpx.Client:
        """A new client at ``base_url`` that reaches this fake whatever the mode."""
        if self.mode == "asgi":
            from starlette.testclient import TestClient

            return TestClient(self.app, base_url=base_url, headers=headers,
                              raise_server_exceptions=False, client=ASGI_CLIENT)
        import httpx

        return httpx.Client(base_url=base_url, headers=headers, timeout=30)


@contextlib.contextmanager
def start_fake(options: FakeOptions) -> Iterator[FakeServer]:
    """Start (or reach) the fake as ``options`` say; stop it afterwards."""
    import httpx

    if options.url is not None:
        root = options.url.rstrip("/")
        # a header of its own, so vendor calls through this client keep their Authorization
        token = {TOKEN_HEADER: options.admin_token} if options.admin_token else {}
        with httpx.Client(base_url=root, headers=token, timeout=30) as http:
            _wait_for_health(http, options.start_timeout)
            yield FakeServer(root, "url", http)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Connexion's import-time warnings are not the user's
        from starlette.testclient import TestClient

        from assistant_fake.app import create_app
    from assistant_fake.server import free_port, running_server
    from assistant_fake.settings import Settings

    fixtures = {"fixtures_dir": Path(options.fixtures_dir)} if options.fixtures_dir else {}
    if options.mode == "asgi":
        app = create_app(Settings(**fixtures))
        with TestClient(app, base_url=ASGI_ROOT, raise_server_exceptions=False,
                        client=ASGI_CLIENT) as http:
            yield FakeServer(ASGI_ROOT, "asgi", http, app)
        return
    settings = Settings(port=free_port(), **fixtures)
    app = create_app(settings)
    with running_server(settings, app=app, start_timeout=options.start_timeout) as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        yield FakeServer(url, "port", http, app)


def _wait_for_health(http: httpx.Client, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if http.get(ADMIN_BASE + "/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"no assistant-fake answers at {http.base_url} "
                               f"(waited {timeout:g} s)")
        time.sleep(0.1)


def new_key(api: str) -> str:
    """A key no other test, worker or run uses: a tenant of the test's own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"fake-{api}-{worker}-{uuid.uuid4().hex}"


def reset_tenant(admin: FakeAdmin, api: str, key: str) -> None:
    """Forget what ``key`` created (``POST /__fake/reset`` for that tenant of that API)."""
    admin.reset(api=api, key=key)


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def assistant_fake_server(pytestconfig: pytest.Config) -> Iterator[FakeServer]:
    """The fake of this pytest process (of this xdist worker), started once."""
    with start_fake(FakeOptions.from_config(pytestconfig)) as server:
        yield server


@pytest.fixture(scope="session")
def fake_telnyx_url(assistant_fake_server: FakeServer) -> str:
    """Telnyx's base URL (``.../v2``): ``telnyx.Telnyx(base_url=fake_telnyx_url, ...)``."""
    return assistant_fake_server.telnyx_url


@pytest.fixture(scope="session")
def fake_achieveapex_url(assistant_fake_server: FakeServer) -> str:
    return assistant_fake_server.achieveapex_url


@pytest.fixture(scope="session")
def fake_admin_url(assistant_fake_server: FakeServer) -> str:
    return assistant_fake_server.admin_url


@pytest.fixture(scope="session")
def fake_http(assistant_fake_server: FakeServer) -> httpx.Client:
    """A client at the fake's root URL (paths like ``/v2/ai/assistants``), in any mode."""
    return assistant_fake_server.http


@pytest.fixture(scope="session")
def fake_admin(assistant_fake_server: FakeServer) -> FakeAdmin:
    """The admin API: ``fake_admin.queue_chat_replies(...)``, ``.set_lifecycle(...)``, ..."""
    from assistant_fake.admin_client import FakeAdmin

    return FakeAdmin(assistant_fake_server.http)


@pytest.fixture
def fake_clock(fake_admin: FakeAdmin) -> Iterator[FakeClock]:
    """The fake's clock, frozen for this test (``fake_clock.advance(60)`` moves it); back to
    the real time afterwards. The clock is the whole fake's: tests sharing a fake must not run
    at the same time as one that uses this (xdist workers each have their own fake)."""
    from assistant_fake.admin_client import FakeClock

    clock = FakeClock(fake_admin)
    clock.freeze()
    yield clock
    clock.real_time()


@pytest.fixture
def fake_test_id(request: pytest.FixtureRequest, fake_admin: FakeAdmin) -> Iterator[str]:
    """This test's ``X-Fake-Test-Id`` (its node id, made header-safe), which the
    ``fake_*_client`` fixtures send: faults matching it hit this test alone, the journal can be
    filtered by it, and its faults are removed after the test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    test_id = quote(f"{worker}:{request.node.nodeid}", safe=SAFE_IN_TEST_ID)
    yield test_id
    fake_admin.clear_faults(test_id=test_id)


@pytest.fixture
def fake_telnyx_key(fake_admin: FakeAdmin) -> Iterator[str]:
    """A Telnyx API key of this test alone; its account is reset after the test."""
    key = new_key("telnyx")
    yield key
    reset_tenant(fake_admin, "telnyx", key)


@pytest.fixture
def fake_achieveapex_key(fake_admin: FakeAdmin) -> Iterator[str]:
    """An AchieveApex API key of this test alone (its own organisation), reset afterwards."""
    key = new_key("achieveapex")
    yield key
    reset_tenant(fake_admin, "achieveapex", key)


@pytest.fixture
def fake_telnyx_client(assistant_fake_server: FakeServer, fake_telnyx_key: str,
                       fake_test_id: str) -> Iterator[httpx.Client]:
    """A client at Telnyx's base URL sending ``fake_telnyx_key`` as its bearer token (and
    ``fake_test_id``)."""
    headers = {"Authorization": f"Bearer {fake_telnyx_key}", TEST_ID_HEADER: fake_test_id}
    with assistant_fake_server.client(assistant_fake_server.telnyx_url, headers) as client:
        yield client


@pytest.fixture
def fake_achieveapex_client(assistant_fake_server: FakeServer, fake_achieveapex_key: str,
                            fake_test_id: str) -> Iterator[httpx.Client]:
    """A client at AchieveApex's base URL sending ``fake_achieveapex_key`` (and
    ``fake_test_id``)."""
    headers = {"x-api-key": fake_achieveapex_key, TEST_ID_HEADER: fake_test_id}
    with assistant_fake_server.client(assistant_fake_server.achieveapex_url, headers) as client:
        yield client
