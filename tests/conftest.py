"""Shared fixtures: one real app per session, a fresh API key (so a fresh tenant) per test."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.app import create_app
from assistant_fake.server import running_server

LOOPBACK = ("127.0.0.1", 50000)
"""The client address of in-process requests: starlette's default ("testclient") is not an
address, so the admin API's loopback-only guard would refuse it."""

# Here, not in tests/plugin/conftest.py: pytest refuses pytest_plugins in a conftest below
# the top level when the whole suite runs.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def app():
    return create_app()


@pytest.fixture(scope="session")
def http(app) -> Iterator[TestClient]:
    """The real app over in-process ASGI, as a loopback client (so the admin API answers)."""
    with TestClient(app, raise_server_exceptions=False, client=LOOPBACK) as client:
        yield client


@pytest.fixture(scope="session")
def live_url(app) -> Iterator[str]:
    """The same app on a real port, for clients that need a socket (the telnyx SDK)."""
    with running_server(app=app) as url:
        yield url


@pytest.fixture
def api_key() -> str:
    return f"test-key-{uuid.uuid4()}"


class TelnyxHTTP:
    """Requests to /v2 with a bearer key; nothing more, so tests see the raw answers."""

    def __init__(self, client: TestClient, key: str | None) -> None:
        self.client = client
        self.key = key

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key is not None else {}
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        kwargs["headers"] = self.headers(kwargs.get("headers"))
        return self.client.request(method, "/v2" + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def create_assistant(self, **fields: Any) -> dict[str, Any]:
        body = {"name": "Support bot", "instructions": "Help the caller.", **fields}
        response = self.post("/ai/assistants", json=body)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def telnyx(http: TestClient, api_key: str) -> TelnyxHTTP:
    return TelnyxHTTP(http, api_key)


@pytest.fixture
def telnyx_as(http: TestClient):
    """A client for any other key: ``telnyx_as("other-key")``."""
    return lambda key: TelnyxHTTP(http, key)
