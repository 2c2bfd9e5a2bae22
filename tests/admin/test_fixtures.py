"""POST /__fake/fixtures: files from the fixtures directory or a document in the body, loaded
all or nothing through the vendors' own validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant_fake.settings import Settings

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures"
SHIPPED_FILES = sorted(str(p.relative_to(SHIPPED)) for p in SHIPPED.glob("*/*.json"))
TELNYX_KEY = "fixture-telnyx-key"
APEX_KEY = "fixture-achieveapex-key"


def load(fake, **body):
    return fake.admin("POST", "/fixtures", json=body)


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_every_shipped_fixture_file_loads_through_the_admin_api(fake, name):
    response = load(fake, files=[name])
    assert response.status_code == 201, response.text
    assert response.json()["created"] > 0


def test_loaded_files_create_their_accounts_records(fake):
    assert load(fake, files=["telnyx/support-desk.json", "achieveapex/acme.json"]).json() == {
        "created": 9}
    assert fake.telnyx_names(TELNYX_KEY) == ["Support desk", "Appointment setter"]
    assert fake.apex_names(APEX_KEY) == ["Acme support", "Acme reception"]


def test_loading_the_same_file_twice_creates_nothing_the_second_time(fake):
    load(fake, files=["telnyx/support-desk.json"])
    assert load(fake, files=["telnyx/support-desk.json"]).json() == {"created": 0}
    assert len(fake.telnyx_names(TELNYX_KEY)) == 2


def write(root: Path, name: str, text: str) -> None:
    """A fixture file written after the fake started (``--fixtures`` loads at start-up)."""
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text)


def test_files_are_relative_to_the_configured_fixtures_directory(make_fake, tmp_path):
    fake = make_fake(Settings(fixtures_dir=tmp_path))
    write(tmp_path, "telnyx/mine.yaml",
          "api_key: mine\nassistants:\n  - {name: Mine, instructions: Help.}\n")
    assert load(fake, files=["telnyx/mine.yaml"]).json() == {"created": 1}
    assert fake.telnyx_names("mine") == ["Mine"]
    assert load(fake, files=["telnyx/support-desk.json"]).status_code == 400


@pytest.mark.parametrize("name", ["../pyproject.toml", "telnyx/../../pyproject.toml",
                                  "/etc/passwd", "telnyx/..", "..\\pyproject.toml", "."])
def test_paths_escaping_the_fixtures_directory_are_refused(fake, name):
    response = load(fake, files=[name])
    assert response.status_code == 400
    assert "not a path inside the fixtures directory" in response.json()["detail"]


def test_a_symlink_out_of_the_fixtures_directory_is_refused(make_fake, tmp_path):
    fake = make_fake(Settings(fixtures_dir=tmp_path / "fixtures"))
    write(tmp_path, "secret.json", '{"api_key": "k"}')
    (tmp_path / "fixtures" / "telnyx").mkdir(parents=True)
    (tmp_path / "fixtures" / "telnyx" / "link.json").symlink_to(tmp_path / "secret.json")
    assert load(fake, files=["telnyx/link.json"]).status_code == 400


@pytest.mark.parametrize("name", ["telnyx/missing.json", "support-desk.json", "openai/x.json",
                                  "telnyx"])
def test_a_file_that_is_not_a_fixture_of_an_api_is_refused(fake, name):
    assert load(fake, files=[name]).status_code == 400


def test_a_document_in_the_body_is_loaded_for_its_api(fake):
    document = {"api_key": "inline", "assistants": [{"name": "Inline", "instructions": "Hi."}]}
    assert load(fake, api="telnyx", document=document).json() == {"created": 1}
    assert fake.telnyx_names("inline") == ["Inline"]


def test_a_record_the_vendor_refuses_answers_400_with_the_vendors_answer(fake):
    document = {"api_key": "inline", "assistants": [{"name": "No instructions"}]}
    response = load(fake, api="telnyx", document=document)
    assert response.status_code == 400
    refused = response.json()["vendor_response"]
    assert refused["status"] == 422
    assert refused["body"]["detail"][0]["loc"] == ["body", "instructions"]


def test_a_vendor_rule_beyond_the_schema_answers_400_too(fake):
    hangup = {"type": "hangup", "hangup": {}}
    document = {"api_key": "inline", "assistants": [
        {"name": "Twice", "instructions": "Hi.", "tools": [hangup, hangup]}]}
    response = load(fake, api="telnyx", document=document)
    assert response.status_code == 400
    assert response.json()["vendor_response"]["body"]["errors"][0]["code"] == "10015"


def test_a_refused_record_leaves_nothing_of_its_document_behind(fake):
    document = {"api_key": "inline", "assistants": [
        {"name": "Fine", "instructions": "Hi."}, {"name": "Broken"}]}
    assert load(fake, api="telnyx", document=document).status_code == 400
    assert fake.telnyx_names("inline") == []


def test_a_refused_file_leaves_nothing_of_the_earlier_files_behind(make_fake, tmp_path):
    fake = make_fake(Settings(fixtures_dir=tmp_path))
    write(tmp_path, "achieveapex/bad.json", json.dumps(
        {"api_key": "bad", "assistants": [{"name": "No type", "ai_model_id": 1}]}))
    write(tmp_path, "achieveapex/good.json", json.dumps(
        {"api_key": "good", "organization": {"name": "Good"},
         "assistants": [{"name": "Fine", "assistant_type": "voice", "ai_model_id": 1}]}))
    response = load(fake, files=["achieveapex/good.json", "achieveapex/bad.json"])
    assert response.status_code == 400
    assert response.json()["detail"].startswith("bad.json: 400")
    assert fake.ok("GET", "/tenants") == {"tenants": []}


def test_a_fixture_file_that_is_not_yaml_or_json_is_refused(make_fake, tmp_path):
    fake = make_fake(Settings(fixtures_dir=tmp_path))
    write(tmp_path, "telnyx/broken.yaml", "api_key: [unclosed\n")
    response = load(fake, files=["telnyx/broken.yaml"])
    assert response.status_code == 400
    assert "cannot be read" in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"files": []}, {"files": "telnyx/support-desk.json"},
                                  {"api": "telnyx"}, {"api": "telnyx", "document": {}},
                                  {"api": "telnyx", "document": {"api_key": 5}},
                                  {"api": "nope", "document": {"api_key": "k"}},
                                  {"api": "telnyx", "document": {"api_key": "k"}, "files": ["x"]}])
def test_a_malformed_request_is_refused(fake, body):
    assert fake.admin("POST", "/fixtures", json=body).status_code == 400


def test_a_reference_to_no_earlier_record_is_refused(fake):
    document = {"api_key": "inline", "assistants": [{
        "name": "Hands off", "instructions": "Hi.", "tools": [{"type": "handoff", "handoff": {
            "ai_assistants": [{"id": "{{assistant:Nobody}}", "name": "Nobody"}]}}]}]}
    response = load(fake, api="telnyx", document=document)
    assert response.status_code == 400
    assert "{{assistant:Nobody}}" in response.json()["detail"]
