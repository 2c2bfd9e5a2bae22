"""``FakeAdmin``, the admin API's Python client (what the pytest plugin's ``fake_admin`` is),
against the real app in-process."""

from __future__ import annotations

import pytest

from assistant_fake.admin_client import FakeAdmin, FakeAdminError


@pytest.fixture
def admin(http) -> FakeAdmin:
    return FakeAdmin(http)


def test_the_chat_reply_queue_round_trips(admin, telnyx, api_key):
    assistant_id = telnyx.create_assistant()["id"]
    assert admin.queue_chat_replies(assistant_id, ["One.", "Two."], key=api_key) == ["One.",
                                                                                     "Two."]
    assert admin.chat_replies(assistant_id, key=api_key) == ["One.", "Two."]
    assert admin.clear_chat_replies(assistant_id, key=api_key) == 2


def test_set_lifecycle_answers_the_policies_in_force(admin, api_key):
    policies = admin.set_lifecycle(scheduled_events={"policy": "immediate"}, key=api_key)
    assert policies["scheduled_events"] == {"policy": "immediate", "outcome": "completed"}
    assert admin.lifecycle(key=api_key) == policies


def test_an_error_answer_raises_with_the_status_and_body(admin):
    with pytest.raises(FakeAdminError) as raised:
        admin.advance_test_run("no-such-run")
    assert raised.value.status == 404
    assert raised.value.body == {"detail": "Test run no-such-run not found."}
    assert "POST /__fake/telnyx/test-runs/no-such-run/advance answered 404" in str(raised.value)


def test_unmatched_lists_the_requests_no_operation_took(admin, telnyx, api_key):
    telnyx.get("/ai/assistants/x/no-such-thing")
    (entry,) = admin.unmatched(key=api_key)
    assert (entry["path"], entry["status"]) == ("/v2/ai/assistants/x/no-such-thing", 404)


def test_clear_faults_of_one_test_id_counts_them(admin):
    admin.add_fault({"status": 503}, match={"test_id": "client-test"})
    admin.add_fault({"latency_ms": 1}, match={"test_id": "client-test"})
    assert admin.clear_faults(test_id="client-test") == 2
    assert admin.faults(test_id="client-test") == []
