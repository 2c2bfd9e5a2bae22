"""No body or query a client sends to the scripting endpoints of the admin API answers a 5xx:
whatever JSON (or non-JSON) arrives is refused with a 400 ``{"detail"}`` or accepted."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["key", "tenant", "replies", "status", "test_runs",
                                       "scheduled_events", "policy", "polls", "seconds",
                                       "outcome", "x"]), children, max_size=4),
    max_leaves=10)
BODIES = JSON.map(lambda value: json.dumps(value).encode()) | st.binary(max_size=16)
POSTS = ["/__fake/telnyx/assistants/assistant-x/chat-replies", "/__fake/telnyx/test-runs/r/advance",
         "/__fake/telnyx/scheduled-events/e/advance"]
QUERIES = st.dictionaries(st.sampled_from(["key", "tenant", "x"]), st.text(max_size=30),
                          max_size=2)
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(path=st.sampled_from(POSTS), body=BODIES)
def test_no_post_body_answers_a_server_error(http, path, body):
    response = http.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    assert "detail" in response.json() or response.status_code in (200, 201)


@FAST
@given(body=BODIES)
def test_no_lifecycle_body_answers_a_server_error(http, body):
    response = http.put("/__fake/lifecycle", content=body,
                        headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        http.put("/__fake/lifecycle", json={})  # an accepted account-wide change is undone


@FAST
@given(method=st.sampled_from(["GET", "DELETE"]), params=QUERIES)
def test_no_query_answers_a_server_error(http, method, params):
    for path in ("/__fake/telnyx/assistants/assistant-x/chat-replies", "/__fake/lifecycle"):
        if method == "DELETE" and path.endswith("lifecycle"):
            continue
        response = http.request(method, path, params=params)
        assert response.status_code < 500, response.text
