"""Running the app under uvicorn, announcing the base URLs once requests are accepted."""

from __future__ import annotations

import contextlib
import functools
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn

from assistant_fake.admin.context import APP_STATE_KEY
from assistant_fake.app import ADMIN_BASE_PATH, create_app, error_for_path
from assistant_fake.core.http_protocol import vendor_http_protocol
from assistant_fake.settings import Settings
from assistant_fake.store import Store


class _AnnouncingServer(uvicorn.Server):
    """Prints the base URLs once it accepts requests; closes the store when it stops."""

    def __init__(self, config: uvicorn.Config, lines: list[str], store: Store) -> None:
        super().__init__(config)
        self._lines = lines
        self._store = store

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print("\n".join(self._lines), flush=True)

    async def shutdown(self, sockets=None) -> None:
        await super().shutdown(sockets=sockets)
        # Here, not after run(): on SIGTERM uvicorn re-raises the signal before run() returns.
        # A clean stop folds the --data journal into the snapshot.
        self._store.close()


def base_urls(settings: Settings, vendors) -> list[str]:
    lines = [f"{vendor.name}: {settings.base_url}{vendor.base_path or '/'}" for vendor in vendors]
    lines.append(f"admin: {settings.base_url}{ADMIN_BASE_PATH}/")
    return lines


def serve(settings: Settings, *, log_level: str = "warning") -> None:
    app = create_app(settings)
    state = _app_state(app)
    config = uvicorn_config(app, settings, log_level=log_level)
    _AnnouncingServer(config, base_urls(settings, state.vendors), state.store).run()


def uvicorn_config(app, settings: Settings, *, log_level: str) -> uvicorn.Config:
    """uvicorn serving ``app``; requests its HTTP parser refuses get the vendor's error body."""
    state = _app_state(app)
    protocol = vendor_http_protocol(functools.partial(error_for_path, state.vendors),
                                    state.settings.max_head_bytes)
    return uvicorn.Config(app, host=settings.host, port=settings.port, log_level=log_level,
                          lifespan="on", http=protocol)


def _app_state(app):
    """The fake's state behind ``app``, or behind ASGI wrappers of it that keep it as ``.app``
    (tests wrap the fake to count or edit what it answers)."""
    candidate = app
    while candidate is not None:
        inner = getattr(candidate, "app", None)
        config = getattr(inner, "config", None)
        if isinstance(config, dict) and APP_STATE_KEY in config:
            return config[APP_STATE_KEY]
        candidate = inner
    raise TypeError(f"{app!r} is not the fake's app, nor a wrapper keeping it as .app")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(settings: Settings | None = None, *, app=None,
                   start_timeout: float = 30.0) -> Iterator[str]:
    """Serve the fake from a background thread on a real port; yields the root URL."""
    settings = settings or Settings(port=free_port())
    app = app or create_app(settings)
    server = uvicorn.Server(uvicorn_config(app, settings, log_level="warning"))
    thread = threading.Thread(target=server.run, name="assistant-fake", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the fake did not start on {settings.base_url}")
        time.sleep(0.02)
    try:
        yield settings.base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
