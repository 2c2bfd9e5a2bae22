"""Organizations: the key registry and the one-organisation Feathers service."""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.organizations import (
    ORGANIZATION_FIELD_TYPES,
    Organizations,
)
from assistant_fake.vendors.achieveapex.query import parse_query
from assistant_fake.vendors.achieveapex.records import Caller

NOW = "2026-05-01T12:00:00.000Z"


@pytest.fixture
def organizations(store: Store) -> Organizations:
    return Organizations(store)


def status_of(call: Any, *args: Any, **kwargs: Any) -> int:
    with pytest.raises(FeathersProblem) as problem:
        call(*args, **kwargs)
    return problem.value.status


def test_undeclared_keys_get_new_organizations_and_users(organizations: Organizations) -> None:
    assert organizations.register("hash-a") == Caller(1, 1)
    assert organizations.register("hash-b") == Caller(2, 2)
    assert organizations.get(Caller(1, 1), 1)["name"] == "Organization 1"


def test_registering_a_known_key_again_answers_the_same_caller(
        organizations: Organizations) -> None:
    first = organizations.register("hash-a")
    assert organizations.register("hash-a") == first
    assert organizations.register("hash-b") == Caller(2, 2)


def test_caller_for_a_key_never_registered_is_none(organizations: Organizations) -> None:
    assert organizations.caller_for("hash-a") is None
    caller = organizations.register("hash-a")
    assert organizations.caller_for("hash-a") == caller


def test_declared_key_brings_its_organization_and_user(organizations: Organizations) -> None:
    caller = organizations.register("hash-a", organization={"id": 1001, "name": "Acme Corp"},
                                    user_id=501)
    assert caller == Caller(1001, 501)
    assert organizations.get(caller, 1001) == {"id": 1001, "name": "Acme Corp",
                                               "created_at": NOW, "updated_at": NOW}


def test_generated_ids_skip_declared_ones(organizations: Organizations) -> None:
    organizations.register("hash-a", organization={"id": 1001, "name": "Acme"}, user_id=501)
    assert organizations.register("hash-b") == Caller(1002, 502)


def test_declared_organization_without_id_gets_a_new_one(organizations: Organizations) -> None:
    caller = organizations.register("hash-a", organization={"name": "Acme"})
    assert organizations.get(caller, caller.organization_id)["name"] == "Acme"


def test_declared_keys_share_an_organization_by_its_id(organizations: Organizations) -> None:
    first = organizations.register("hash-a", organization={"id": 1001, "name": "Acme"},
                                   user_id=501)
    second = organizations.register("hash-b", organization={"id": 1001}, user_id=502)
    assert (first.organization_id, second.organization_id, second.user_id) == (1001, 1001, 502)


def test_reloading_the_same_declaration_is_a_no_op(organizations: Organizations) -> None:
    declared = {"organization": {"id": 1001, "name": "Acme"}, "user_id": 501}
    assert organizations.register("hash-a", **declared) == organizations.register(
        "hash-a", **declared)


@pytest.mark.parametrize("declaration", [
    {"organization": {"id": 1002, "name": "Acme"}},
    {"organization": {"id": 1001, "name": "Other name"}},
    {"user_id": 777},
])
def test_a_contradicting_declaration_of_a_known_key_is_a_conflict(
        organizations: Organizations, declaration: dict[str, Any]) -> None:
    organizations.register("hash-a", organization={"id": 1001, "name": "Acme"}, user_id=501)
    assert status_of(organizations.register, "hash-a", **declaration) == 409
    assert organizations.caller_for("hash-a") == Caller(1001, 501)


def test_a_name_contradicting_the_shared_organization_is_a_conflict(
        organizations: Organizations) -> None:
    organizations.register("hash-a", organization={"id": 1001, "name": "Acme"})
    assert status_of(organizations.register, "hash-b",
                     organization={"id": 1001, "name": "Other"}) == 409
    assert organizations.caller_for("hash-b") is None


def test_a_declared_key_cannot_join_an_undeclared_keys_organization(
        organizations: Organizations) -> None:
    organizations.register("hash-a")
    assert status_of(organizations.register, "hash-b", organization={"id": 1}) == 409


def test_a_declared_id_below_the_ids_handed_out_is_a_conflict(
        organizations: Organizations) -> None:
    organizations.register("hash-a", organization={"id": 10, "name": "Ten"})
    assert status_of(organizations.register, "hash-b", organization={"id": 5}) == 409


@pytest.mark.parametrize("declaration", [
    {"organization": {"id": 0}}, {"organization": {"id": "7"}}, {"organization": {"name": ""}},
    {"user_id": -1}, {"user_id": True},
])
def test_malformed_declarations_answer_400_and_write_nothing(
        store: Store, organizations: Organizations, declaration: dict[str, Any]) -> None:
    assert status_of(organizations.register, "hash-a", **declaration) == 400
    assert store.collection_names("achieveapex/") == []


def test_find_answers_exactly_the_callers_organization(organizations: Organizations) -> None:
    caller = organizations.register("hash-a", organization={"id": 1001, "name": "Acme"})
    organizations.register("hash-b")
    assert organizations.find(caller) == {
        "total": 1, "limit": 10, "skip": 0,
        "data": [{"id": 1001, "name": "Acme", "created_at": NOW, "updated_at": NOW}]}


def test_find_applies_the_query(organizations: Organizations) -> None:
    caller = organizations.register("hash-a", organization={"name": "Acme"})
    query = parse_query({"name": {"$ne": "Acme"}}, field_types=ORGANIZATION_FIELD_TYPES)
    assert organizations.find(caller, query)["total"] == 0


def test_another_organization_answers_404(organizations: Organizations) -> None:
    caller = organizations.register("hash-a")
    other = organizations.register("hash-b")
    assert status_of(organizations.get, caller, other.organization_id) == 404
