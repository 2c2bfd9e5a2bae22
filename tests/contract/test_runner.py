"""The contract runner against the in-process fake: it passes on the real fake and it catches
deliberately broken variants (built by wrapping the app, never by editing the fake)."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest

from assistant_fake.app import create_app
from assistant_fake.cli import main
from assistant_fake.contract.runner import run_contract
from assistant_fake.server import free_port
from assistant_fake.settings import Settings

pytestmark = pytest.mark.slow

# Small and seeded, so the suite is repeatable and bounded. Coverage is the slowest phase by far
# (tens of seconds per API); CI's full runs include it.
FAST_PHASES = ["examples", "fuzzing", "stateful"]


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_the_fake_passes_its_contract(api):
    out = io.StringIO()
    result = run_contract(api, max_examples=3, seed=7, phases=FAST_PHASES, out=out)
    assert result.failures == [], out.getvalue()
    assert result.errors == [], out.getvalue()
    assert result.ok
    assert len(result.operations) > 10  # every operation ran, not just a few
    assert "operation" in out.getvalue() and f"{api}: passed" in out.getvalue()


def test_a_path_filter_limits_every_phase_to_the_matching_operations():
    # Schemathesis's own `schema.include()` keeps every operation when the project config has
    # `[[project.operations]]` blocks, as ours does: the runner must filter the way `st run` does.
    out = io.StringIO()
    result = run_contract("achieveapex", include_path_regex="^/organizations$", seed=2,
                          max_examples=2, phases=["examples", "coverage", "fuzzing"], out=out)
    assert set(result.operations) == {"GET /organizations"}, out.getvalue()


def test_cli_writes_junit_and_exits_zero(tmp_path, capsys):
    report = tmp_path / "junit.xml"
    code = main(["contract", "--api", "telnyx", "--max-examples", "2", "--seed", "3",
                 "--phases", "fuzzing", "--report", str(report)])
    assert code == 0, capsys.readouterr().out
    cases = ElementTree.parse(report).getroot().iter("testcase")
    assert any("/ai/assistants" in case.get("name", "") for case in cases)


def test_cli_needs_a_key_for_a_real_url(monkeypatch, capsys):
    monkeypatch.delenv("ACHIEVEAPEX_API_KEY", raising=False)
    assert main(["contract", "--api", "achieveapex", "--url", "http://127.0.0.1:9"]) == 2
    assert "ACHIEVEAPEX_API_KEY" in capsys.readouterr().err


# --- broken variants --------------------------------------------------------------------------

class _Rewrite:
    """ASGI middleware that lets a test rewrite (status, body) of some responses."""

    def __init__(self, app, rewrite):
        self.app = app
        self.rewrite = rewrite  # (method, path, status, body) -> (status, body) | None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    await flush()

        async def flush():
            body = b"".join(chunks)
            changed = self.rewrite(scope["method"], scope["path"], start["status"], body)
            status, body = changed if changed is not None else (start["status"], body)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def _broken(rewrite):
    return _Rewrite(create_app(Settings(port=free_port())), rewrite)


def _run_broken(api, app, path_regex, phases, max_examples=5):
    out = io.StringIO()
    result = run_contract(api, app=app, max_examples=max_examples, seed=11, phases=phases,
                          include_path_regex=path_regex, out=out)
    return result, out.getvalue()


def test_a_wrong_status_code_is_reported():
    def created_instead_of_ok(method, path, status, body):
        if method == "POST" and path == "/v2/ai/assistants" and status == 200:
            return 201, body
        return None

    result, out = _run_broken("telnyx", _broken(created_instead_of_ok), "^/ai/assistants$",
                              ["examples", "fuzzing"])
    assert not result.ok, out
    assert any("status code" in title.lower() for _, title, _ in result.failures), out


def test_a_422_body_in_the_wrong_shape_is_reported():
    def flat_error(method, path, status, body):
        # `HTTPValidationError` requires no member (FastAPI's schema), so an unknown envelope
        # alone conforms; `detail` must be a list of errors, and a string breaks that.
        if status == 422:
            return 422, json.dumps({"detail": "invalid"}).encode()
        return None

    # The coverage phase sends negative bodies deterministically, so 422s are certain.
    result, out = _run_broken("telnyx", _broken(flat_error), "^/ai/assistants$",
                              ["coverage"], max_examples=5)
    assert not result.ok, out
    assert any(title == "Response violates schema" and "422" in message
               for _, title, message in result.failures), out


def test_a_missing_required_response_field_is_reported():
    # The spec's `Assistant` requires `model`. Creating answers an `Assistant`, and the examples
    # and fuzzing phases create deterministically; the same rewrite covers reading one back.
    def without_model(method, path, status, body):
        created = method == "POST" and path == "/v2/ai/assistants"
        read = method == "GET" and re.fullmatch(r"/v2/ai/assistants/assistant-[^/]+", path)
        if (created or read) and status == 200:
            document = json.loads(body)
            document.pop("model", None)
            return 200, json.dumps(document).encode()
        return None

    result, out = _run_broken("telnyx", _broken(without_model), "^/ai/assistants$",
                              ["examples", "fuzzing"])
    assert not result.ok, out
    violations = [message for label, title, message in result.failures
                  if label == "POST /ai/assistants" and title == "Response violates schema"]
    assert any('"model" is a required property' in message for message in violations), out
