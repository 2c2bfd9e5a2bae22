"""Real-service mode (issue 4, item 4): pointed at a URL, the contract suite leaves the account as
it found it, calls nothing outward-facing unless enabled, and stays under AchieveApex's rate
limit. A fake on a real port stands in for the real service; a wrapper counts what reaches it."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from assistant_fake.app import create_app
from assistant_fake.contract.real_service import (
    DEFAULT_PACE,
    NAME_PREFIX,
    Guard,
    Ownership,
    parse_groups,
    skipped_operations,
)
from assistant_fake.contract.runner import run_contract
from assistant_fake.contract.traffic import TrafficRecorder
from assistant_fake.core.rate_limit import RateLimit
from assistant_fake.server import free_port, running_server
from assistant_fake.settings import Settings

pytestmark = pytest.mark.slow

KEY = "real-service-account"
FAST_PHASES = ["examples", "fuzzing", "stateful"]
# The fake stands in for the service, without AchieveApex's hourly limit: pacing at the default
# 900 an hour would hold a run for an hour once it passes 900 requests.
UNPACED = "1000/s"


class Requests:
    """ASGI wrapper: every (method, path) that reached the app, and every status it answered."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[str, str]] = []
        self.statuses: Counter[int] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.calls.append((scope["method"], scope["path"]))

        async def counting(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.statuses[message["status"]] += 1
            await send(message)

        await self.app(scope, receive, counting)


@pytest.fixture
def service() -> Iterator[tuple[str, Requests]]:
    seen = Requests(create_app())
    with running_server(app=seen) as root:
        yield root, seen


def _account(root: str, api: str) -> tuple[httpx.Client, str]:
    if api == "telnyx":
        return httpx.Client(base_url=root + "/v2",
                            headers={"Authorization": f"Bearer {KEY}"}), "/ai/assistants"
    return httpx.Client(base_url=root, headers={"x-api-key": KEY}), "/ai-assistants"


def _existing_records(client: httpx.Client, api: str) -> list[str]:
    """The account's own records, made before the run: the suite must not touch them."""
    if api == "telnyx":
        return [client.post("/ai/assistants", json={"name": f"production {n}", "model": "m",
                                                    "instructions": "Be kind."}).json()["id"]
                for n in range(3)]
    organization = client.get("/organizations").json()["data"][0]["id"]
    made = []
    for n in range(5):  # ids 1..5: what a generator draws first
        response = client.post("/ai-assistants", json={
            "organization_id": organization, "name": f"production {n}",
            "assistant_type": "ai-chat", "ai_model_id": 1})
        assert response.status_code == 201, response.text
        made.append(str(response.json()["id"]))
    return made


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_a_real_service_run_leaves_the_accounts_records_as_they_were(api, service):
    root, _ = service
    client, collection = _account(root, api)
    existing = _existing_records(client, api)
    before = {record: client.get(f"{collection}/{record}").json() for record in existing}
    listed_before = client.get(collection).json()["data"]
    out = io.StringIO()
    phases = FAST_PHASES if api == "telnyx" else ["examples", "coverage", *FAST_PHASES[1:]]
    result = run_contract(api, url=str(client.base_url).rstrip("/"), key=KEY, seed=3,
                          max_examples=5, phases=phases, pace=UNPACED, out=out)
    assert result.ok, out.getvalue()
    assert "real-service mode" in out.getvalue()
    assert {record: client.get(f"{collection}/{record}").json() for record in existing} == before
    assert client.get(collection).json()["data"] == listed_before, out.getvalue()


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_what_the_run_creates_is_named_with_the_prefix_and_deleted_afterwards(api, service):
    root, _ = service
    client, collection = _account(root, api)
    recorder = TrafficRecorder(str(client.base_url))
    out = io.StringIO()
    run_contract(api, url=str(client.base_url).rstrip("/"), key=KEY, seed=4, max_examples=3,
                 phases=FAST_PHASES, recorder=recorder, pace=UNPACED, out=out)
    created = [i for i in recorder.interactions
               if i["request"]["method"] == "POST" and i["request"]["path"] == collection
               and i["response"]["status"] in (200, 201)]
    assert created, out.getvalue()
    assert all(i["response"]["body"]["name"].startswith(NAME_PREFIX) for i in created)
    deletes = [i for i in recorder.interactions if i["step"] == "cleanup"
               and i["request"]["method"] == "DELETE"]
    assert deletes and "cleanup:" in out.getvalue()
    assert client.get(collection).json()["data"] == []


OUTWARD_PATHS = {
    "telnyx": ("/chat", "/chat/sms", "/scheduled_events", "/import", "/runs", "/test"),
    "achieveapex": ("/mcp-tool-connection-proxy", "/reservations"),
}


def _outward_posts(calls: list[tuple[str, str]], api: str) -> list[tuple[str, str]]:
    return [(method, path) for method, path in calls
            if (method == "POST" and path.endswith(OUTWARD_PATHS[api]))
            or (method == "PATCH" and "/reservations/" in path)]


@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_outward_facing_operations_are_not_called_in_real_service_mode(api, service):
    root, seen = service
    client, _ = _account(root, api)
    run_contract(api, url=str(client.base_url).rstrip("/"), key=KEY, seed=5, max_examples=3,
                 phases=FAST_PHASES, pace=UNPACED, out=io.StringIO())
    assert seen.calls
    assert _outward_posts(seen.calls, api) == []


def test_an_enabled_group_is_called_in_real_service_mode(service):
    root, seen = service
    client, _ = _account(root, "telnyx")
    run_contract("telnyx", url=str(client.base_url).rstrip("/"), key=KEY, seed=5,
                 max_examples=3, phases=["examples"], enable=frozenset({"chat"}),
                 out=io.StringIO())
    assert any(path.endswith("/chat") for method, path in seen.calls if method == "POST")
    assert not any(path.endswith("/chat/sms") for _, path in seen.calls)


def test_the_achieveapex_run_is_paced_under_the_rate_limit():
    limit = RateLimit(limit=30, window_seconds=2)
    settings = Settings(port=free_port(), rate_limit=limit)
    seen = Requests(create_app(settings))
    with running_server(settings, app=seen) as root:
        out = io.StringIO()
        result = run_contract("achieveapex", url=root, key=KEY, seed=6, max_examples=2,
                              phases=["examples"], pace="12/s", out=out)
    assert result.ok, out.getvalue()
    assert seen.statuses[429] == 0 and sum(seen.statuses.values()) > limit.limit


def test_the_default_pace_stays_under_the_documented_limit():
    limit, unit = DEFAULT_PACE["achieveapex"].split("/")
    assert unit == "h" and int(limit) < 1000  # 1,000 requests an hour per organisation


# --- the guard, in plain Python -------------------------------------------------------------

class Case:
    """What the guard reads of a Schemathesis case."""

    def __init__(self, method: str, path_parameters: dict[str, Any], body: Any) -> None:
        self.method, self.path_parameters, self.body = method, path_parameters, body


def test_a_mutating_call_on_a_record_the_run_did_not_create_is_diverted():
    guard = Guard({}, Ownership())
    case = Case("DELETE", {"id": 5}, None)
    guard.before_call(None, case, {})
    assert case.path_parameters["id"] != 5


def test_a_mutating_call_on_a_record_the_run_created_goes_through():
    ownership = Ownership()
    ownership.learn("POST", "/ai-assistants", 201, {"id": 5, "name": "contract-x"})
    case = Case("PATCH", {"id": 5}, {"name": "contract-y"})
    Guard({}, ownership).before_call(None, case, {})
    assert case.path_parameters == {"id": 5}


def test_records_pointing_at_an_owned_record_are_owned_too():
    ownership = Ownership()
    ownership.learn("POST", "/ai-assistants", 201, {"id": 7})
    ownership.learn("GET", "/ai-assistants-change-history", 200,
                    {"data": [{"id": 40, "ai_assistant_id": 7}, {"id": 41, "ai_assistant_id": 1}]})
    assert ownership.owns(40) and not ownership.owns(41)
    assert ownership.created == [("/ai-assistants", "7")]


def test_the_account_scope_field_is_left_alone_and_names_get_the_prefix():
    guard = Guard({}, Ownership(), scope_field="organization_id")
    case = Case("POST", {}, {"organization_id": 1001, "ai_assistant_id": 3, "name": "x"})
    guard.before_call(None, case, {})
    assert case.body["organization_id"] == 1001
    assert case.body["ai_assistant_id"] != 3
    assert case.body["name"] == NAME_PREFIX + "x"


def test_reads_are_never_diverted():
    case = Case("GET", {"id": 5}, None)
    Guard({}, Ownership()).before_call(None, case, {})
    assert case.path_parameters == {"id": 5}


def test_outward_groups_can_be_enabled_by_name_or_all():
    assert "send_sms" in skipped_operations("telnyx", parse_groups("telnyx", "chat"))
    assert skipped_operations("telnyx", parse_groups("telnyx", "all")) == []
    with pytest.raises(ValueError, match="unknown groups"):
        parse_groups("achieveapex", "sms")


def test_record_refuses_bad_phases_or_pace_before_calling_anything(tmp_path, capsys):
    from assistant_fake.cli import main

    cassette = tmp_path / "c.json"
    base = ["record", "--api", "achieveapex", "--url", "http://127.0.0.1:9", "--key", "k"]
    assert main([*base, "--phases", "bogus", str(cassette)]) == 2
    assert main([*base, "--pace", "auto", str(cassette)]) == 2
    assert not cassette.exists()
    err = capsys.readouterr().err
    assert "unknown phases ['bogus']" in err and "pace 'auto'" in err
