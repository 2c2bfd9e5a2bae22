"""A small client of the fake's admin API (``/__fake``), for tests and scripts.

Every method is one admin call; an error answer raises ``FakeAdminError`` carrying the status
and the body, so a test that misuses the admin API fails with the fake's own explanation.
Calls that concern one tenant take ``key`` (a raw API key, hashed by the fake) or ``tenant``.
"""

from __future__ import annotations

from typing import Any

import httpx

ADMIN_PATH = "/__fake"


class FakeAdminError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        try:
            self.body: Any = response.json()
        except ValueError:
            self.body = response.text
        self.status = response.status_code
        super().__init__(f"{response.request.method} {response.request.url.path} answered "
                         f"{self.status}: {self.body}")


class FakeAdmin:
    """The admin API of the fake that ``http`` (a client at the fake's root URL) reaches."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any admin call (``path`` below ``/__fake``): the JSON answer, or None if empty."""
        response = self.http.request(method, ADMIN_PATH + path, **kwargs)
        if response.status_code >= 400:
            raise FakeAdminError(response)
        return response.json() if response.content else None

    def health(self) -> dict[str, Any]:
        return self.call("GET", "/health")

    def reset(self, *, api: str | None = None, key: str | None = None,
              tenant: str | None = None) -> dict[str, Any]:
        """Forget state: everything, one API's, or one tenant's."""
        return self.call("POST", "/reset", json=_scope(api=api, key=key, tenant=tenant))

    def load_fixtures(self, files: list[str] | None = None, *, api: str | None = None,
                      document: dict[str, Any] | None = None) -> int:
        """Fixture files (relative to the fixtures directory), or one document for ``api``;
        answers how many records were created."""
        body = {"files": files} if files is not None else {"api": api, "document": document}
        return self.call("POST", "/fixtures", json=body)["created"]

    def snapshot(self) -> dict[str, Any]:
        return self.call("GET", "/snapshot")

    def restore(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        return self.call("PUT", "/snapshot", json=snapshot)

    def tenants(self, api: str | None = None) -> list[dict[str, Any]]:
        return self.call("GET", "/tenants", params=_scope(api=api))["tenants"]

    def clock(self) -> dict[str, Any]:
        return self.call("GET", "/clock")

    def freeze_clock(self, now: str | None = None) -> dict[str, Any]:
        """Stop the clock (at ``now``, an RFC 3339 time, or at its current reading)."""
        return self.call("PUT", "/clock", json=_scope(now=now, frozen=True))

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self.call("POST", "/clock/advance", json={"seconds": seconds})

    def seed_ids(self, seed: int | None) -> dict[str, Any]:
        """Generated ids from a seeded sequence from now on (None: random again)."""
        return self.call("PUT", "/ids", json={"seed": seed})

    # --- journal and faults ---------------------------------------------------------------

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journaled vendor requests, newest first; filters: api, tenant or key, operation,
        path, status, test_id, limit."""
        return self.call("GET", "/journal", params=_scope(**filters))["entries"]

    def unmatched(self, **filters: Any) -> list[dict[str, Any]]:
        """Journaled requests that matched no operation (same filters as ``journal``)."""
        return self.call("GET", "/journal/unmatched", params=_scope(**filters))["entries"]

    def clear_journal(self) -> int:
        return self.call("DELETE", "/journal")["cleared"]

    def add_fault(self, action: dict[str, Any], *, match: dict[str, Any] | None = None,
                  count: int | None = None, probability: float | None = None,
                  seed: int | None = None) -> dict[str, Any]:
        """A fault rule, e.g. ``add_fault({"status": 503}, match={"test_id": ...}, count=1)``;
        answers the rule as stored (with its ``id``)."""
        body = _scope(action=action, match=match, count=count, probability=probability,
                      seed=seed)
        return self.call("POST", "/faults", json=body)

    def faults(self, test_id: str | None = None) -> list[dict[str, Any]]:
        return self.call("GET", "/faults", params=_scope(test_id=test_id))["faults"]

    def clear_faults(self, test_id: str | None = None) -> int:
        """Remove every rule, or only those scoped to ``test_id``; answers how many."""
        return self.call("DELETE", "/faults", params=_scope(test_id=test_id))["removed"]

    # --- scripted behaviour -----------------------------------------------------------------

    def queue_chat_replies(self, assistant_id: str, replies: list[str], *,
                           key: str | None = None, tenant: str | None = None) -> list[str]:
        """Canned replies the assistant's chat answers next; answers the whole queue."""
        body = {**_scope(key=key, tenant=tenant), "replies": list(replies)}
        return self.call("POST", _replies_path(assistant_id), json=body)["replies"]

    def chat_replies(self, assistant_id: str, *, key: str | None = None,
                     tenant: str | None = None) -> list[str]:
        params = _scope(key=key, tenant=tenant)
        return self.call("GET", _replies_path(assistant_id), params=params)["replies"]

    def clear_chat_replies(self, assistant_id: str, *, key: str | None = None,
                           tenant: str | None = None) -> int:
        params = _scope(key=key, tenant=tenant)
        return self.call("DELETE", _replies_path(assistant_id), params=params)["cleared"]

    def lifecycle(self, *, key: str | None = None, tenant: str | None = None) -> dict[str, Any]:
        return self.call("GET", "/lifecycle", params=_scope(key=key, tenant=tenant))

    def set_lifecycle(self, *, test_runs: dict[str, Any] | None = None,
                      scheduled_events: dict[str, Any] | None = None, key: str | None = None,
                      tenant: str | None = None) -> dict[str, Any]:
        """Replace the policies (account-wide, or of one tenant); a kind left out goes back to
        its default. E.g. ``set_lifecycle(test_runs={"policy": "manual"}, key=key)``."""
        body = _scope(key=key, tenant=tenant, test_runs=test_runs,
                      scheduled_events=scheduled_events)
        return self.call("PUT", "/lifecycle", json=body)

    def advance_test_run(self, run_id: str, status: str | None = None, *,
                         key: str | None = None, tenant: str | None = None) -> dict[str, Any]:
        body = _scope(key=key, tenant=tenant, status=status)
        return self.call("POST", f"/telnyx/test-runs/{run_id}/advance", json=body)

    def advance_scheduled_event(self, event_id: str, status: str | None = None, *,
                                key: str | None = None,
                                tenant: str | None = None) -> dict[str, Any]:
        body = _scope(key=key, tenant=tenant, status=status)
        return self.call("POST", f"/telnyx/scheduled-events/{event_id}/advance", json=body)


class FakeClock:
    """The fake's clock, through the admin API: every timestamp both APIs hand out, and what
    ``after_seconds`` lifecycle policies are measured on."""

    def __init__(self, admin: FakeAdmin) -> None:
        self.admin = admin

    def now(self) -> str:
        return self.admin.clock()["now"]

    def freeze(self, at: str | None = None) -> str:
        """Stop the clock at ``at`` (RFC 3339), or where it stands; answers its reading."""
        return self.admin.freeze_clock(at)["now"]

    def advance(self, seconds: float) -> str:
        return self.admin.advance_clock(seconds)["now"]

    def real_time(self) -> None:
        """Back to the real time, running."""
        self.admin.call("PUT", "/clock", json={"now": None, "frozen": False})


def _scope(**values: Any) -> dict[str, Any]:
    """The values that were given (None means "not sent")."""
    return {name: value for name, value in values.items() if value is not None}


def _replies_path(assistant_id: str) -> str:
    return f"/telnyx/assistants/{assistant_id}/chat-replies"
