"""AchieveApex's optional rate limit over HTTP: per organisation, sliding window.

Off by default. With ``RateLimit(3, 3600)`` an organisation's fourth request within an hour gets
429 with the reference's body (plus ``className``) and ``Retry-After``; requests the limiter
refuses do not count, other organisations are unaffected, and once the oldest request leaves
the window the next one passes. The clock of each app built here is frozen and moved by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from assistant_fake.admin.handlers import APP_STATE_KEY
from assistant_fake.app import create_app
from assistant_fake.core.rate_limit import RateLimit
from assistant_fake.settings import Settings

T0 = datetime(2026, 4, 25, 19, 0, tzinfo=UTC)


class Limited:
    """An app limited to 3 requests per hour per organisation, on a frozen clock."""

    def __init__(self, client_for, settings: Settings | None = None) -> None:
        self.app = create_app(settings or Settings(rate_limit=RateLimit(3, 3600)))
        self.clock = self.app.app.config[APP_STATE_KEY].store.clock
        self.clock.freeze(T0)
        self.client = client_for(self.app)

    def at(self, seconds: float) -> None:
        self.clock.freeze(T0 + timedelta(seconds=seconds))


@pytest.fixture
def limited(client_for) -> Limited:
    return Limited(client_for)


def statuses(apex, count: int, path: str = "/ai-assistants") -> list[int]:
    return [apex.get(path).status_code for _ in range(count)]


def test_the_limit_is_off_by_default(apex):
    # more than the reference's 1,000 an hour; raw requests (no answer checks) for speed
    answers = {apex.client.get("/organizations", headers=apex.headers()).status_code
               for _ in range(1001)}
    assert answers == {200}


def test_the_fourth_request_of_the_hour_answers_429_with_the_references_body(limited,
                                                                             feathers):
    apex = limited.client()
    assert statuses(apex, 3) == [200, 200, 200]
    response = apex.get("/ai-assistants")
    assert (response.status_code, response.json()) == (429, feathers.too_many_requests(
        limit=3, current=4, window=3600, retry_after=3600))
    assert response.headers["retry-after"] == "3600"


def test_retry_after_counts_down_to_the_oldest_request_leaving_the_window(limited, feathers):
    apex = limited.client()
    for seconds in (0, 100, 200):
        limited.at(seconds)
        assert apex.get("/ai-assistants").status_code == 200
    limited.at(1000)
    response = apex.get("/ai-assistants")
    assert (response.status_code, response.json()) == (429, feathers.too_many_requests(
        limit=3, current=4, window=3600, retry_after=2600))
    assert response.headers["retry-after"] == "2600"


def test_refused_requests_do_not_count(limited):
    apex = limited.client()
    statuses(apex, 3)
    refusals = [apex.get("/ai-assistants").json()["data"]["current"] for _ in range(3)]
    assert refusals == [4, 4, 4]


def test_the_window_slides(limited):
    apex = limited.client()
    for seconds in (0, 1800, 1801):
        limited.at(seconds)
        apex.get("/ai-assistants")
    limited.at(3599)
    assert apex.get("/ai-assistants").status_code == 429
    limited.at(3600)  # the first request has left the window; the other two are still in it
    assert statuses(apex, 2) == [200, 429]
    limited.at(1801 + 3600)
    assert statuses(apex, 3) == [200, 200, 429]


def test_moving_the_clock_past_the_window_lets_requests_through_again(limited):
    apex = limited.client()
    assert statuses(apex, 4) == [200, 200, 200, 429]
    limited.at(3600)
    assert statuses(apex, 4) == [200, 200, 200, 429]


def test_other_organizations_are_unaffected(limited):
    busy, quiet = limited.client(), limited.client()
    assert statuses(busy, 4)[-1] == 429
    assert statuses(quiet, 3) == [200, 200, 200]


def test_every_operation_counts_whatever_it_answers(limited):
    apex = limited.client()
    answers = [apex.get("/organizations").status_code,
               apex.post("/ai-assistants", json={"name": 5}).status_code,
               apex.get("/ai-assistants/987654321").status_code,
               apex.post("/mcp-tool-connection-proxy", json={}).status_code]
    assert answers == [200, 400, 404, 429]


def test_429_comes_before_validation(limited, feathers):
    apex = limited.client()
    statuses(apex, 3)
    response = apex.post("/ai-assistants", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (429, feathers.too_many_requests(
        limit=3, current=4, window=3600, retry_after=3600))


def test_requests_refused_before_authentication_do_not_count(limited):
    apex = limited.client()
    no_key = limited.client(None)
    for _ in range(5):
        no_key.get("/ai-assistants")  # 401: no organisation to count against
        apex.get("/no-such-path")  # 404 before authentication
        apex.request("PUT", "/ai-assistants/1", json={})  # 405 before authentication
    assert statuses(apex, 4) == [200, 200, 200, 429]


def test_keys_of_one_organization_share_its_limit(client_for, tmp_path):
    folder = tmp_path / "achieveapex"
    folder.mkdir()
    for name in ("desk", "phone"):
        (folder / f"{name}.json").write_text(json.dumps({
            "api_key": f"{name}-key", "organization": {"id": 8001, "name": "Shared"}}))
    limited = Limited(client_for, Settings(rate_limit=RateLimit(3, 3600),
                                           fixtures_dir=tmp_path))
    desk, phone = limited.client("desk-key"), limited.client("phone-key")
    assert statuses(desk, 2) + statuses(phone, 2) == [200, 200, 200, 429]


def test_the_references_limit_answers_its_own_numbers(client_for, feathers):
    limited = Limited(client_for, Settings(rate_limit=RateLimit(1000, 3600)))
    apex = limited.client()
    answers = set()
    for second in range(1000):
        limited.at(second * 0.5)
        answers.add(apex.client.get("/organizations", headers=apex.headers()).status_code)
    assert answers == {200}
    limited.at(3058)
    response = apex.get("/organizations")
    assert (response.status_code, response.json()) == (429, feathers.too_many_requests(
        limit=1000, current=1001, window=3600, retry_after=542))
