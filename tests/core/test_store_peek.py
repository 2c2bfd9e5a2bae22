"""Reads without a copy (``Collection.peek``) never let a caller change stored state."""

from __future__ import annotations

from assistant_fake.store import Store
from assistant_fake.vendors.telnyx.service import TelnyxService


def test_peek_answers_the_stored_document_and_get_a_copy_of_it() -> None:
    collection = Store().collection("things")
    collection.put("a", {"id": "a", "tags": ["x"]})
    with collection._store.transaction():
        assert collection.peek("a") == collection.get("a")
        assert collection.peek("a") is collection.peek("a")
        assert collection.get("a") is not collection.peek("a")


def test_peek_of_a_missing_key_is_none() -> None:
    assert Store().collection("things").peek("missing") is None


def test_changing_a_retrieved_assistant_leaves_the_stored_one_alone() -> None:
    assistants = TelnyxService(Store()).assistants
    created = assistants.create("tenant", {"name": "A", "instructions": "B",
                                           "tools": [{"type": "hangup", "hangup": {}}]})
    retrieved = assistants.get("tenant", created["id"])
    retrieved["name"] = "changed"
    retrieved["tools"][0]["hangup"]["added"] = True
    assert assistants.get("tenant", created["id"]) == created
