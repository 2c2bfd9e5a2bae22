"""Generated identifiers: random by default, reproducible when seeded."""

from __future__ import annotations

import random
import uuid
from typing import Any


class IdGenerator:
    def __init__(self, seed: int | None = None) -> None:
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        self._random = random.Random(seed) if seed is not None else None

    def uuid4(self) -> str:
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def state(self) -> dict[str, Any]:
        """The seed and where the seeded sequence stands, so a snapshot resumes it exactly."""
        if self._random is None:
            return {"seed": None, "state": None}
        version, internal, gauss = self._random.getstate()
        return {"seed": self.seed, "state": [version, list(internal), gauss]}

    def restore(self, state: dict[str, Any]) -> None:
        self.reseed(state["seed"])
        saved = state.get("state")
        if self._random is not None and saved is not None:
            version, internal, gauss = saved
            self._random.setstate((version, tuple(internal), gauss))
