"""``assistant-fake serve --seed --clock --admin-token`` as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from assistant_fake.cli import main
from assistant_fake.server import free_port

TOKEN = "cli-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START_TIMEOUT = 30.0


@contextmanager
def serving(*flags: str) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "assistant_fake", "serve", "--port",
                                str(port), *flags], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ})
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{url}/__fake/health", headers=AUTH, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the fake exited"
            assert time.monotonic() < deadline, "the fake did not start"
            time.sleep(0.05)
        yield url
    finally:
        process.kill()
        process.wait(timeout=15)


def create_assistant(url: str) -> bytes:
    response = httpx.post(f"{url}/v2/ai/assistants", headers={"Authorization": "Bearer k"},
                          json={"name": "A", "instructions": "I"}, timeout=10)
    assert response.status_code == 200
    return response.content


@pytest.mark.slow
def test_serve_flags_give_a_frozen_clock_seeded_ids_and_a_token_guarded_admin_api():
    flags = ("--seed", "1", "--clock", "2026-01-01T00:00:00Z", "--admin-token", TOKEN)
    with serving(*flags) as url:
        clock = httpx.get(f"{url}/__fake/clock", headers=AUTH, timeout=10).json()
        unauthorised = httpx.get(f"{url}/__fake/clock", timeout=10).status_code
        first = create_assistant(url)
    with serving(*flags) as url:
        second = create_assistant(url)  # another process: another hash seed, same answer
    assert clock == {"now": "2026-01-01T00:00:00.000Z", "frozen": True}
    assert unauthorised == 401
    assert first == second


def test_serve_refuses_a_clock_without_a_time_zone(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--clock", "2026-01-01T00:00:00"])
    assert exited.value.code == 2
    assert "time zone" in capsys.readouterr().err
