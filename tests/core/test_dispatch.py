"""Vendor handlers called without Flask answer exactly what Flask under a2wsgi answered."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from flask import Response
from starlette.testclient import TestClient
from werkzeug.test import EnvironBuilder

from assistant_fake.app import create_app
from assistant_fake.core.dispatch import send_response
from assistant_fake.core.responses import empty_response, json_response, text_response
from assistant_fake.settings import Settings

AUTH = {"Authorization": "Bearer dispatch-key"}
LOOPBACK = ("127.0.0.1", 50000)  # the admin area answers loopback clients only


def via_wsgi(response: Response, method: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """What werkzeug answers as a WSGI app, with header names lower-cased as a2wsgi sends them."""
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
        started.update(status=int(status.split()[0]), headers=headers)

    body = b"".join(response(EnvironBuilder(method=method).get_environ(), start_response))
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in started["headers"]]
    return started["status"], headers, body


def via_dispatch(response: Response, method: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(send_response(response, method, send))
    start, body = messages
    assert not body.get("more_body", False)
    return start["status"], start["headers"], body["body"]


@pytest.mark.parametrize(("response", "method"), [
    (json_response({"data": [{"name": "Ünïcode"}]}), "GET"),
    (json_response({"errors": []}, 422, headers={"Allow": "GET"}), "POST"),
    (text_response("<Response/>", mimetype="text/xml"), "POST"),
    (empty_response(204), "DELETE"),
    (empty_response(200), "DELETE"),
    (json_response({"id": "a"}), "HEAD"),
], ids=["json", "error-with-header", "xml", "204", "empty-200", "head"])
def test_a_response_is_sent_as_werkzeug_sends_it_over_wsgi(response: Response,
                                                           method: str) -> None:
    assert via_dispatch(response, method) == via_wsgi(response, method)


def test_head_on_a_get_route_answers_the_headers_without_a_body() -> None:
    with TestClient(create_app(), client=LOOPBACK) as client:
        listed = client.get("/v2/ai/assistants", headers=AUTH)
        head = client.head("/v2/ai/assistants", headers=AUTH)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == listed.headers["content-length"]


@pytest.fixture(params=["memory", "data-file"])
def client(request: pytest.FixtureRequest, tmp_path: Path):
    """In memory handlers run on the event loop; with a data file on a worker thread."""
    data_file = tmp_path / "state.json" if request.param == "data-file" else None
    with TestClient(create_app(Settings(data_file=data_file)), client=LOOPBACK) as client:
        yield client


def test_a_handler_sees_the_validated_request_and_its_path_parameters(client) -> None:
    created = client.post("/v2/ai/assistants", headers=AUTH,
                          json={"name": "Dispatch", "instructions": "Help.", "extra": 1})
    fetched = client.get(f"/v2/ai/assistants/{created.json()['id']}", headers=AUTH)
    assert fetched.status_code == 200
    assert fetched.json() == created.json()


def test_a_refusal_raised_by_a_handler_leaves_in_the_vendor_envelope(client) -> None:
    answer = client.get("/v2/ai/assistants/assistant-missing", headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "10005"


def test_admin_requests_still_go_through_flask(client) -> None:
    assert client.get("/__fake/health").json()["status"] == "ok"
