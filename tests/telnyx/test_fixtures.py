"""Fixture files: loaded at start-up through the same validation a client's create gets."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from assistant_fake.app import create_app
from assistant_fake.core.fixtures import FixtureError
from assistant_fake.settings import Settings
from assistant_fake.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

REPO_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def write_fixture(root: Path, document: dict) -> Path:
    folder = root / "telnyx"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.json").write_text(json.dumps(document))
    return root


def names(app, key: str) -> list[str]:
    client = TestClient(app)
    response = client.get("/v2/ai/assistants", headers={"Authorization": f"Bearer {key}"})
    return [assistant["name"] for assistant in response.json()["data"]]


def test_shipped_fixtures_load_for_their_api_key():
    app = create_app(Settings(fixtures_dir=REPO_FIXTURES))
    assert names(app, "fixture-telnyx-key") == ["Support desk", "Appointment setter"]


def test_fixture_assistants_get_the_defaults_a_create_applies(tmp_path):
    root = write_fixture(tmp_path, {"api_key": "k", "assistants": [
        {"name": "A", "instructions": "I"}]})
    client = TestClient(create_app(Settings(fixtures_dir=root)))
    listed = client.get("/v2/ai/assistants", headers={"Authorization": "Bearer k"}).json()
    assistant = listed["data"][0]
    assert assistant["id"].startswith("assistant-")
    assert assistant["telephony_settings"]["default_texml_app_id"]


def test_a_fixture_that_breaks_the_spec_stops_start_up_with_the_reason(tmp_path):
    root = write_fixture(tmp_path, {"api_key": "k", "assistants": [{"name": "no instructions"}]})
    with pytest.raises(FixtureError, match="instructions"):
        create_app(Settings(fixtures_dir=root))


def test_restarting_on_the_same_data_file_does_not_duplicate_fixtures(tmp_path):
    root = write_fixture(tmp_path / "fx", {"api_key": "k", "assistants": [
        {"name": "A", "instructions": "I"}]})
    settings = Settings(fixtures_dir=root, data_file=tmp_path / "state.json")
    create_app(settings)
    assert names(create_app(settings, store=Store(settings.data_file)), "k") == ["A"]
