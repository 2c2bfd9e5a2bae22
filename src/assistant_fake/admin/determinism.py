"""Admin: the clock and the id generator, the two sources of variation between runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import json_body, problem
from assistant_fake.core.responses import json_response
from assistant_fake.store import Clock, isoformat
from assistant_fake.store.clock import parse_time

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def get_clock() -> Response:
    return json_response(_clock_body(app_state().store.clock))


def set_clock() -> Response:
    body = json_body("ClockUpdate")
    clock = app_state().store.clock
    now = body.get("now", clock.now())
    if isinstance(now, str):
        try:
            now = parse_time(now)
        except ValueError as exc:
            raise problem(400, f"body/now: {exc}") from None
    if now is not None:
        _check_in_range(now, "body/now")
    clock.set(now, frozen=body.get("frozen", True))
    return json_response(_clock_body(clock))


def advance_clock() -> Response:
    seconds = json_body("AdvanceClock")["seconds"]
    clock = app_state().store.clock
    try:
        target = clock.now() + timedelta(seconds=seconds)
    except OverflowError:
        target = None
    _check_in_range(target, "body/seconds")
    clock.advance(seconds)
    return json_response(_clock_body(clock))


def _check_in_range(moment: datetime | None, where: str) -> None:
    """Keep the clock where every date the vendors derive from it (expiry in 30 days, a
    rate-limit window) stays representable: a 500 later would be far harder to understand."""
    if moment is None or not EARLIEST <= moment < LATEST:
        raise problem(400, f"{where}: the clock must stay between {EARLIEST.isoformat()} "
                           f"and {LATEST.isoformat()}")


def get_ids() -> Response:
    return json_response({"seed": app_state().store.ids.seed})


def set_ids() -> Response:
    seed = json_body("Ids")["seed"]
    app_state().store.ids.reseed(seed)
    return json_response({"seed": seed})


def _clock_body(clock: Clock) -> dict[str, Any]:
    return {"now": isoformat(clock.now()), "frozen": clock.frozen}
