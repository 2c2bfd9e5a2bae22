"""Organisation isolation across the related resources, as a Hypothesis property.

Whatever two organisations create, in whatever order, neither can read, change or remove a
record of the other (404, and the record stays as it was), and every list shows only its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.api_tools import ApiTools
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.organizations import Organizations
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.reservations import Reservations, ReservationServices
from assistant_fake.vendors.achieveapex.skills import AiAssistantSkills

KINDS = ("skill", "tool", "reservation")


class World:
    """Two organisations sharing one store, each with one active assistant."""

    def __init__(self) -> None:
        self.store = Store()
        organizations = Organizations(self.store)
        self.callers = [organizations.register("key-a"), organizations.register("key-b")]
        self.services = ReservationServices(self.store)
        self.resources = {"organization": organizations, "skill": AiAssistantSkills(self.store),
                          "tool": ApiTools(self.store), "reservation": Reservations(self.store)}
        for caller in self.callers:
            self.store.collection(f"achieveapex/{caller.organization_id}/ai_assistants").put(
                str(caller.organization_id), {"id": caller.organization_id, "deleted_at": None,
                                              "api_tools": []})

    def create(self, caller: Caller, kind: str, step: int) -> dict[str, Any]:
        base = {"organization_id": caller.organization_id}
        if kind == "skill":
            data = {**base, "assistant_id": caller.organization_id, "name": f"s{step}",
                    "content": "c"}
        elif kind == "tool":
            data = {**base, "name": f"t{step}", "description": "d", "endpoint": "https://e",
                    "method": "GET"}
        else:  # one hour per step: never a double booking
            service = self.services.find(caller)["data"][0]["id"]
            data = {**base, "service_id": service,
                    "start_time": f"2030-01-01T{step:02d}:00:00Z",
                    "end_time": f"2030-01-01T{step:02d}:30:00Z"}
        return self.resources[kind].create(caller, data)


def refused(call: Any, *args: Any) -> int:
    with pytest.raises(FeathersProblem) as problem:
        call(*args)
    return problem.value.status


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((0, 1)), st.sampled_from(KINDS)), max_size=12))
def test_no_organization_sees_or_touches_another_organizations_records(
        operations: list[tuple[int, str]]) -> None:
    world = World()
    created: list[tuple[int, str, dict[str, Any]]] = []
    for step, (owner, kind) in enumerate(operations):
        created.append((owner, kind, world.create(world.callers[owner], kind, step)))

    for owner, kind, record in created:
        stranger, service = world.callers[1 - owner], world.resources[kind]
        assert refused(service.get, stranger, record["id"]) == 404
        assert refused(service.patch, stranger, record["id"], {"notes": "x", "name": "x"}) == 404
        if kind != "reservation":  # reservations have no remove: they are cancelled
            assert refused(service.remove, stranger, record["id"]) == 404
        assert service.get(world.callers[owner], record["id"]) == record

    for index, caller in enumerate(world.callers):
        for kind in KINDS:
            mine = [r["id"] for o, k, r in created if o == index and k == kind]
            page = world.resources[kind].find(caller)
            assert page["total"] == len(mine)
            assert {r["organization_id"] for r in page["data"]} <= {caller.organization_id}
        organizations = world.resources["organization"].find(caller)
        assert [o["id"] for o in organizations["data"]] == [caller.organization_id]
        other = world.callers[1 - index]
        assert refused(world.resources["organization"].get, caller, other.organization_id) == 404
        for offered in world.services.find(other)["data"]:
            assert refused(world.services.get, caller, offered["id"]) == 404
            assert refused(world.services.available_slots, caller, offered["id"],
                           "2030-01-01") == 404
            booking = {"organization_id": caller.organization_id, "service_id": offered["id"],
                       "start_time": "2030-01-02T10:00:00Z", "end_time": "2030-01-02T11:00:00Z"}
            assert refused(world.resources["reservation"].create, caller, booking) == 404
        foreign_skill = {"organization_id": caller.organization_id, "name": "n", "content": "c",
                         "assistant_id": other.organization_id}  # the other's assistant
        assert refused(world.resources["skill"].create, caller, foreign_skill) == 404
        for kind in ("skill", "tool"):  # a body naming the other organisation
            data = {"organization_id": other.organization_id, "assistant_id": 0}
            assert refused(world.resources[kind].create, caller, data) == 404
