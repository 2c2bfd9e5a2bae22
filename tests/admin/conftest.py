"""A fresh fake per test (the admin API changes global state: clock, ids, every tenant), and
clients for its admin API and both vendors, all as loopback clients over in-process ASGI."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.app import create_app
from assistant_fake.settings import Settings

LOOPBACK = ("127.0.0.1", 50000)


class Fake:
    """One app: ``admin(...)`` calls ``/__fake``, ``telnyx``/``apex`` call a vendor with a key."""

    def __init__(self, app: Any, client: tuple[str, int] = LOOPBACK) -> None:
        self.app = app
        self.client = TestClient(app, raise_server_exceptions=False, client=client)

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, "/__fake" + path, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """An admin call that must succeed; its JSON body."""
        response = self.admin(method, path, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def telnyx(self, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
        return self.client.request(method, "/v2" + path, headers=headers, **kwargs)

    def apex(self, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"x-api-key": key, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def telnyx_assistant(self, key: str, name: str = "Support") -> dict[str, Any]:
        response = self.telnyx(key, "POST", "/ai/assistants",
                               json={"name": name, "instructions": "Help the caller."})
        assert response.status_code == 200, response.text
        return response.json()

    def apex_organization(self, key: str) -> int:
        return self.apex(key, "GET", "/organizations").json()["data"][0]["id"]

    def apex_assistant(self, key: str, name: str = "Support") -> dict[str, Any]:
        body = {"organization_id": self.apex_organization(key), "name": name,
                "assistant_type": "conversation", "ai_model_id": 1}
        response = self.apex(key, "POST", "/ai-assistants", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def telnyx_names(self, key: str) -> list[str]:
        return [a["name"] for a in self.telnyx(key, "GET", "/ai/assistants").json()["data"]]

    def apex_names(self, key: str) -> list[str]:
        return [a["name"] for a in self.apex(key, "GET", "/ai-assistants").json()["data"]]


def _make(settings: Settings | None = None, client: tuple[str, int] = LOOPBACK) -> Fake:
    return Fake(create_app(settings or Settings()), client)


@pytest.fixture
def make_fake() -> Callable[..., Fake]:
    """``make_fake(settings=None, client=LOOPBACK)``: a new app, nothing shared."""
    return _make


@pytest.fixture(scope="module")
def fake_for() -> Callable[..., Fake]:
    """``make_fake`` for module-scoped fixtures (a fake that tests only read)."""
    return _make


@pytest.fixture
def fake(make_fake) -> Fake:
    return make_fake()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """One app for a whole module, as a loopback client: its tests keep to their own key or
    ``X-Fake-Test-Id``, as parallel tests against one fake do."""
    with TestClient(create_app(), raise_server_exceptions=False, client=LOOPBACK) as test_client:
        yield test_client


@pytest.fixture
def key() -> str:
    return f"admin-test-{uuid.uuid4()}"


@pytest.fixture
def other_key() -> str:
    return f"admin-test-other-{uuid.uuid4()}"

