"""TinyDB storages: memory (TinyDB's own) and a JSON file that is never left half-written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class AtomicJSONStorage(Storage):
    """The whole database as one JSON file, replaced atomically on every write.

    TinyDB's own JSONStorage truncates and rewrites the file in place, so a crash mid-write
    leaves a corrupt file. Here every write goes to a temporary file in the same directory,
    is fsynced, and then renamed over the old file with ``os.replace``: a reader (or a restart)
    sees either the old state or the new one, never a mix.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._data: dict[str, Any] | None = self._load()

    def _load(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return json.loads(text) if text.strip() else None

    def read(self) -> dict[str, Any] | None:
        # The parsed state stays in memory: reads never touch the disk after start-up.
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                tmp.write(payload)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass
