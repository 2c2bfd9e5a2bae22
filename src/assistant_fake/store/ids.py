"""Generated identifiers: random by default, reproducible when seeded."""

from __future__ import annotations

import random
import uuid


class IdGenerator:
    def __init__(self, seed: int | None = None) -> None:
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def uuid4(self) -> str:
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))
