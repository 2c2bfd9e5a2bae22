"""API keys never appear in the server's output nor in its request journal.

``assistant-fake serve`` runs as a separate process at its most verbose log level (uvicorn's
access log included); requests carry distinctive keys the way each vendor takes them, on
answers of every kind (accepted, refused, validation errors, a request the HTTP parser
refuses, a body too large). Neither the process's whole output nor ``GET /__fake/journal``
may name any of the keys, in any encoding, while both do record the requests.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from assistant_fake.server import free_port


@contextlib.contextmanager
def serving_process(log_file: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_file.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant_fake", "serve", "--port", str(port),
             "--log-level", "debug"],
            stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_healthy(url, process)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the fake exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/__fake/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the fake did not become healthy")


def send_requests(url: str, telnyx_key: str, apex_key: str) -> None:
    bearer = {"Authorization": f"Bearer {telnyx_key}"}
    apex = {"x-api-key": apex_key}
    with httpx.Client(base_url=url, timeout=30) as http:
        created = http.post("/v2/ai/assistants", headers=bearer,
                            json={"name": "Logged", "instructions": "Help."})
        assert created.status_code == 200
        http.get(f"/v2/ai/assistants/{created.json()['id']}", headers=bearer)
        http.post("/v2/ai/assistants", headers=bearer, json={"name": 7})  # 422
        http.get("/v2/ai/assistants/unknown", headers=bearer)  # 404
        http.get("/v2/ai/assistants", headers={"Authorization": f"Basic {telnyx_key}"})  # 401
        http.post("/v2/ai/assistants", headers=bearer, content=b"x" * (3 * 1024 * 1024))  # 413
        http.get("/v2/ai/assistants", headers={**bearer, "x-big": "b" * 20_000})  # 431
        http.get("/organizations", headers=apex)
        http.post("/ai-assistants", headers=apex, json={"name": 7})  # 400
        http.get("/ai-assistants/999999", headers=apex)  # 404
    parts = httpx.URL(url)
    with socket.create_connection((parts.host, parts.port), timeout=30) as raw:
        raw.sendall(b"GET /ai-assistants/\xff HTTP/1.1\r\nhost: fake\r\nconnection: close\r\n"
                    + f"x-api-key: {apex_key}\r\n\r\n".encode())
        while raw.recv(65536):
            pass


def forms(key: str) -> list[str]:
    """The ways a key could be written out: as is, URL-encoded, base64, its distinctive tail."""
    return [key, quote(key, safe=""), base64.b64encode(key.encode()).decode(), key[-12:]]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[list[str], str, str]:
    """The keys, the server's whole output and its journal, after the requests."""
    keys = [f"tx-secret-{uuid.uuid4().hex}", f"apex-secret-{uuid.uuid4().hex}"]
    log_file = tmp_path_factory.mktemp("keys") / "serve.log"
    with serving_process(log_file) as url:
        send_requests(url, *keys)
        journal = httpx.get(f"{url}/__fake/journal", params={"limit": 1000}, timeout=30)
        assert journal.status_code == 200, journal.text
    return keys, log_file.read_text(errors="replace"), journal.text


@pytest.mark.slow
def test_the_servers_output_never_contains_an_api_key(recorded):
    keys, output, _ = recorded
    assert '"POST /v2/ai/assistants HTTP/1.1" 200' in output  # the access log was on
    assert "Invalid HTTP request received" in output
    for key in keys:
        assert not [form for form in forms(key) if form in output]


@pytest.mark.slow
def test_the_request_journal_never_contains_an_api_key(recorded):
    keys, _, journal = recorded
    assert json.loads(journal)["total"] >= 10  # every vendor request was journaled
    for key in keys:
        assert not [form for form in forms(key) if form in journal]
