"""The sample data under fixtures/: realistic, and covering what each vendor's spec allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant_fake.core.specs import load_spec
from assistant_fake.settings import Settings

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures"
CONTACT_CENTER = "fixture-telnyx-contact-center-key"
GLOBEX = "fixture-achieveapex-globex-key"
TELNYX_KEYS = ["fixture-telnyx-key", CONTACT_CENTER]
APEX_KEYS = ["fixture-achieveapex-key", GLOBEX]


@pytest.fixture(scope="module")
def sample(fake_for):
    """One fake with every sample fixture loaded at start-up (read-only here)."""
    return fake_for(Settings(fixtures_dir=SHIPPED))


def telnyx_assistants(sample, key):
    return sample.telnyx(key, "GET", "/ai/assistants").json()["data"]


def test_telnyx_samples_use_every_tool_type_the_spec_allows(sample):
    spec = load_spec("telnyx-ai-assistants.yaml")
    allowed = set(spec["components"]["schemas"]["AssistantTool"]["discriminator"]["mapping"])
    used = {tool["type"] for key in TELNYX_KEYS for assistant in telnyx_assistants(sample, key)
            for tool in assistant.get("tools", [])}
    assert used == allowed


def test_telnyx_samples_cover_voice_and_chat_assistants(sample):
    features = {tuple(assistant.get("enabled_features", []))
                for assistant in telnyx_assistants(sample, CONTACT_CENTER)}
    assert {("telephony",), ("messaging",), ("telephony", "messaging")} <= features


def test_telnyx_samples_have_several_versions_and_one_not_promoted(sample):
    billing = next(a for a in telnyx_assistants(sample, CONTACT_CENTER)
                   if a["name"] == "Billing specialist")
    versions = sample.telnyx(CONTACT_CENTER, "GET",
                             f"/ai/assistants/{billing['id']}/versions").json()["data"]
    assert len(versions) == 3
    assert billing["greeting"] == "You're through to billing. How can I help with your account?"


def test_telnyx_sample_handoff_targets_the_sample_billing_assistant(sample):
    by_name = {a["name"]: a for a in telnyx_assistants(sample, CONTACT_CENTER)}
    handoff = next(t for t in by_name["Front desk"]["tools"] if t["type"] == "handoff")
    assert handoff["handoff"]["ai_assistants"][0]["id"] == by_name["Billing specialist"]["id"]


def test_telnyx_samples_include_a_recently_deleted_assistant(sample):
    deleted = sample.telnyx(CONTACT_CENTER, "GET", "/ai/assistants/deleted").json()["data"]
    assert [a["name"] for a in deleted] == ["Legacy IVR"]


def test_achieveapex_samples_have_every_assistant_type(sample):
    spec = load_spec("achieveapex-ai-assistants.yaml")
    types = set(spec["components"]["schemas"]["AssistantType"]["enum"])
    used = {a["assistant_type"] for key in APEX_KEYS
            for a in sample.apex(key, "GET", "/ai-assistants").json()["data"]}
    assert used == types


def test_achieveapex_samples_have_history_skills_and_linked_api_tools(sample):
    for key in APEX_KEYS:
        history = sample.apex(key, "GET", "/ai-assistants-change-history").json()["total"]
        assistants = sample.apex(key, "GET", "/ai-assistants").json()
        assert history > assistants["total"]
        assert sample.apex(key, "GET", "/ai-assistant-skills").json()["total"] > 0
        tool_ids = {t["id"] for t in sample.apex(key, "GET", "/api-tools").json()["data"]}
        linked = {link for a in assistants["data"] for link in a["api_tools"]}
        assert linked and linked <= tool_ids


def test_achieveapex_sample_mcp_server_answers_its_configured_tools(sample):
    response = sample.apex(GLOBEX, "POST", "/mcp-tool-connection-proxy", json={
        "url": "https://mcp.globex.example/records", "authentication_type": "api_key",
        "api_key": "globex-mcp-key"})
    assert [tool["name"] for tool in response.json()["tools"]] == [
        "patient_search", "next_appointment"]
