"""POST /__fake/reset: everything, one API, or one tenant, and nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant_fake.core.rate_limit import RateLimit
from assistant_fake.core.tenants import tenant_id
from assistant_fake.settings import Settings

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures"


def test_reset_without_a_body_forgets_every_api(fake, key):
    fake.telnyx_assistant(key)
    fake.apex_assistant(key)
    answer = fake.ok("POST", "/reset")
    assert answer == {"reset": {"telnyx": 1, "achieveapex": answer["reset"]["achieveapex"]},
                      "tenant": None, "fixtures_created": 0}
    assert fake.telnyx_names(key) == []
    assert fake.apex_names(key) == []


def test_reset_of_one_api_leaves_the_other_untouched(fake, key):
    fake.telnyx_assistant(key, "Telnyx bot")
    fake.apex_assistant(key, "Apex bot")
    assert fake.ok("POST", "/reset", json={"api": "telnyx"}) == {
        "reset": {"telnyx": 1}, "tenant": None, "fixtures_created": 0}
    assert fake.telnyx_names(key) == []
    assert fake.apex_names(key) == ["Apex bot"]


def test_reset_of_one_telnyx_tenant_by_key_leaves_other_tenants_untouched(fake, key, other_key):
    fake.telnyx_assistant(key, "Mine")
    fake.telnyx_assistant(other_key, "Theirs")
    answer = fake.ok("POST", "/reset", json={"api": "telnyx", "key": key})
    assert answer == {"reset": {"telnyx": 1}, "tenant": tenant_id(key), "fixtures_created": 0}
    assert fake.telnyx_names(key) == []
    assert fake.telnyx_names(other_key) == ["Theirs"]


def test_reset_of_one_tenant_by_id_covers_every_api(fake, key, other_key):
    fake.telnyx_assistant(key)
    fake.apex_assistant(key)
    fake.apex_assistant(other_key, "Theirs")
    fake.ok("POST", "/reset", json={"tenant": tenant_id(key)})
    assert (fake.telnyx_names(key), fake.apex_names(key)) == ([], [])
    assert fake.apex_names(other_key) == ["Theirs"]


def test_a_reset_achieveapex_tenant_keeps_its_organisation(fake, key):
    organization_id = fake.apex_assistant(key)["organization_id"]
    fake.ok("POST", "/reset", json={"api": "achieveapex", "key": key})
    assert fake.apex_organization(key) == organization_id
    assert fake.apex(key, "GET", "/ai-assistants-change-history").json()["total"] == 0


def test_resetting_achieveapex_empties_its_rate_limit_windows(make_fake, key):
    fake = make_fake(Settings(rate_limit=RateLimit(2, 3600)))
    for _ in range(2):
        fake.apex(key, "GET", "/ai-assistants")
    assert fake.apex(key, "GET", "/ai-assistants").status_code == 429
    fake.ok("POST", "/reset", json={"api": "achieveapex", "key": key})
    assert fake.apex(key, "GET", "/ai-assistants").status_code == 200


def test_a_full_reset_restores_the_start_up_clock_and_ids(make_fake, key):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    fake = make_fake(Settings(seed=7, clock=start))
    first = fake.telnyx_assistant(key)
    fake.ok("PUT", "/clock", json={"now": "2030-05-05T00:00:00Z"})
    fake.ok("PUT", "/ids", json={"seed": 99})
    fake.ok("POST", "/reset")
    assert fake.ok("GET", "/clock") == {"now": "2026-01-01T00:00:00.000Z", "frozen": True}
    assert fake.telnyx_assistant(key) == first


def test_a_full_reset_returns_a_fake_started_with_fixtures_to_its_start_up_state(make_fake):
    fake = make_fake(Settings(fixtures_dir=SHIPPED, seed=3,
                              clock=datetime(2026, 1, 1, tzinfo=UTC)))
    at_start = fake.ok("GET", "/snapshot")
    fake.telnyx_assistant("fixture-telnyx-key", "Added")
    fake.ok("POST", "/clock/advance", json={"seconds": 60})
    answer = fake.ok("POST", "/reset")
    assert answer["fixtures_created"] > 0
    assert fake.ok("GET", "/snapshot") == at_start


def test_a_reset_of_one_api_does_not_reload_fixtures(make_fake):
    fake = make_fake(Settings(fixtures_dir=SHIPPED))
    assert fake.ok("POST", "/reset", json={"api": "telnyx"})["fixtures_created"] == 0
    assert fake.telnyx_names("fixture-telnyx-key") == []


def test_a_reset_of_one_api_leaves_the_clock_alone(fake):
    fake.ok("PUT", "/clock", json={"now": "2030-05-05T00:00:00Z"})
    fake.ok("POST", "/reset", json={"api": "achieveapex"})
    assert fake.ok("GET", "/clock")["now"] == "2030-05-05T00:00:00.000Z"


def test_a_reset_of_an_unknown_tenant_removes_nothing(fake, key):
    fake.telnyx_assistant(key)
    assert fake.ok("POST", "/reset", json={"tenant": "0" * 24})["reset"] == {
        "telnyx": 0, "achieveapex": 0}
    assert len(fake.telnyx_names(key)) == 1


def test_reset_refuses_an_unknown_api(fake):
    response = fake.admin("POST", "/reset", json={"api": "openai"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("body/api: ")


def test_reset_refuses_a_key_and_a_tenant_together(fake, key):
    response = fake.admin("POST", "/reset", json={"key": key, "tenant": tenant_id(key)})
    assert response.status_code == 400


def test_reset_refuses_a_tenant_that_is_not_a_tenant_id(fake):
    assert fake.admin("POST", "/reset", json={"tenant": "../x"}).status_code == 400


def test_reset_refuses_a_body_that_is_not_json(fake):
    response = fake.admin("POST", "/reset", content=b"{nope",
                          headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("body: not valid JSON")


def test_a_full_reset_whose_fixtures_no_longer_load_changes_nothing(make_fake, tmp_path, key):
    folder = tmp_path / "fixtures"
    fake = make_fake(Settings(fixtures_dir=folder, seed=5,
                              clock=datetime(2026, 1, 1, tzinfo=UTC)))
    fake.telnyx_assistant(key)
    fake.ok("PUT", "/clock", json={"now": "2030-05-05T00:00:00Z"})
    before = fake.ok("GET", "/snapshot")
    (folder / "telnyx").mkdir(parents=True)  # written after start-up: only the reset loads it
    (folder / "telnyx" / "broken.json").write_text(
        '{"api_key": "broken-key", "assistants": [{"name": 5}]}')
    response = fake.admin("POST", "/reset")
    assert response.status_code == 400, response.text
    assert fake.ok("GET", "/snapshot") == before
