"""record and drift: a second fake on a real port stands in for the real service.

Cassettes recorded from it replay against a fresh fake without drift; a fake behind a small ASGI
middleware that changes a status, drops a member or changes a value is reported with exactly
those differences. The key never reaches the cassette, and ``--dry-run`` makes no request.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant_fake.app import create_app
from assistant_fake.cli import main
from assistant_fake.contract.record import REDACTED, redact_headers, redact_json, scrub
from assistant_fake.server import running_server

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
Edit = Callable[[str, str, int, Any], tuple[int, Any]]  # method, path, status, body

KEY = "rk_live_0123456789abcdefSECRET"
BASES = {"telnyx": "/v2", "achieveapex": ""}


class Counting:
    """Counts the HTTP requests that reach the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.requests = app, 0

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


def editing(app: ASGIApp, edit: Edit) -> ASGIApp:
    """The app with every JSON answer passed through ``edit`` (a deliberately changed fake)."""

    async def wrapped(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            content = b"".join(chunks)
            status = start["status"]
            try:
                status, body = edit(scope["method"], scope["path"], status, json.loads(content))
                content = json.dumps(body).encode()
            except ValueError:
                pass
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(content)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content})

        await app(scope, receive, capture)

    wrapped.app = app  # type: ignore[attr-defined]  # running_server finds the fake through it
    return wrapped


@pytest.fixture(scope="module")
def real() -> Iterator[tuple[str, Counting]]:
    counting = Counting(create_app())
    with running_server(app=counting) as root:
        yield root, counting


@pytest.fixture(scope="module")
def cassettes(real, tmp_path_factory) -> dict[str, Path]:
    root, _ = real
    # Another account first, so the recorded AchieveApex ids (2) differ from a fresh fake's (1)
    # and the replay has to map them.
    with httpx.Client(base_url=root, headers={"x-api-key": "someone-else"}) as other:
        organization = other.get("/organizations").json()["data"][0]["id"]
        assert other.post("/ai-assistants", json={
            "organization_id": organization, "name": "contract-other", "assistant_type": "voice",
            "ai_model_id": 1}).status_code == 201
    folder = tmp_path_factory.mktemp("cassettes")
    paths = {}
    for api, base in BASES.items():
        paths[api] = folder / f"{api}.json"
        assert main(["record", "--api", api, "--url", root + base, "--key", KEY,
                     "--suite", "journey", str(paths[api])]) == 0
    return paths


@pytest.fixture(scope="module")
def suite_cassettes(tmp_path_factory) -> dict[str, Path]:
    """The contract suite's own traffic, recorded in real-service mode from a fresh fake.

    Fresh, so AchieveApex's small integer ids line up with the replaying fake's: drift maps ids
    by value, and ids of different kinds (an organisation 2, a reservation service 2) that map
    to different values would collide. The journey cassettes above test the mapping itself.
    """
    folder = tmp_path_factory.mktemp("suite-cassettes")
    paths = {}
    with running_server() as root:
        for api, base in BASES.items():
            paths[api] = folder / f"{api}.json"
            assert main(["record", "--api", api, "--url", root + base, "--key", KEY,
                         "--suite", "contract", "--max-examples", "2", "--seed", "8",
                         "--pace", "1000/s", "--phases", "examples,fuzzing,stateful",
                         str(paths[api])]) == 0
    return paths


def drift_against(edit: Edit, cassette: Path, base: str, capsys) -> tuple[int, str]:
    with running_server(app=editing(create_app(), edit)) as root:
        code = main(["drift", str(cassette), "--url", root + base])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("api", list(BASES))
def test_replay_against_a_fresh_fake_shows_no_drift(api, cassettes, capsys):
    recorded = json.loads(cassettes[api].read_text())
    assert recorded["api"] == api and not recorded["skipped"] and not recorded["errors"]
    assert len(recorded["interactions"]) >= 12
    assert main(["drift", str(cassettes[api])]) == 0
    assert "no drift" in capsys.readouterr().out


@pytest.mark.parametrize("api", list(BASES))
def test_the_suites_own_traffic_replays_against_a_fresh_fake_without_drift(api, suite_cassettes,
                                                                          capsys):
    recorded = json.loads(suite_cassettes[api].read_text())
    steps = {interaction["step"] for interaction in recorded["interactions"]}
    assert "cleanup" in steps and len(steps) > 15  # many operations, then the cleanup
    assert main(["drift", str(suite_cassettes[api])]) == 0
    assert "no drift" in capsys.readouterr().out


@pytest.mark.parametrize("api", list(BASES))
def test_the_suite_cassette_never_contains_the_key(api, suite_cassettes):
    assert KEY not in suite_cassettes[api].read_text()


@pytest.mark.parametrize("api", list(BASES))
def test_the_cassette_never_contains_the_key(api, cassettes):
    text = cassettes[api].read_text()
    assert KEY not in text and KEY[-12:] not in text
    auth = "authorization" if api == "telnyx" else "x-api-key"
    sent = [i["request"]["headers"].get(auth) for i in json.loads(text)["interactions"]]
    assert {h for h in sent if h} == {f"Bearer {REDACTED}" if api == "telnyx" else REDACTED}


def test_redaction_by_name_and_by_value():
    body = {"api_key": "k1", "api_key_ref": "my-secret", "max_tokens": 5,
            "tools": [{"webhook": {"headers": [{"name": "x", "value": "v"}], "token": "t"}}]}
    assert redact_json(body) == {
        "api_key": REDACTED, "api_key_ref": REDACTED, "max_tokens": 5,
        "tools": [{"webhook": {"headers": [{"name": "x", "value": "v"}], "token": REDACTED}}]}
    assert redact_headers({"Authorization": "Bearer abc", "X-Api-Key": "abc",
                           "Content-Type": "application/json"}) == {
        "authorization": f"Bearer {REDACTED}", "x-api-key": REDACTED,
        "content-type": "application/json"}
    assert scrub({"detail": f"key {KEY} is invalid"}, [KEY]) == {
        "detail": f"key {REDACTED} is invalid"}


def test_a_changed_status_is_reported(cassettes, capsys):
    def edit(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
        deleted = method == "GET" and path.endswith("/deleted")
        return (404 if deleted else status), body

    code, out = drift_against(edit, cassettes["telnyx"], "/v2", capsys)
    assert code == 1
    assert "get deleted (GET /ai/assistants/assistant-" in out
    assert "/deleted): status: recorded 200, fake 404" in out
    assert "1 difference(s)" in out


def test_a_dropped_member_and_a_changed_value_are_reported(cassettes, capsys):
    def edit(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
        if method == "GET" and path.startswith("/ai-assistants/") and status == 200:
            body.pop("instructions_language", None)
            body["connection"] = "custom"
        return status, body

    code, out = drift_against(edit, cassettes["achieveapex"], "", capsys)
    assert code == 1
    lines = [line.strip() for line in out.splitlines()]
    # The recording's ids (organisation and assistant 2) are the fresh fake's 1 and 1.
    get = "#3 get (GET /ai-assistants/2)"
    assert f"{get}: shape at $.instructions_language: recorded present, fake missing" in lines
    assert f'{get}: value at $.connection: recorded "system", fake "custom"' in lines
    assert "2 difference(s)" in lines


def test_record_dry_run_makes_no_request(real, tmp_path, capsys):
    root, counting = real
    before = counting.requests
    for api, base in BASES.items():
        cassette = tmp_path / f"{api}.json"
        assert main(["record", "--api", api, "--url", root + base, "--dry-run",
                     str(cassette)]) == 0
        assert not cassette.exists()
    out = capsys.readouterr().out
    assert counting.requests == before
    assert f"1. create: POST {root}/v2/ai/assistants" in out
    assert f'2. create: POST {root}/ai-assistants {{"organization_id": "{{organization}}"' in out
    assert "(no key)" in out


def test_contract_dry_run_makes_no_request(real, capsys):
    root, counting = real
    before = counting.requests
    assert main(["contract", "--api", "telnyx", "--url", root + "/v2", "--phases", "examples",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert counting.requests == before
    assert "phases examples;" in out and "  POST /ai/assistants\n" in out
    assert main(["contract", "--api", "telnyx", "--phases", "nope", "--dry-run"]) == 2


def test_drift_refuses_a_file_that_is_not_a_cassette(tmp_path, capsys):
    other = tmp_path / "other.json"
    other.write_text("{}")
    assert main(["drift", str(other)]) == 2
    assert "not an assistant-fake cassette" in capsys.readouterr().err
