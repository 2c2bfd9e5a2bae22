"""``assistant-fake explain``: the exact status and body the fake answers one request with,
printed without any server running (the app runs in-process on a fresh, empty store)."""

from __future__ import annotations

import io
import json

import pytest

from assistant_fake.cli import main
from assistant_fake.explain import request_path

TELNYX_DOCS = "https://developers.telnyx.com/docs/overview/errors/{}"


def run(capsys, *argv: str) -> tuple[str, dict | str]:
    """Run the command; answers (the status line, the body parsed as JSON when it is)."""
    assert main(["explain", *argv]) == 0
    status_line, _, body = capsys.readouterr().out.partition("\n")
    try:
        return status_line, json.loads(body)
    except ValueError:
        return status_line, body


def missing(name: str) -> dict:
    """AJV's error for a required body property that was not sent."""
    return {"location": "body", "instancePath": "", "schemaPath": "#/required",
            "keyword": "required", "params": {"missingProperty": name},
            "message": f"must have required property '{name}'"}


@pytest.fixture
def payload(tmp_path):
    def write(content: str | dict) -> str:
        path = tmp_path / "payload.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_a_telnyx_create_breaking_the_spec_answers_fastapis_422(capsys, payload):
    status, body = run(capsys, "--api", "telnyx", "POST", "/ai/assistants",
                       payload({"name": 7, "dynamic_variables_webhook_timeout_ms": 0}))
    assert status == "HTTP/1.1 422 Unprocessable Entity"
    assert body == {"detail": [
        {"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string",
         "input": 7},
        {"type": "missing", "loc": ["body", "instructions"], "msg": "Field required",
         "input": {"name": 7, "dynamic_variables_webhook_timeout_ms": 0}},
        {"type": "greater_than_equal", "loc": ["body", "dynamic_variables_webhook_timeout_ms"],
         "msg": "Input should be greater than or equal to 1", "input": 0, "ctx": {"ge": 1}}]}


def test_a_telnyx_body_that_is_not_json_answers_json_invalid(capsys, payload):
    status, body = run(capsys, "--api", "telnyx", "POST", "/v2/ai/assistants", payload("{"))
    assert status == "HTTP/1.1 422 Unprocessable Entity"
    assert body == {"detail": [{"type": "json_invalid", "loc": ["body", 1],
                                "msg": "JSON decode error", "input": {},
                                "ctx": {"error": "Expecting property name enclosed in double "
                                                 "quotes"}}]}


def test_a_telnyx_query_breaking_the_spec_is_reported_at_its_parameter(capsys):
    status, body = run(capsys, "--api", "telnyx", "GET", "/ai/assistants/tests?page[size]=0")
    assert status == "HTTP/1.1 422 Unprocessable Entity"
    assert body["detail"] == [{"type": "greater_than_equal", "loc": ["query", "page[size]"],
                               "msg": "Input should be greater than or equal to 1",
                               "input": "0", "ctx": {"ge": 1}}]


def test_an_id_in_the_path_names_nothing_in_the_fresh_store(capsys):
    status, body = run(capsys, "--api", "telnyx", "GET", "/ai/assistants/assistant-123")
    assert status == "HTTP/1.1 404 Not Found"
    assert body == {"errors": [{"code": "10005", "title": "Resource not found",
                                "detail": "Assistant assistant-123 not found.",
                                "meta": {"url": TELNYX_DOCS.format("10005")}}]}


def test_an_empty_key_sends_no_credentials(capsys):
    status, body = run(capsys, "--api", "telnyx", "GET", "/ai/assistants", "--key", "")
    assert status == "HTTP/1.1 401 Unauthorized"
    assert body["errors"][0]["code"] == "10009"


def test_a_header_overrides_the_json_content_type(capsys, payload):
    status, body = run(capsys, "--api", "telnyx", "POST", "/ai/assistants",
                       payload({"name": "A", "instructions": "x"}),
                       "--header", "Content-Type: text/plain")
    assert status == "HTTP/1.1 422 Unprocessable Entity"
    assert [error["type"] for error in body["detail"]] == ["model_attributes_type"]


def test_an_achieveapex_create_from_stdin_answers_feathers_400(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"name": 7}')))
    status, body = run(capsys, "--api", "achieveapex", "POST", "/ai-assistants", "-")
    assert status == "HTTP/1.1 400 Bad Request"
    assert body == {"name": "BadRequest", "message": "validation failed", "code": 400,
                    "className": "bad-request", "data": [
                        {"location": "body", "instancePath": "/name",
                         "schemaPath": "#/allOf/1/properties/name/type", "keyword": "type",
                         "params": {"type": "string"}, "message": "must be string"},
                        *(missing(name) for name in ("organization_id", "assistant_type",
                                                     "ai_model_id"))]}


def test_an_achieveapex_path_id_is_validated_before_it_is_looked_up(capsys):
    status, body = run(capsys, "--api", "achieveapex", "GET", "/ai-assistants/abc")
    assert status == "HTTP/1.1 400 Bad Request"
    assert body["message"] == "validation failed"
    assert [(error["location"], error["instancePath"]) for error in body["data"]] == [
        ("path", "/id")]


def test_include_prints_the_response_headers(capsys):
    assert main(["explain", "--api", "telnyx", "GET", "/ai/assistants/x", "-i"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "HTTP/1.1 404 Not Found"
    assert "content-type: application/json" in lines[1:4]


def test_an_unreadable_payload_file_exits_2(capsys, tmp_path):
    assert main(["explain", "--api", "telnyx", "POST", "/ai/assistants",
                 str(tmp_path / "missing.json")]) == 2
    assert "assistant-fake explain:" in capsys.readouterr().err


def test_a_header_without_a_colon_exits_2(capsys):
    assert main(["explain", "--api", "telnyx", "GET", "/ai/assistants",
                 "--header", "X-Nothing"]) == 2
    assert "Name: value" in capsys.readouterr().err


@pytest.mark.parametrize(("api", "target", "sent"), [
    ("telnyx", "/ai/assistants", "/v2/ai/assistants"),
    ("telnyx", "/v2/ai/assistants", "/v2/ai/assistants"),
    ("telnyx", "ai/assistants?page[size]=5", "/v2/ai/assistants?page[size]=5"),
    ("telnyx", "https://api.telnyx.com/v2/ai/assistants/tags", "/v2/ai/assistants/tags"),
    ("achieveapex", "https://api.achieveapex.com/ai-assistants?$limit=1",
     "/ai-assistants?$limit=1"),
])
def test_paths_can_be_pasted_from_docs_or_logs(api, target, sent):
    assert request_path(api, target) == sent
