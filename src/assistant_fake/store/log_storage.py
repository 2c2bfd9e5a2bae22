"""``--data FILE``: a JSON snapshot plus an append-only journal, compacted now and then.

Rewriting a whole JSON file on every write (TinyDB's JSONStorage, or an atomic variant of it)
makes each write cost as much as the whole state. Here:

- ``FILE`` is a snapshot: the whole state as one JSON object of tables, exactly the format the
  earlier whole-file storage wrote, so existing data files load unchanged.
- ``FILE.log`` is the journal: one JSON line per change since the snapshot, ``{"op": "put",
  "t": table, "k": key, "v": doc}``, ``{"op": "del", "t", "k"}`` or ``{"op": "drop", "t"}``.
- ``sync()`` makes every line appended so far durable with one ``fdatasync``; the store calls it
  before a request is answered, so an acknowledged write is on disk. Threads that append while
  another one syncs are covered by the next sync: one fsync for writes that arrived together.
- Compaction writes a new snapshot atomically (temp file, fsync, ``os.replace``) and then
  empties the journal. It runs when the journal outgrows the snapshot (so its cost per write
  stays constant), at a clean shutdown, and on ``write`` (a whole new state).
- Recovery loads the snapshot and replays the journal. Journal entries carry whole documents,
  so replaying one that is already in the snapshot (a crash between the rename and the
  truncation) changes nothing. A line that does not parse was never synced, and neither was
  anything after it (a sync covers every earlier byte), so replay stops there and the journal
  is cut back to the last good line: that is the torn write of a crash, never acknowledged.
- One process at a time: the journal is locked (``DataFileInUse`` for a second process).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from assistant_fake.store.storages import Tables, fsync_directory, load_json, write_json_atomically

log = logging.getLogger(__name__)

MIN_COMPACT_BYTES = 8 * 1024 * 1024
"""The journal is compacted once it is larger than this and larger than the snapshot."""

_datasync = getattr(os, "fdatasync", os.fsync)


class LogStorage(Storage):
    """The state in memory, made durable through a snapshot file and a journal beside it."""

    def __init__(self, path: str | os.PathLike[str], *,
                 min_compact_bytes: int = MIN_COMPACT_BYTES) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".log")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.min_compact_bytes = min_compact_bytes
        # _lock guards the state and appends; _sync_lock is held across an fsync or a
        # compaction. Order: _sync_lock before _lock, never the other way round.
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._failed: OSError | None = None  # a failed sync: nothing can be acknowledged
        self._fd: int | None = os.open(self.journal_path,
                                       os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _lock_exclusively(self._fd, self.path)
        except BaseException:
            os.close(self._fd)
            raise
        self._remove_unfinished_snapshots()
        self._data: Tables = load_json(self.path) or {}
        self._snapshot_bytes = self.path.stat().st_size if self.path.exists() else 0
        self._journal_bytes = self._replay()
        self._appended = 0  # lines appended since start
        self._durable = 0  # of which are known to be on disk

    # --- recovery ---------------------------------------------------------------------------

    def _remove_unfinished_snapshots(self) -> None:
        """Temporary files of a compaction a crash interrupted: never renamed, never needed."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*"):
            leftover.unlink(missing_ok=True)

    def _replay(self) -> int:
        """Apply the journal's good lines; cut off a torn tail. Answers the journal's size."""
        raw = _read_all(self._require_fd())
        good = 0
        while (end := raw.find(b"\n", good)) >= 0:
            entry = _parse(raw[good:end + 1])
            if entry is None:
                break
            _apply(self._data, entry)
            good = end + 1
        if good < len(raw):
            log.warning("%s: ignoring %d bytes of an unfinished write at the end",
                        self.journal_path, len(raw) - good)
            # through the locked descriptor: closing any other one would drop the lock
            fd = self._require_fd()
            os.ftruncate(fd, good)
            os.fsync(fd)
        return good

    # --- the storage interface --------------------------------------------------------------

    def read(self) -> Tables:
        return self._data

    def write(self, data: Tables) -> None:
        """Replace the whole state: written straight to a new snapshot."""
        with self._sync_lock, self._lock:
            self._data = data
            self._compact()

    def put(self, table: str, key: str, doc: Any) -> None:
        line = _line({"op": "put", "t": table, "k": key, "v": doc})
        with self._lock:
            self._append(line)
            self._data.setdefault(table, {})[key] = doc

    def delete(self, table: str, key: str) -> None:
        with self._lock:
            if key in self._data.get(table, {}):
                self._append(_line({"op": "del", "t": table, "k": key}))
                del self._data[table][key]

    def drop(self, table: str) -> None:
        with self._lock:
            if table in self._data:
                self._append(_line({"op": "drop", "t": table}))
                del self._data[table]

    def sync(self) -> None:
        """Return once every line appended before this call is on disk (group commit)."""
        with self._lock:
            target = self._appended
        if self._durable >= target and not self._compaction_due():
            return
        with self._sync_lock:
            if self._compaction_due():
                with self._lock:
                    self._compact()
                return
            if self._durable >= target:
                return  # another thread's fsync covered this one's lines
            with self._lock:
                upto, fd = self._appended, self._require_fd()
            try:
                _datasync(fd)
            except OSError as error:
                # after a failed fsync the kernel may have dropped the dirty pages, so a later
                # "successful" one proves nothing: acknowledge no write from here on
                self._failed = error
                raise
            self._durable = max(self._durable, upto)

    def compact(self) -> None:
        """Fold the journal into a new snapshot now."""
        with self._sync_lock, self._lock:
            self._compact()

    def close(self) -> None:
        """Compact (a clean shutdown leaves only the snapshot) and close the journal."""
        with self._sync_lock, self._lock:
            if self._fd is None:
                return
            self._compact()
            os.close(self._fd)
            self._fd = None

    # --- internals (callers hold the locks named) -------------------------------------------

    def _append(self, line: bytes) -> None:
        """Append one journal line (under ``_lock``); a failed write leaves no partial line."""
        fd = self._require_fd()
        try:
            written = 0
            while written < len(line):
                written += os.write(fd, line[written:])
        except BaseException:
            # a partial line followed by later good ones would hide them from recovery
            os.ftruncate(fd, self._journal_bytes)
            raise
        self._journal_bytes += len(line)
        self._appended += 1

    def _compaction_due(self) -> bool:
        return self._journal_bytes > max(self.min_compact_bytes, self._snapshot_bytes)

    def _compact(self) -> None:
        """Snapshot, then empty the journal (under both locks). A crash in between leaves
        a journal whose replay over the new snapshot changes nothing."""
        fd = self._require_fd()
        self._snapshot_bytes = write_json_atomically(self.path, self._data)
        os.ftruncate(fd, 0)
        os.fsync(fd)
        fsync_directory(self.path.parent)
        self._journal_bytes = 0
        self._durable = self._appended

    def _require_fd(self) -> int:
        if self._failed is not None:
            raise RuntimeError(f"{self.journal_path} failed to sync: {self._failed}")
        if self._fd is None:
            raise RuntimeError(f"{self.path} is closed")
        return self._fd


class DataFileInUse(RuntimeError):
    """Another process has the data file open: two writers would corrupt it."""


def _lock_exclusively(fd: int, path: Path) -> None:
    """Hold a POSIX lock on the journal for the life of the process (it goes with it, even on
    kill -9). POSIX locks belong to the process, so reopening in the same process is fine."""
    if fcntl is None:  # pragma: no cover - Windows: no protection
        return
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise DataFileInUse(f"{path} is in use by another assistant-fake process") from None


def _read_all(fd: int) -> bytes:
    """The whole file behind ``fd``, read through it: opening the journal a second time and
    closing that would release this process's lock on it (POSIX locks work that way)."""
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _line(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _parse(line: bytes) -> dict[str, Any] | None:
    """One complete, well-formed journal entry, or None."""
    if not line.endswith(b"\n"):
        return None
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("t"), str):
        return None
    if entry.get("op") in ("put", "del") and not isinstance(entry.get("k"), str):
        return None
    if entry.get("op") not in ("put", "del", "drop") or (entry["op"] == "put" and "v" not in entry):
        return None
    return entry


def _apply(data: Tables, entry: dict[str, Any]) -> None:
    table = entry["t"]
    if entry["op"] == "put":
        data.setdefault(table, {})[entry["k"]] = entry["v"]
    elif entry["op"] == "del":
        data.get(table, {}).pop(entry["k"], None)
    else:
        data.pop(table, None)
