"""AchieveApex over HTTP: ``x-api-key`` authentication and ``/organizations``.

Every operation refuses a request without a usable key with the reference's exact 401 body. A
key nobody declared gets an organisation of its own on first use, which ``GET /organizations``
answers (exactly it); a key declared by a fixture file belongs to the organisation and user the
file declares.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant_fake.app import create_app
from assistant_fake.core.specs import load_spec
from assistant_fake.settings import Settings

REPO_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SPEC = load_spec("achieveapex-ai-assistants.yaml")
OPERATIONS = {operation["operationId"]: (method.upper(), path.replace("{id}", "1"))
              for path, item in SPEC["paths"].items()
              for method, operation in item.items() if method in ("get", "post", "patch",
                                                                  "delete", "put")}
ORGANIZATION_KEYS = ["id", "name", "created_at", "updated_at"]


def test_the_operations_table_covers_the_spec():
    assert len(OPERATIONS) == 26


# --- 401 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_without_a_key_answers_the_references_401(apex_as, feathers, operation):
    method, path = OPERATIONS[operation]
    response = apex_as(None).request(method, path, json={} if method in ("POST", "PATCH")
                                     else None)
    assert (response.status_code, response.json()) == (401, feathers.not_authenticated)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("key", ["", "   "])
def test_every_operation_with_an_empty_key_answers_401(apex_as, feathers, operation, key):
    method, path = OPERATIONS[operation]
    response = apex_as(key).request(method, path)
    assert (response.status_code, response.json()) == (401, feathers.not_authenticated)


def test_authentication_comes_before_validation(apex_as, feathers):
    response = apex_as(None).post("/ai-assistants", json={"name": 5})
    assert (response.status_code, response.json()) == (401, feathers.not_authenticated)


def test_the_old_bearer_scheme_does_not_authenticate(apex_as, feathers):
    response = apex_as(None).get("/ai-assistants", headers={"Authorization": "Bearer token"})
    assert (response.status_code, response.json()) == (401, feathers.not_authenticated)


def test_the_old_authentication_endpoint_is_not_served(apex_as, feathers):
    response = apex_as(None).post("/authentication", json={
        "strategy": "local", "email": "a@example.com", "password": "secret"})
    assert (response.status_code, response.json()) == (404, feathers.no_path("/authentication"))


def test_the_header_name_is_case_insensitive(apex_as, api_key):
    apex = apex_as(api_key)
    upper = apex_as(None).get("/organizations", headers={"X-API-KEY": api_key})
    assert upper.status_code == 200
    assert upper.json()["data"][0]["id"] == apex.organization_id


# --- organisations --------------------------------------------------------------------------

def test_a_new_key_gets_an_organization_of_its_own(apex, frozen_stamp, clock):
    listed = apex.ok("GET", "/organizations")
    organization = listed["data"][0]
    assert listed == {"total": 1, "limit": 10, "skip": 0, "data": [{
        "id": organization["id"], "name": f"Organization {organization['id']}",
        "created_at": frozen_stamp, "updated_at": frozen_stamp}]}
    assert list(organization) == ORGANIZATION_KEYS


def test_two_new_keys_get_two_organizations(apex_as):
    first, second = apex_as(), apex_as()
    assert first.organization_id != second.organization_id


def test_a_key_keeps_its_organization(apex, apex_as, api_key):
    assert apex_as(api_key).ok("GET", "/organizations") == apex.ok("GET", "/organizations")


def test_organizations_lists_only_the_keys_own_even_when_asked_for_another(apex, apex_as):
    other = apex_as().organization_id
    listed = apex.ok("GET", "/organizations", params={"id": str(other)})
    assert listed == {"total": 0, "limit": 10, "skip": 0, "data": []}


def test_organizations_speaks_the_query_language(apex):
    own = apex.organization_id
    assert apex.ok("GET", "/organizations", params={"$limit": "0"}) == {
        "total": 1, "limit": 0, "skip": 0, "data": []}
    assert apex.ok("GET", "/organizations", params={"id[$ne]": str(own)})["total"] == 0
    assert apex.ok("GET", "/organizations", params={"id[$in][]": str(own)})["total"] == 1
    picked = apex.ok("GET", "/organizations", params=[("$select[]", "name")])["data"]
    assert picked == [{"name": f"Organization {own}", "id": own}]


def test_the_organization_learned_is_the_one_to_create_in(apex):
    assistant = apex.create_assistant()
    assert assistant["organization_id"] == apex.organization_id


# --- fixture keys ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def acme(client_for):
    """The shipped fixtures: ``fixture-achieveapex-key`` of Acme Corp (1001), user 501."""
    return client_for(create_app(Settings(fixtures_dir=REPO_FIXTURES)))


def test_a_fixture_key_maps_to_its_declared_organization(acme):
    listed = acme("fixture-achieveapex-key").ok("GET", "/organizations")
    assert (listed["total"], listed["data"][0]["id"], listed["data"][0]["name"]) == (
        1, 1001, "Acme Corp")


def test_a_fixture_keys_assistants_were_created_by_its_declared_user(acme):
    listed = acme("fixture-achieveapex-key").ok("GET", "/ai-assistants")
    assert [(a["name"], a["organization_id"], a["created_by_user_id"])
            for a in listed["data"]] == [("Acme support", 1001, 501),
                                         ("Acme reception", 1001, 501)]


def test_another_key_on_the_fixture_app_sees_nothing_of_acme(acme):
    stranger = acme()
    assert stranger.organization_id != 1001
    assert stranger.ok("GET", "/ai-assistants")["total"] == 0


def test_two_fixture_keys_declaring_one_organization_share_it(client_for, tmp_path):
    folder = tmp_path / "achieveapex"
    folder.mkdir()
    for name in ("desk", "phone"):
        (folder / f"{name}.json").write_text(json.dumps({
            "api_key": f"{name}-key", "organization": {"id": 7001, "name": "Shared"},
            "user_id": 7100 + len(name)}))
    keys = client_for(create_app(Settings(fixtures_dir=tmp_path)))
    desk, phone = keys("desk-key"), keys("phone-key")
    assistant = desk.create_assistant()
    assert phone.organization_id == desk.organization_id == 7001
    assert phone.ok("GET", f"/ai-assistants/{assistant['id']}") == assistant
    assert assistant["created_by_user_id"] == 7104
