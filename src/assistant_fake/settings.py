"""Everything that configures one fake server, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant_fake.core.gateway import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEAD_BYTES
from assistant_fake.core.journal import DEFAULT_JOURNAL_MAX_BYTES, DEFAULT_JOURNAL_SIZE
from assistant_fake.core.rate_limit import RateLimit


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 4010
    data_file: Path | None = None  # None keeps the state in memory
    fixtures_dir: Path | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES  # request line + headers; above: 431
    rate_limit: RateLimit | None = None  # AchieveApex's per-organisation limit; off by default
    seed: int | None = None  # seed of generated ids; None: random ids
    clock: datetime | None = None  # start with the clock frozen here; None: real time
    admin_token: str | None = None  # None: the admin API answers loopback clients only
    journal_size: int = DEFAULT_JOURNAL_SIZE  # requests kept in the journal; 0 turns it off
    journal_max_bytes: int = DEFAULT_JOURNAL_MAX_BYTES  # and the bytes they may hold

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
