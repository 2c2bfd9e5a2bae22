"""The one place state lives: TinyDB tables of JSON documents keyed by string ids.

Every vendor keeps its records in named collections (``telnyx/<tenant>/assistants``...). The
store hands out copies, so no caller can change stored state except through ``put`` and
``delete``, and one re-entrant lock serialises every transaction: Connexion's Flask bridge runs
handlers on several threads and TinyDB itself is not thread-safe.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from assistant_fake.store.clock import Clock
from assistant_fake.store.copying import copy_json
from assistant_fake.store.ids import IdGenerator
from assistant_fake.store.log_storage import LogStorage
from assistant_fake.store.storages import MemoryStorage

Document = dict[str, Any]


class KeyedTable(Table):
    """A TinyDB table whose document ids are the records' own string ids.

    The store writes through ``Collection`` (one entry at a time, straight to the storage);
    this class only keeps TinyDB's own table API usable on the same data.
    """

    document_id_class = str

    def _get_next_id(self) -> str:  # pragma: no cover - ids are always supplied
        raise RuntimeError("KeyedTable documents need an explicit id")

    def _update_table(self, updater: Callable[[dict[str, Mapping]], None]) -> None:
        tables = self._storage.read() or {}
        raw_table = tables.setdefault(self.name, {})
        updater(raw_table)
        self._storage.write(tables)


class _KeyedTinyDB(TinyDB):
    table_class = KeyedTable


class _DurableLock:
    """The store's re-entrant lock; releasing the outermost hold syncs the storage.

    So a transaction returns only once its writes are durable, yet the fsync runs outside the
    lock: other threads append meanwhile, and one fsync covers writes that arrived together.
    Syncing after reads too means no answer ever shows a write that a crash could still lose.
    """

    def __init__(self, sync: Callable[[], None]) -> None:
        self._lock = threading.RLock()
        self._depth = threading.local()
        self._sync = sync

    def acquire(self) -> None:
        self._lock.acquire()
        self._depth.n = getattr(self._depth, "n", 0) + 1

    def release(self) -> None:
        self._depth.n -= 1
        outermost = self._depth.n == 0
        self._lock.release()
        if outermost:
            self._sync()

    def __enter__(self) -> _DurableLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class Collection:
    """One table seen through copies: reads never alias stored documents."""

    def __init__(self, store: Store, name: str) -> None:
        self._store = store
        self.name = name

    def _raw(self) -> dict[str, Any]:
        return self._store.storage.read().get(self.name, {})

    def get(self, key: str) -> Document | None:
        with self._store.lock:
            raw = self._raw().get(key)
            return copy_json(raw) if raw is not None else None

    def peek(self, key: str) -> Mapping[str, Any] | None:
        """The stored document itself, without copying, for a read that answers a small part
        of it (a retrieve renders one version of an assistant that keeps ten). Same contract
        as ``scan``: inside ``store.transaction()``, never changed, copied before it leaves."""
        return self._raw().get(key)

    def __contains__(self, key: str) -> bool:
        with self._store.lock:
            return key in self._raw()

    def __len__(self) -> int:
        with self._store.lock:
            return len(self._raw())

    def values(self) -> list[Document]:
        """Every document, in insertion order (copies: O(size of the table))."""
        with self._store.lock:
            return [copy_json(doc) for doc in self._raw().values()]

    def items(self) -> list[tuple[str, Document]]:
        """Every ``(id, document)``, in insertion order."""
        with self._store.lock:
            return [(key, copy_json(doc)) for key, doc in self._raw().items()]

    def scan(self) -> Iterator[Mapping[str, Any]]:
        """The stored documents themselves, in insertion order, without copying.

        For lists and checks that read many documents but answer few: the caller holds
        ``store.transaction()`` while iterating, never changes what it sees, and copies
        whatever it hands out.
        """
        return iter(self._raw().values())

    def put(self, key: str, doc: Mapping[str, Any]) -> None:
        stored = copy_json(dict(doc))
        with self._store.lock:
            self._store.storage.put(self.name, key, stored)
            self._store.mark_written()

    def delete(self, key: str) -> bool:
        with self._store.lock:
            if key not in self._raw():
                return False
            self._store.storage.delete(self.name, key)
            self._store.mark_written()
            return True


class Store:
    """TinyDB in memory, or persisted to ``path`` (snapshot + journal, see ``log_storage``);
    plus the clock and ids."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
    ) -> None:
        if path is None:
            self.db = _KeyedTinyDB(storage=MemoryStorage)
        else:
            self.db = _KeyedTinyDB(path, storage=LogStorage)
        self.storage: MemoryStorage | LogStorage = self.db.storage  # type: ignore[assignment]
        self.path = path
        self.lock = _DurableLock(self.storage.sync)
        self.clock = clock or Clock()
        self.ids = ids or IdGenerator()
        self.writes = 0

    def collection(self, name: str) -> Collection:
        return Collection(self, name)

    def mark_written(self) -> None:
        self.writes += 1

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock for a read-check-write sequence so no other thread interleaves;
        the outermost transaction returns once its writes are durable."""
        with self.lock:
            yield self

    @contextmanager
    def all_or_nothing(self) -> Iterator[Store]:
        """A transaction that puts every collection, the clock and the id generator back as they
        were if its block raises.

        For multi-record loads (fixtures) that validate as they go, and a reset that reloads
        them: a refusal halfway must leave no trace, not even consumed ids or a moved clock.
        It copies the whole state first, so use ``transaction`` where nothing can fail halfway.
        """
        with self.lock:
            before = self.export_data()
            clock, ids = self.clock.state(), self.ids.state()
            try:
                yield self
            except BaseException:
                self.replace_data(before)
                self.clock.restore(clock)
                self.ids.restore(ids)
                raise

    def export_data(self) -> dict[str, dict[str, Document]]:
        """A deep copy of every collection: ``{name: {id: document}}``."""
        with self.lock:
            return copy_json(self.storage.read())

    def replace_data(self, data: Mapping[str, Mapping[str, Document]]) -> None:
        """Replace every collection at once (one storage write, so a file store stays whole)."""
        fresh = copy_json({name: dict(docs) for name, docs in data.items()})
        with self.lock:
            self.storage.write(fresh)
            self.mark_written()

    def collection_names(self, prefix: str = "") -> list[str]:
        with self.lock:
            return sorted(name for name in self.storage.read() if name.startswith(prefix))

    def drop(self, prefix: str = "") -> int:
        """Forget every collection whose name starts with ``prefix`` (all of them by default);
        answers how many documents they held."""
        with self.lock:
            return self.drop_collections(self.collection_names(prefix))

    def drop_collections(self, names: Iterable[str]) -> int:
        """Forget the named collections; answers how many documents they held."""
        with self.lock:
            data = self.storage.read()
            removed = 0
            for name in names:
                removed += len(data.get(name, {}))
                self.storage.drop(name)  # one journal line, not a rewrite of the state
            self.mark_written()
            return removed

    def close(self) -> None:
        """Flush and release the storage (a file store compacts into its snapshot)."""
        with self.lock:
            self.db.close()
