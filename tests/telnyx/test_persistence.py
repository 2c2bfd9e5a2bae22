"""``assistant-fake serve --data FILE`` as a real process: state survives restarts and crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant_fake.core.tenants import tenant_id
from assistant_fake.server import free_port
from assistant_fake.store import Store

pytestmark = pytest.mark.slow

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
ASSISTANTS = "/v2/ai/assistants"
HEADERS = {"Authorization": "Bearer persistence-key"}


class FakeProcess:
    """One ``python -m assistant_fake serve`` process and the lines it printed."""

    def __init__(self, data_file: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant_fake", "serve", "--port", str(self.port),
             "--data", str(data_file)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.http = httpx.Client(base_url=self.url, headers=HEADERS, timeout=10)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_until(self, ready: Any, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            if self.process.poll() is not None:
                raise AssertionError(f"the fake exited ({self.process.returncode}) before {what}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/__fake/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        self.http.close()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        finally:
            self._reader.join(timeout=STOP_TIMEOUT)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        return response.json() if response.content else None


@contextmanager
def running(data_file: Path) -> Iterator[FakeProcess]:
    fake = FakeProcess(data_file)
    try:
        fake.wait_until(fake.healthy, "GET /__fake/health to answer 200")
        yield fake
    finally:
        if fake.process.poll() is None:
            fake.stop(signal.SIGKILL)


def stop_gracefully(fake: FakeProcess) -> None:
    returncode = fake.stop(signal.SIGTERM)
    # uvicorn shuts down cleanly, then re-raises the signal it caught
    assert returncode in (0, -signal.SIGTERM), returncode


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "fake.json"


def make_state(fake: FakeProcess) -> list[str]:
    """Assistants with versions, tags, a canary, a test, and one in Recently Deleted."""
    kept = fake.ok("POST", ASSISTANTS, json={"name": "Kept", "instructions": "Help.",
                                             "tags": ["support"]})["id"]
    fake.ok("POST", f"{ASSISTANTS}/{kept}", json={"name": "Kept v2", "version_name": "Second"})
    draft = fake.ok("POST", f"{ASSISTANTS}/{kept}",
                    json={"greeting": "Draft", "promote_to_main": False})
    fake.ok("POST", f"{ASSISTANTS}/{kept}/canary-deploys",
            json={"rules": [{"serve": {"version_id": draft["version_id"]}}]})
    fake.ok("POST", f"{ASSISTANTS}/{kept}/tags", json={"tag": "vip"})
    deleted = fake.ok("POST", ASSISTANTS, json={"name": "Gone", "instructions": "Bye.",
                                                "tags": ["old"]})["id"]
    fake.ok("DELETE", f"{ASSISTANTS}/{deleted}")
    fake.ok("POST", f"{ASSISTANTS}/tests", json={
        "name": "Greets", "destination": "+13125550100", "instructions": "Say hi.",
        "test_suite": "smoke", "rubric": [{"name": "Polite", "criteria": "Greets."}]})
    return [kept, deleted]


def snapshot(fake: FakeProcess, ids: list[str]) -> dict[str, Any]:
    """Everything the client can read back about ``ids``."""
    state: dict[str, Any] = {
        "list": fake.ok("GET", ASSISTANTS),
        "deleted": fake.ok("GET", f"{ASSISTANTS}/deleted"),
        "tags": fake.ok("GET", f"{ASSISTANTS}/tags"),
        "tests": fake.ok("GET", f"{ASSISTANTS}/tests"),
    }
    for assistant_id in ids:
        for suffix in ("", "/deleted", "/versions", "/canary-deploys"):
            response = fake.http.get(f"{ASSISTANTS}/{assistant_id}{suffix}")
            state[assistant_id + suffix] = (response.status_code, response.json())
    return state


def test_every_write_reads_back_identically_after_a_restart(data_file: Path) -> None:
    with running(data_file) as first:
        ids = make_state(first)
        before = snapshot(first, ids)
        stop_gracefully(first)
    assert before["deleted"]["data"] and len(before["list"]["data"]) == 1
    with running(data_file) as second:
        assert snapshot(second, ids) == before


def test_the_data_file_is_valid_json_after_each_stop(data_file: Path) -> None:
    with running(data_file) as first:
        first_id = make_state(first)[0]
        stop_gracefully(first)
    first_text = data_file.read_text(encoding="utf-8")
    json.loads(first_text)
    assert first_id in first_text
    with running(data_file) as second:
        later = {"name": "Later", "instructions": "Hi."}
        second_id = second.ok("POST", ASSISTANTS, json=later)["id"]
        stop_gracefully(second)
    second_text = data_file.read_text(encoding="utf-8")
    json.loads(second_text)
    assert first_id in second_text and second_id in second_text


def burst_then_kill_9(data_file: Path, write: Any, enough: Any) -> None:
    """Three clients run ``write(client, worker, stop)`` until ``enough()``; then kill -9."""
    stop_writing = threading.Event()

    def client_loop(fake: FakeProcess, worker: int) -> None:
        with httpx.Client(base_url=fake.url, headers=HEADERS, timeout=10) as client:
            try:
                write(client, worker, stop_writing)
            except httpx.TransportError:
                return  # the process died under this request: not acknowledged

    with running(data_file) as fake:
        writers = [threading.Thread(target=client_loop, args=(fake, w)) for w in range(3)]
        for writer in writers:
            writer.start()
        fake.wait_until(enough, "enough acknowledged writes")
        fake.process.send_signal(signal.SIGKILL)  # while the writers are still writing
        assert fake.process.wait(timeout=STOP_TIMEOUT) == -signal.SIGKILL
        stop_writing.set()
        for writer in writers:
            writer.join(timeout=STOP_TIMEOUT)


def stored_assistants(data_file: Path) -> dict[str, Any]:
    """What a restart loads from the data file (snapshot plus journal), by assistant id."""
    store = Store(data_file)
    try:
        return {doc["id"]: doc for doc in
                store.collection(f"telnyx/{tenant_id(HEADERS['Authorization'][7:])}/assistants")
                .values()}
    finally:
        store.close()


def test_kill_9_during_concurrent_creates_keeps_every_acknowledged_one(data_file: Path) -> None:
    acknowledged: list[str] = []

    def create(client: httpx.Client, worker: int, stop: threading.Event) -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            response = client.post(ASSISTANTS, json={
                "name": f"Writer {worker} #{n}", "instructions": "x" * 2000})
            if response.status_code == 200:
                acknowledged.append(response.json()["id"])

    burst_then_kill_9(data_file, create, lambda: len(acknowledged) >= 40)
    assert set(acknowledged) <= set(stored_assistants(data_file))
    with running(data_file) as restarted:
        listed = {a["id"] for a in restarted.ok("GET", ASSISTANTS)["data"]}
        assert set(acknowledged) <= listed
        stop_gracefully(restarted)


def test_kill_9_during_concurrent_updates_keeps_the_last_acknowledged_one(
        data_file: Path) -> None:
    with running(data_file) as fake:
        ids = [fake.ok("POST", ASSISTANTS, json={"name": "v0", "instructions": "Hi."})["id"]
               for _ in range(3)]
        stop_gracefully(fake)
    acknowledged = {assistant_id: 0 for assistant_id in ids}

    def update(client: httpx.Client, worker: int, stop: threading.Event) -> None:
        for n in range(1, 10_000):
            if stop.is_set():
                return
            response = client.post(f"{ASSISTANTS}/{ids[worker]}", json={"name": f"v{n}"})
            if response.status_code == 200:
                acknowledged[ids[worker]] = n

    burst_then_kill_9(data_file, update, lambda: min(acknowledged.values()) >= 10)
    with running(data_file) as restarted:
        for assistant_id, last in acknowledged.items():
            name = restarted.ok("GET", f"{ASSISTANTS}/{assistant_id}")["name"]
            # the update in flight at the kill may or may not have reached the disk
            assert name in (f"v{last}", f"v{last + 1}"), (assistant_id, name, last)
        stop_gracefully(restarted)


def test_a_data_file_in_use_by_a_running_fake_is_refused(data_file: Path) -> None:
    with running(data_file) as fake:
        second = subprocess.run(
            [sys.executable, "-m", "assistant_fake", "serve", "--port", str(free_port()),
             "--data", str(data_file)], capture_output=True, text=True, timeout=START_TIMEOUT)
        assert second.returncode == 2
        assert "in use by another assistant-fake process" in second.stderr
        assert fake.healthy()
        stop_gracefully(fake)


def test_serve_prints_the_base_urls_once_it_accepts_requests(data_file: Path) -> None:
    fake = FakeProcess(data_file)
    try:
        expected = [f"telnyx: {fake.url}/v2", f"admin: {fake.url}/__fake/"]
        fake.wait_until(lambda: all(line in fake.lines for line in expected), "the base URLs")
        assert fake.healthy()  # printed only once requests are accepted
        assert [line for line in fake.lines if line in expected] == expected  # once each
    finally:
        stop_gracefully(fake)
