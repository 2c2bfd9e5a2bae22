"""The journal's ring buffer and filters, in plain Python (no HTTP)."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from assistant_fake.core.journal import (
    BODY_CAP,
    DEFAULT_JOURNAL_MAX_BYTES,
    DEFAULT_JOURNAL_SIZE,
    Entry,
    Journal,
    JournalFilter,
    Message,
    path_matches,
    status_matches,
)

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def entry(path: str = "/v2/ai/assistants", *, status: int | None = 200, api: str = "telnyx",
          operation: str | None = "list_assistants", tenant: str | None = "t1",
          body: bytes = b"", test_id: str | None = None) -> Entry:
    response = None if status is None else Message([(b"content-type", b"application/json")],
                                                   body, len(body))
    return Entry(time=T0, api=api, operation=operation, method="GET", path=path, query="",
                 tenant=tenant, test_id=test_id, request=Message([]), response=response,
                 status=status, duration_ms=1.0)


def test_entries_come_newest_first_with_increasing_ids():
    journal = Journal()
    for path in ("/a", "/b", "/c"):
        journal.record(entry(path))

    assert [(e.id, e.path) for e in journal] == [(3, "/c"), (2, "/b"), (1, "/a")]


def test_the_oldest_entries_leave_once_the_entry_count_is_reached():
    journal = Journal(size=2)
    for path in ("/a", "/b", "/c"):
        journal.record(entry(path))

    assert [e.path for e in journal] == ["/c", "/b"]


def test_the_oldest_entries_leave_once_the_byte_budget_is_spent():
    journal = Journal(size=1000, max_bytes=3 * BODY_CAP)
    for index in range(10):
        journal.record(entry(f"/{index}", body=b"x" * BODY_CAP))

    assert journal.bytes <= 3 * BODY_CAP
    assert [e.path for e in journal] == ["/9", "/8"]


def test_the_default_bounds_keep_the_worst_case_under_50_mb():
    """Entries as big as they get (both bodies at the cap, large headers), measured: the byte
    budget is spent long before the entry count is reached."""
    journal = Journal()
    tracemalloc.start()
    try:
        for index in range(DEFAULT_JOURNAL_SIZE // 3):
            big = entry(body=index.to_bytes(4) * (BODY_CAP // 4))
            headers = [(f"x-header-{n}".encode(), str(index).encode() * 200) for n in range(20)]
            big.request = Message(headers, (-index).to_bytes(4, signed=True) * (BODY_CAP // 4),
                                  2 * BODY_CAP, truncated=True)
            journal.record(big)
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(journal) < DEFAULT_JOURNAL_SIZE // 3
    assert journal.bytes <= DEFAULT_JOURNAL_MAX_BYTES
    assert retained < 50 * 1000 * 1000


def test_size_zero_records_nothing():
    journal = Journal(size=0)
    journal.record(entry())

    assert len(journal) == 0


def test_clear_forgets_everything_and_answers_how_many():
    journal = Journal()
    journal.record(entry())
    journal.record(entry())

    assert journal.clear() == 2
    assert list(journal) == []
    assert journal.bytes == 0


def test_find_answers_the_newest_up_to_the_limit_and_the_total_accepted():
    journal = Journal()
    for index in range(5):
        journal.record(entry(f"/{index}", tenant="mine" if index % 2 else "other"))

    found, total = journal.find(JournalFilter(tenant="mine"), limit=1)

    assert [e.path for e in found] == ["/3"]
    assert total == 2


def test_a_filter_with_several_fields_needs_all_of_them():
    journal = Journal()
    journal.record(entry(api="telnyx", status=404))
    journal.record(entry(api="achieveapex", status=404))
    journal.record(entry(api="telnyx", status=200))

    found, _ = journal.find(JournalFilter(api="telnyx", status="404"), limit=10)

    assert [(e.api, e.status) for e in found] == [("telnyx", 404)]


def test_the_unmatched_filter_keeps_requests_without_an_operation():
    journal = Journal()
    journal.record(entry("/v2/typo", operation=None, status=404))
    journal.record(entry())

    found, _ = journal.find(JournalFilter(matched=False), limit=10)

    assert [e.path for e in found] == ["/v2/typo"]


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("/v2/ai/assistants", "/v2/ai/assistants/assistant-1/versions", True),
    ("/v2/ai/assistants/", "/v2/ai/assistants", False),
    ("/v2/ai/assistants/*/versions", "/v2/ai/assistants/assistant-1/versions", True),
    ("/v2/ai/assistants/*/versions", "/v2/ai/assistants/assistant-1/versions/v-1", False),
    ("*/tags", "/v2/ai/assistants/a/tags", True),
    ("/ai-assistants/?", "/ai-assistants/7", True),
])
def test_a_path_filter_is_a_glob_with_wildcards_and_a_prefix_without(pattern, path, expected):
    assert path_matches(pattern, path) is expected


@pytest.mark.parametrize(("pattern", "status", "expected"), [
    ("404", 404, True), ("404", 400, False), ("4xx", 422, True), ("4XX", 503, False),
    ("5xx", 503, True), ("dropped", None, True), ("5xx", None, False), ("dropped", 200, False),
])
def test_a_status_filter_is_exact_a_class_or_dropped(pattern, status, expected):
    assert status_matches(pattern, status) is expected


def test_a_json_body_reads_back_as_json_with_secret_members_redacted():
    message = Message([], b'{"name": "a", "api_key_ref": "vault/x", "max_tokens": 5}', 55)

    assert message.as_json()["body"] == {"name": "a", "api_key_ref": "[REDACTED]",
                                         "max_tokens": 5}


def test_a_truncated_body_reads_back_as_text_and_says_so():
    message = Message([], b'{"name": "abc', 4000, truncated=True)

    assert message.as_json() == {"headers": {}, "body": '{"name": "abc', "truncated": True,
                                 "size": 4000}


def test_repeated_headers_read_back_joined_under_lower_case_names():
    message = Message([(b"set-cookie", b"a"), (b"Set-Cookie", b"b")])

    assert message.as_json()["headers"] == {"set-cookie": "a, b"}
