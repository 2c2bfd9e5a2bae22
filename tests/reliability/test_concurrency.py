"""Eight concurrent clients, mixed operations, both APIs: the final state equals a model of what
was acknowledged, and nothing answers a 5xx.

Each client is a thread with its own HTTP connection to a fake on a real port. It creates,
reads, updates, soft-deletes and lists Telnyx and AchieveApex assistants, in a tenant shared by
all eight (one Telnyx key, one AchieveApex key) and in tenants of its own, in an order drawn
from a seeded random generator. Inside the shared tenants every client only touches the
records it created, so operations of different clients commute: whatever the interleaving,
the state at the end is the union of every client's acknowledged effects. Checked then: every
record reads back as its owner last wrote it, every list holds exactly the live records, and
the shared tenants' list totals equal the sum of what the clients keep there. Twice: with the
state in memory (handlers run on the event loop) and in a data file (handlers run on worker
threads, so the store's lock is what keeps them apart).
"""

from __future__ import annotations

import random
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from assistant_fake.server import free_port, running_server
from assistant_fake.settings import Settings

CLIENTS = 8
STEPS = 60
SEED = 20261121


@dataclass(frozen=True)
class Tenant:
    api: str  # "telnyx" or "achieveapex"
    key: str


class Api:
    """The five operations on assistants, for one vendor, over one client's connection."""

    def __init__(self, http: httpx.Client, tenant: Tenant) -> None:
        self.http, self.tenant = http, tenant
        self.telnyx = tenant.api == "telnyx"
        self.headers = ({"Authorization": f"Bearer {tenant.key}"} if self.telnyx
                        else {"x-api-key": tenant.key})
        self.base = "/v2/ai/assistants" if self.telnyx else "/ai-assistants"

    def call(self, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, self.base + path, headers=self.headers, **kwargs)
        if response.status_code >= 300:
            raise AssertionError(f"{method} {self.base}{path}: {response.status_code} "
                                 f"{response.text[:300]}")
        return response

    def create(self, name: str, organization_id: int | None) -> str:
        body = ({"name": name, "instructions": "v0"} if self.telnyx else {
            "organization_id": organization_id, "name": name,
            "assistant_type": "conversation", "ai_model_id": 1, "instructions": "v0"})
        return str(self.call("POST", json=body).json()["id"])

    def get(self, record_id: str) -> dict[str, Any]:
        return self.call("GET", f"/{record_id}").json()

    def update(self, record_id: str, instructions: str) -> None:
        self.call("POST" if self.telnyx else "PATCH", f"/{record_id}",
                  json={"instructions": instructions})

    def delete(self, record_id: str) -> None:
        self.call("DELETE", f"/{record_id}")

    def list(self) -> dict[str, dict[str, Any]]:
        """Every live assistant of the tenant, by id (AchieveApex: page by page)."""
        if self.telnyx:
            return {r["id"]: r for r in self.call("GET").json()["data"]}
        found: dict[str, dict[str, Any]] = {}
        while True:
            page = self.call("GET", params={"$limit": 50, "$skip": len(found),
                                            "$sort[id]": 1}).json()
            found.update((str(r["id"]), r) for r in page["data"])
            if len(found) >= page["total"] or not page["data"]:
                return found

    def total(self) -> int:
        if self.telnyx:
            return len(self.call("GET").json()["data"])
        return self.call("GET", params={"$limit": 0}).json()["total"]


@dataclass
class Client:
    """One thread: its tenants, and the model of what the fake acknowledged to it."""

    index: int
    url: str
    shared: dict[str, Tenant]
    own: dict[str, Tenant] = field(init=False)
    model: dict[Tenant, dict[str, str]] = field(default_factory=dict)  # id -> instructions
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.own = {api: Tenant(api, f"own-{self.index}-{uuid.uuid4()}") for api in self.shared}

    def run(self, organizations: dict[Tenant, int]) -> None:
        rng = random.Random(SEED + self.index)
        with httpx.Client(base_url=self.url, timeout=60) as http:
            for step in range(STEPS):
                tenant = rng.choice([*self.shared.values(), *self.own.values()])
                try:
                    self.step(Api(http, tenant), rng, step, organizations.get(tenant))
                except AssertionError as failure:
                    self.failures.append(str(failure))

    def step(self, api: Api, rng: random.Random, step: int, organization: int | None) -> None:
        mine = self.model.setdefault(api.tenant, {})
        action = rng.choice(["create", "create", "get", "update", "delete", "list"])
        if not mine or action == "create":
            record_id = api.create(f"client-{self.index}-{step}", organization)
            mine[record_id] = "v0"
        elif action == "get":
            record_id = rng.choice(sorted(mine))
            assert api.get(record_id)["instructions"] == mine[record_id], record_id
        elif action == "update":
            record_id = rng.choice(sorted(mine))
            api.update(record_id, f"v{step}")
            mine[record_id] = f"v{step}"
        elif action == "delete":
            record_id = rng.choice(sorted(mine))
            api.delete(record_id)
            del mine[record_id]
        else:  # whatever the others do, a list holds all of this client's live records
            listed = api.list()
            assert set(mine) <= set(listed), sorted(set(mine) - set(listed))


def organization_of(http: httpx.Client, tenant: Tenant) -> int | None:
    if tenant.api == "telnyx":
        return None
    answer = http.get("/organizations", headers={"x-api-key": tenant.key})
    return answer.json()["data"][0]["id"]


@pytest.fixture(scope="module", params=["memory", "data file"])
def finished_run(request, tmp_path_factory):
    """The whole run, once per storage: the server, the clients (after their threads ended)."""
    shared = {api: Tenant(api, f"shared-{api}-{uuid.uuid4()}") for api in ("telnyx",
                                                                             "achieveapex")}
    data_file = (tmp_path_factory.mktemp("concurrency") / "state.json"
                 if request.param == "data file" else None)
    with running_server(Settings(port=free_port(), data_file=data_file)) as url:
        clients = [Client(index, url, shared) for index in range(CLIENTS)]
        with httpx.Client(base_url=url) as http:
            tenants = [*shared.values(), *(t for c in clients for t in c.own.values())]
            organizations = {t: organization_of(http, t) for t in tenants}
        threads = [threading.Thread(target=c.run, args=(organizations,)) for c in clients]
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as possible: races surface
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        finally:
            sys.setswitchinterval(interval)
        assert not any(thread.is_alive() for thread in threads), "a client never finished"
        with httpx.Client(base_url=url, timeout=60) as http:
            yield shared, clients, http


def expected_state(clients: list[Client], tenant: Tenant) -> dict[str, str]:
    """The union of every client's model of ``tenant`` (they touch disjoint records)."""
    expected: dict[str, str] = {}
    for client in clients:
        expected.update(client.model.get(tenant, {}))
    return expected


def test_every_operation_of_every_client_was_acknowledged(finished_run):
    _, clients, _ = finished_run
    assert [f for c in clients for f in c.failures] == []
    assert all(sum(map(len, c.model.values())) for c in clients)  # every client kept records


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_a_shared_tenant_holds_exactly_the_union_of_the_clients_records(finished_run, api):
    shared, clients, http = finished_run
    tenant = shared[api]
    listed = Api(http, tenant).list()
    assert {i: r["instructions"] for i, r in listed.items()} == expected_state(clients, tenant)


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_a_shared_tenants_total_is_the_sum_of_what_each_client_keeps(finished_run, api):
    shared, clients, http = finished_run
    kept = sum(len(client.model.get(shared[api], {})) for client in clients)
    assert Api(http, shared[api]).total() == kept


def test_every_clients_own_tenants_hold_exactly_its_records(finished_run):
    _, clients, http = finished_run
    for client in clients:
        for tenant in client.own.values():
            listed = Api(http, tenant).list()
            assert ({i: r["instructions"] for i, r in listed.items()}
                    == client.model.get(tenant, {}))


def test_every_live_record_reads_back_as_its_owner_last_wrote_it(finished_run):
    _, clients, http = finished_run
    for client in clients:
        for tenant, records in client.model.items():
            api = Api(http, tenant)
            for record_id, instructions in records.items():
                assert api.get(record_id)["instructions"] == instructions
