"""The ``--data`` storage: a JSON snapshot plus an append-only journal, compacted by size.

"Reopening" without ``close`` is what a restart after ``kill -9`` sees: the snapshot as last
compacted and the journal as far as it was written.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant_fake.store import Store
from assistant_fake.store.log_storage import LogStorage


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state.json"


def journal_lines(path: Path) -> list[dict]:
    text = path.with_name(path.name + ".log").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_puts_deletes_and_drops_survive_a_crash(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.put("a", "2", {"n": 2})
    storage.put("b", "1", {"n": 3})
    storage.delete("a", "1")
    storage.drop("b")
    storage.sync()
    assert LogStorage(path).read() == {"a": {"2": {"n": 2}}}


def test_each_write_appends_one_journal_line_and_never_rewrites_the_snapshot(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.put("a", "1", {"n": 2})
    storage.delete("a", "1")
    assert not path.exists()
    assert journal_lines(path) == [{"op": "put", "t": "a", "k": "1", "v": {"n": 1}},
                                   {"op": "put", "t": "a", "k": "1", "v": {"n": 2}},
                                   {"op": "del", "t": "a", "k": "1"}]


def test_deleting_a_missing_key_writes_nothing(path: Path) -> None:
    storage = LogStorage(path)
    storage.delete("a", "1")
    storage.drop("a")
    assert journal_lines(path) == []


def test_a_torn_last_line_is_ignored_and_cut_off(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.sync()
    journal = path.with_name(path.name + ".log")
    with journal.open("ab") as handle:
        handle.write(b'{"op":"put","t":"a","k":"2","v":{"n"')  # the crash hit mid-write
    reopened = LogStorage(path)
    assert reopened.read() == {"a": {"1": {"n": 1}}}
    reopened.put("a", "3", {"n": 3})
    assert LogStorage(path).read() == {"a": {"1": {"n": 1}, "3": {"n": 3}}}


def test_replay_stops_at_a_line_that_was_never_synced(path: Path) -> None:
    # unsynced pages can reach the disk out of order: a zero-filled hole before a later
    # line means neither was ever fsynced, so neither was acknowledged
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    journal = path.with_name(path.name + ".log")
    with journal.open("ab") as handle:
        handle.write(b"\0" * 40 + b"\n" + b'{"op":"put","t":"a","k":"2","v":{}}\n')
    assert LogStorage(path).read() == {"a": {"1": {"n": 1}}}


def test_the_journal_is_compacted_into_the_snapshot_once_it_outgrows_it(path: Path) -> None:
    storage = LogStorage(path, min_compact_bytes=1000)
    for n in range(40):
        storage.put("a", str(n), {"n": n, "pad": "x" * 50})
        storage.sync()
    assert journal_lines(path) != [] and len(journal_lines(path)) < 40
    assert len(json.loads(path.read_text(encoding="utf-8"))["a"]) >= 40 - len(journal_lines(path))
    assert LogStorage(path).read() == storage.read()


def test_writes_after_a_compaction_are_replayed_over_the_new_snapshot(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.compact()
    storage.put("a", "1", {"n": 2})
    storage.put("a", "2", {"n": 3})
    assert LogStorage(path).read() == {"a": {"1": {"n": 2}, "2": {"n": 3}}}


def test_a_crash_between_snapshot_and_truncation_replays_to_the_same_state(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.put("a", "2", {"n": 2})
    storage.delete("a", "1")
    storage.drop("b")
    journal = path.with_name(path.name + ".log")
    old_journal = journal.read_bytes()
    storage.compact()
    journal.write_bytes(old_journal)  # as if the truncation never happened
    assert LogStorage(path).read() == {"a": {"2": {"n": 2}}}


def test_a_snapshot_a_crash_left_unfinished_is_removed_on_start(path: Path) -> None:
    LogStorage(path).put("a", "1", {"n": 1})
    leftover = path.with_name(f".{path.name}.x1y2")
    leftover.write_text('{"a": {"1"', encoding="utf-8")
    assert LogStorage(path).read() == {"a": {"1": {"n": 1}}}
    assert not leftover.exists()


def test_close_leaves_the_whole_state_in_the_snapshot_and_an_empty_journal(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.close()
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": {"1": {"n": 1}}}
    assert journal_lines(path) == []


def test_write_replaces_the_whole_state_at_once(path: Path) -> None:
    storage = LogStorage(path)
    storage.put("a", "1", {"n": 1})
    storage.write({"b": {"1": {"n": 2}}})
    assert journal_lines(path) == []
    assert LogStorage(path).read() == {"b": {"1": {"n": 2}}}


def test_a_data_file_of_the_earlier_whole_file_format_loads_and_keeps_growing(path: Path) -> None:
    path.write_text(json.dumps({"telnyx/t/assistants": {"a1": {"name": "old"}}}),
                    encoding="utf-8")
    store = Store(path)
    assert store.collection("telnyx/t/assistants").get("a1") == {"name": "old"}
    store.collection("telnyx/t/assistants").put("a2", {"name": "new"})
    assert len(Store(path).collection("telnyx/t/assistants")) == 2


def test_concurrent_transactions_all_reach_the_journal(path: Path) -> None:
    store = Store(path)

    def write(worker: int) -> None:
        for n in range(25):
            with store.transaction():
                store.collection("c").put(f"{worker}-{n}", {"n": n})

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(Store(path).collection("c")) == 100


def test_after_a_failed_sync_no_write_is_accepted(path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant_fake.store.log_storage as log_storage

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    storage = LogStorage(path)
    storage.put("a", "1", {})
    monkeypatch.setattr(log_storage, "_datasync", failing)  # the disk, not our code, fails
    with pytest.raises(OSError):
        storage.sync()
    with pytest.raises(RuntimeError):
        storage.put("a", "2", {})


def test_a_closed_storage_refuses_writes(path: Path) -> None:
    storage = LogStorage(path)
    storage.close()
    with pytest.raises(RuntimeError):
        storage.put("a", "1", {})
