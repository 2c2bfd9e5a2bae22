"""The store's clock: every timestamp the fake hands out comes from here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


class Clock:
    """Wall-clock time in UTC, optionally shifted or frozen.

    A frozen clock (``freeze``) makes responses reproducible; a shifted one (``set`` with
    ``frozen=False``, or ``advance`` while running) keeps ticking from the time it was set to,
    so tests can jump ahead (expiries, rate-limit windows) without freezing everything.
    """

    def __init__(self) -> None:
        self._frozen: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._frozen or datetime.now(UTC) + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime) -> None:
        self._frozen = at.astimezone(UTC)

    def unfreeze(self) -> None:
        """Back to the real time."""
        self._frozen = None
        self._offset = timedelta(0)

    def set(self, now: datetime | None, *, frozen: bool) -> None:
        """Read ``now`` from here on (``None``: the real time), standing still if ``frozen``."""
        target = datetime.now(UTC) if now is None else now.astimezone(UTC)
        if frozen:
            self._frozen = target
        else:
            self._frozen = None
            self._offset = timedelta(0) if now is None else target - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock by ``seconds`` (negative moves it back), frozen or running."""
        step = timedelta(seconds=seconds)
        if self._frozen is not None:
            self._frozen += step
        else:
            self._offset += step

    def state(self) -> dict[str, Any]:
        """What a snapshot keeps: the reading, frozenness and the shift of a running clock."""
        return {"now": isoformat(self.now()), "frozen": self.frozen,
                "offset_seconds": self._offset.total_seconds()}

    def restore(self, state: dict[str, Any]) -> None:
        """The inverse of ``state``: frozen at its reading, or running with its shift."""
        if state["frozen"]:
            self.freeze(parse_time(state["now"]))
        else:
            self._frozen = None
            self._offset = timedelta(seconds=state.get("offset_seconds", 0))


def isoformat(moment: datetime) -> str:
    """RFC 3339 with milliseconds and a Z, the shape both vendors use."""
    # isoformat, not strftime: "%Y" leaves years before 1000 unpadded ("999-01-01")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def parse_time(text: str) -> datetime:
    """An RFC 3339 date-time with an offset or Z; raises ValueError otherwise (no naive times:
    "the fake's clock is UTC" must not depend on the machine's time zone)."""
    if "T" not in text.upper():
        raise ValueError(f"{text!r} is not an RFC 3339 date-time")
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone offset")
    return moment.astimezone(UTC)
