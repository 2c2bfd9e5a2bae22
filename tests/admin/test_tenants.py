"""GET /__fake/tenants: who has state, and how much."""

from __future__ import annotations

from assistant_fake.core.tenants import tenant_id


def entries(fake, **params) -> list[dict]:
    return fake.ok("GET", "/tenants", params=params)["tenants"]


def test_a_fresh_fake_has_no_tenants(fake):
    assert entries(fake) == []


def test_a_telnyx_tenant_is_listed_with_its_record_counts(fake, key):
    fake.telnyx_assistant(key)
    fake.telnyx_assistant(key, "Second")
    assert entries(fake) == [{"api": "telnyx", "tenant": tenant_id(key),
                              "records": {"assistants": 2}}]


def test_an_achieveapex_tenant_is_listed_with_its_organisation(fake, key):
    assistant = fake.apex_assistant(key)
    (entry,) = entries(fake)
    assert entry == {"api": "achieveapex", "tenant": tenant_id(key),
                     "organization_id": assistant["organization_id"],
                     "records": {"ai_assistants": 1, "ai_assistants_change_history": 1}}


def test_tenants_can_be_listed_for_one_api(fake, key):
    fake.telnyx_assistant(key)
    fake.apex_assistant(key)
    assert [entry["api"] for entry in entries(fake, api="achieveapex")] == ["achieveapex"]


def test_tenants_refuses_an_unknown_api(fake):
    assert fake.admin("GET", "/tenants", params={"api": "nope"}).status_code == 400
