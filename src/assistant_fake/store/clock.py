"""The store's clock: every timestamp the fake hands out comes from here."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Wall-clock time in UTC; a frozen clock (``freeze``) makes responses reproducible."""

    def __init__(self) -> None:
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        return self._frozen or datetime.now(UTC)

    def freeze(self, at: datetime) -> None:
        self._frozen = at.astimezone(UTC)

    def unfreeze(self) -> None:
        self._frozen = None


def isoformat(moment: datetime) -> str:
    """RFC 3339 with milliseconds and a Z, the shape both vendors use."""
    # isoformat, not strftime: "%Y" leaves years before 1000 unpadded ("999-01-01")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
