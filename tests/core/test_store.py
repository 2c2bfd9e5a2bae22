"""The TinyDB store: copies in and out, file persistence, named collections.

The journal storage behind ``--data`` has its own tests in ``test_store_log.py``.
"""

from __future__ import annotations

import json

from assistant_fake.store import Store


def test_reads_are_copies_that_cannot_change_stored_state():
    collection = Store().collection("t/a")
    collection.put("k", {"tags": ["x"]})
    collection.get("k")["tags"].append("y")
    assert collection.get("k") == {"tags": ["x"]}


def test_written_documents_are_copies_too():
    collection = Store().collection("t/a")
    document = {"tags": ["x"]}
    collection.put("k", document)
    document["tags"].append("y")
    assert collection.get("k") == {"tags": ["x"]}


def test_values_keep_insertion_order():
    collection = Store().collection("t/a")
    for key in ("b", "a", "c"):
        collection.put(key, {"key": key})
    assert [d["key"] for d in collection.values()] == ["b", "a", "c"]


def test_delete_reports_whether_something_was_there():
    collection = Store().collection("t/a")
    collection.put("k", {})
    assert collection.delete("k") is True
    assert collection.delete("k") is False
    assert "k" not in collection


def test_file_store_survives_a_restart(tmp_path):
    path = tmp_path / "state.json"
    Store(path).collection("telnyx/t/assistants").put("a1", {"name": "kept"})
    assert Store(path).collection("telnyx/t/assistants").get("a1") == {"name": "kept"}


def test_a_closed_file_store_is_one_json_file_and_no_temporary_files(tmp_path):
    path = tmp_path / "state.json"
    store = Store(path)
    for index in range(5):
        store.collection("c").put(str(index), {"i": index})
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.log"]
    assert (tmp_path / "state.json.log").stat().st_size == 0
    assert len(json.loads(path.read_text())["c"]) == 5


def test_drop_forgets_collections_by_prefix():
    store = Store()
    store.collection("telnyx/a/x").put("1", {})
    store.collection("telnyx/b/x").put("1", {})
    store.drop("telnyx/a/")
    assert store.collection_names() == ["telnyx/b/x"]


def test_seeded_ids_repeat():
    from assistant_fake.store import IdGenerator
    assert IdGenerator(7).uuid4() == IdGenerator(7).uuid4()
    assert IdGenerator().uuid4() != IdGenerator().uuid4()


def test_scan_reads_every_stored_document_in_insertion_order():
    collection = Store().collection("t/a")
    for key in ("b", "a"):
        collection.put(key, {"key": key})
    assert [doc["key"] for doc in collection.scan()] == ["b", "a"]


def test_drop_of_a_file_store_survives_a_restart(tmp_path):
    path = tmp_path / "state.json"
    store = Store(path)
    store.collection("telnyx/a/x").put("1", {})
    store.collection("telnyx/b/x").put("1", {})
    store.drop("telnyx/a/")
    assert Store(path).collection_names() == ["telnyx/b/x"]
