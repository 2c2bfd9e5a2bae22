"""The store's document copy: deep, equal, and safe for values that are not JSON data."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant_fake.store.copying import copy_json

DOCUMENT = {"id": "a", "n": 1, "x": 1.5, "ok": True, "none": None,
            "versions": {"v1": {"tools": [{"type": "hangup", "hangup": {}}]}}}


def test_a_copy_equals_the_original() -> None:
    assert copy_json(DOCUMENT) == DOCUMENT


def test_changing_a_copy_at_any_depth_leaves_the_original_alone() -> None:
    copied = copy_json(DOCUMENT)
    copied["versions"]["v1"]["tools"][0]["hangup"]["added"] = 1
    copied["versions"]["v1"]["tools"].append({})
    assert DOCUMENT["versions"]["v1"]["tools"] == [{"type": "hangup", "hangup": {}}]


def test_values_that_are_not_json_data_are_deep_copied_too() -> None:
    inner = [1]
    original = {"pair": (inner, 2), "at": datetime(2026, 1, 1, tzinfo=UTC)}
    copied = copy_json(original)
    assert copied == original
    assert copied["pair"][0] is not inner
