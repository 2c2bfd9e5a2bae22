"""TinyDB storages that are told about one record at a time.

TinyDB's storage interface is ``read()`` / ``write(whole_database)``: every change hands the
storage the whole database, which a file storage can only persist by rewriting the whole file.
The store instead calls ``put``/``delete``/``drop`` with just the changed entry and ``sync``
before a request is answered; ``write`` stays for replacing the whole state at once (reset,
snapshot import). ``MemoryStorage`` does each in O(1); ``LogStorage`` (``log_storage.py``)
appends one line per change to a journal.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

Tables = dict[str, dict[str, Any]]


class MemoryStorage(Storage):
    """The whole state as one dict of tables; nothing is ever serialised."""

    def __init__(self) -> None:
        self._data: Tables = {}

    def read(self) -> Tables:
        return self._data

    def write(self, data: Tables) -> None:
        self._data = data

    def put(self, table: str, key: str, doc: Any) -> None:
        self._data.setdefault(table, {})[key] = doc

    def delete(self, table: str, key: str) -> None:
        self._data.get(table, {}).pop(key, None)

    def drop(self, table: str) -> None:
        self._data.pop(table, None)

    def sync(self) -> None:
        """Nothing to make durable."""

    def close(self) -> None:
        pass


def load_json(path: Path) -> Tables | None:
    """A JSON snapshot file, or None when there is none (or it is empty)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return json.loads(text) if text.strip() else None


def write_json_atomically(path: Path, data: Tables) -> int:
    """Replace ``path`` with ``data`` so a crash leaves the old file or the new one, never a mix.

    The JSON goes to a temporary file in the same directory, is fsynced, renamed over ``path``
    with ``os.replace``, and the directory is fsynced so the rename itself survives a power
    loss. Answers the number of bytes written.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
    return len(payload)


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)
