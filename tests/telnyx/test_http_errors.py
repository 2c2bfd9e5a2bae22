"""Telnyx over HTTP: what every operation answers when the request is wrong before it is read.

Authentication (401, Telnyx's gateway envelope, code 10009), unknown routes (404, code 10005),
wrong methods (405, FastAPI's body), bodies FastAPI cannot decode (400) or parse (422
``json_invalid``), bodies that are not objects (422 ``model_attributes_type``), oversized
bodies (413), and the 404s for ids the caller cannot see: unknown, another account's, or
soft-deleted. Every operation of the spec is listed in ``OPERATIONS`` and checked here.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.core.specs import load_spec

EVENT = {"telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "+13125550100",
         "telnyx_agent_target": "+13125550199",
         "scheduled_at_fixed_datetime": "2026-12-01T09:00:00Z"}
TEST = {"name": "Greets", "destination": "+13125550100", "instructions": "Say hello.",
        "rubric": [{"name": "greeting", "criteria": "The assistant greets the caller."}]}

# operationId -> (method, path, a valid body or None)
OPERATIONS: dict[str, tuple[str, str, Any]] = {
    "list_assistants": ("GET", "/ai/assistants", None),
    "create_assistant": ("POST", "/ai/assistants", {"name": "Bot", "instructions": "Help."}),
    "import_assistants": ("POST", "/ai/assistants/import",
                          {"provider": "vapi", "api_key_ref": "vapi_key"}),
    "list_all_tags": ("GET", "/ai/assistants/tags", None),
    "list_deleted_assistants": ("GET", "/ai/assistants/deleted", None),
    "list_tests": ("GET", "/ai/assistants/tests", None),
    "create_test": ("POST", "/ai/assistants/tests", TEST),
    "list_test_suites": ("GET", "/ai/assistants/tests/test-suites", None),
    "list_test_suite_runs": ("GET", "/ai/assistants/tests/test-suites/{suite}/runs", None),
    "trigger_test_suite_run": ("POST", "/ai/assistants/tests/test-suites/{suite}/runs", {}),
    "get_test": ("GET", "/ai/assistants/tests/{test_id}", None),
    "update_test": ("PUT", "/ai/assistants/tests/{test_id}", {"name": "Renamed"}),
    "delete_test": ("DELETE", "/ai/assistants/tests/{test_id}", None),
    "list_test_runs": ("GET", "/ai/assistants/tests/{test_id}/runs", None),
    "trigger_test_run": ("POST", "/ai/assistants/tests/{test_id}/runs", {}),
    "get_test_run": ("GET", "/ai/assistants/tests/{test_id}/runs/{run_id}", None),
    "get_assistant": ("GET", "/ai/assistants/{assistant_id}", None),
    "update_assistant": ("POST", "/ai/assistants/{assistant_id}", {"name": "Renamed"}),
    "delete_assistant": ("DELETE", "/ai/assistants/{assistant_id}", None),
    "restore_assistant": ("POST", "/ai/assistants/{assistant_id}/restore", None),
    "get_deleted_assistant": ("GET", "/ai/assistants/{assistant_id}/deleted", None),
    "get_canary_deploy": ("GET", "/ai/assistants/{assistant_id}/canary-deploys", None),
    "create_canary_deploy": ("POST", "/ai/assistants/{assistant_id}/canary-deploys",
                             {"rules": []}),
    "update_canary_deploy": ("PUT", "/ai/assistants/{assistant_id}/canary-deploys",
                             {"rules": []}),
    "delete_canary_deploy": ("DELETE", "/ai/assistants/{assistant_id}/canary-deploys", None),
    "chat_with_assistant": ("POST", "/ai/assistants/{assistant_id}/chat",
                            {"content": "Hello", "conversation_id": "conv-1"}),
    "send_sms": ("POST", "/ai/assistants/{assistant_id}/chat/sms",
                 {"from": "+13125550199", "to": "+13125550100"}),
    "clone_assistant": ("POST", "/ai/assistants/{assistant_id}/clone", None),
    "enhance_instructions": ("POST", "/ai/assistants/{assistant_id}/instructions/enhance", {}),
    "list_scheduled_events": ("GET", "/ai/assistants/{assistant_id}/scheduled_events", None),
    "create_scheduled_event": ("POST", "/ai/assistants/{assistant_id}/scheduled_events", EVENT),
    "get_scheduled_event": ("GET", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}",
                            None),
    "delete_scheduled_event": ("DELETE",
                               "/ai/assistants/{assistant_id}/scheduled_events/{event_id}", None),
    "add_assistant_tag": ("POST", "/ai/assistants/{assistant_id}/tags", {"tag": "vip"}),
    "remove_assistant_tag": ("DELETE", "/ai/assistants/{assistant_id}/tags/vip", None),
    "get_assistant_texml": ("GET", "/ai/assistants/{assistant_id}/texml", None),
    "attach_tool": ("PUT", "/ai/assistants/{assistant_id}/tools/{tool_id}", None),
    "detach_tool": ("DELETE", "/ai/assistants/{assistant_id}/tools/{tool_id}", None),
    "test_tool": ("POST", "/ai/assistants/{assistant_id}/tools/{tool_id}/test", {}),
    "list_versions": ("GET", "/ai/assistants/{assistant_id}/versions", None),
    "get_version": ("GET", "/ai/assistants/{assistant_id}/versions/{version_id}", None),
    "update_version": ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}",
                       {"name": "Renamed"}),
    "delete_version": ("DELETE", "/ai/assistants/{assistant_id}/versions/{version_id}", None),
    "promote_version": ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}/promote",
                        None),
}

ASSISTANT_OPERATIONS = sorted(op for op, (_, path, _) in OPERATIONS.items()
                              if "{assistant_id}" in path)
"""Operations on one assistant: each answers 404 when the caller cannot see the assistant."""

LIVE_ASSISTANT_OPERATIONS = sorted(set(ASSISTANT_OPERATIONS)
                                   - {"restore_assistant", "get_deleted_assistant"})
"""The operations on an assistant that only see active (not soft-deleted) assistants."""

IDS = {"suite": "regression", "test_id": "test-1", "run_id": "run-1",
       "assistant_id": "assistant-00000000-0000-4000-8000-000000000000",
       "event_id": "event-1", "tool_id": "tool-1", "version_id": "version-1"}

UNAUTHORIZED_HEADERS = {
    "no key": {},
    "empty bearer": {"Authorization": "Bearer "},
    "bearer without token": {"Authorization": "Bearer"},
    "basic scheme": {"Authorization": "Basic dXNlcjpwYXNz"},
    "token scheme": {"Authorization": "Token secret"},
    "key without scheme": {"Authorization": "secret"},
}


def call(client, operation: str, **ids: str):
    method, path, body = OPERATIONS[operation]
    url = path.format(**{**IDS, **ids})
    return client.request(method, url, **({"json": body} if body is not None else {}))


# --- the table is the spec ------------------------------------------------------------------

def test_the_operations_table_lists_every_operation_of_the_spec():
    spec = load_spec("telnyx-ai-assistants.yaml")
    operations = {(method.upper(), path): op["operationId"]
                  for path, item in spec["paths"].items()
                  for method, op in item.items() if method != "parameters"}
    assert set(operations.values()) == set(OPERATIONS)
    for operation, (method, path, _) in OPERATIONS.items():
        spec_path = path.replace("{suite}", "{suite_name}").replace("/tags/vip", "/tags/{tag}")
        assert operations[(method, spec_path)] == operation


# --- 401 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", UNAUTHORIZED_HEADERS.values(), ids=UNAUTHORIZED_HEADERS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_refuses_a_missing_or_malformed_key_with_401(
        http, telnyx_errors, operation, headers):
    method, path, body = OPERATIONS[operation]
    response = http.request(method, "/v2" + path.format(**IDS), headers=headers,
                            **({"json": body} if body is not None else {}))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == telnyx_errors.unauthorized


def test_the_bearer_scheme_is_case_insensitive(http, api_key):
    response = http.get("/v2/ai/assistants", headers={"Authorization": f"bearer {api_key}"})
    assert response.status_code == 200


def test_a_key_is_trimmed_of_surrounding_spaces(telnyx, http, api_key):
    created = telnyx.create_assistant()
    response = http.get("/v2/ai/assistants", headers={"Authorization": f"Bearer   {api_key}  "})
    assert [a["id"] for a in response.json()["data"]] == [created["id"]]


def test_authentication_comes_before_request_validation(http, telnyx_errors):
    response = http.post("/v2/ai/assistants", content=b"{", headers={
        "content-type": "application/json"})
    assert response.status_code == 401
    assert response.json() == telnyx_errors.unauthorized


def test_authentication_comes_before_looking_up_the_assistant(http, telnyx_errors):
    response = http.get("/v2/ai/assistants/assistant-unknown")
    assert response.status_code == 401
    assert response.json() == telnyx_errors.unauthorized


def test_a_key_is_an_account_whose_data_any_request_with_it_sees(telnyx, telnyx_as, api_key):
    created = telnyx.create_assistant()
    assert telnyx_as(api_key).get("/ai/assistants").json() == {"data": [created]}
    assert telnyx_as(api_key + "x").get("/ai/assistants").json() == {"data": []}


# --- 404: unknown routes --------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/v2/ai/assistants/assistant-1/unknown",
    "/v2/ai/unknown",
    "/v2/unknown",
    "/v2",
])
def test_an_unknown_path_under_v2_is_telnyx_resource_not_found(telnyx, telnyx_errors, path):
    response = telnyx.client.get(path, headers=telnyx.headers())
    assert response.status_code == 404
    assert response.json() == telnyx_errors.no_route


def test_an_unknown_path_is_not_found_even_without_a_key(http, telnyx_errors):
    response = http.get("/v2/ai/assistants/assistant-1/unknown")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.no_route


# --- 405 ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("PATCH", "/ai/assistants/assistant-1"),
    ("PUT", "/ai/assistants/assistant-1"),
    ("PUT", "/ai/assistants"),
    ("DELETE", "/ai/assistants"),
    ("POST", "/ai/assistants/tests/test-suites"),
    ("DELETE", "/ai/assistants/tests/test-suites/regression/runs"),
    ("POST", "/ai/assistants/tests/test-1"),
    ("DELETE", "/ai/assistants/tests/test-1/runs"),
    ("DELETE", "/ai/assistants/tests/test-1/runs/run-1"),
    ("GET", "/ai/assistants/assistant-1/restore"),
    ("POST", "/ai/assistants/assistant-1/deleted"),
    ("PATCH", "/ai/assistants/assistant-1/canary-deploys"),
    ("GET", "/ai/assistants/assistant-1/chat"),
    ("GET", "/ai/assistants/assistant-1/chat/sms"),
    ("GET", "/ai/assistants/assistant-1/clone"),
    ("GET", "/ai/assistants/assistant-1/instructions/enhance"),
    ("DELETE", "/ai/assistants/assistant-1/scheduled_events"),
    ("PUT", "/ai/assistants/assistant-1/scheduled_events/event-1"),
    ("GET", "/ai/assistants/assistant-1/tags"),
    ("GET", "/ai/assistants/assistant-1/tags/vip"),
    ("POST", "/ai/assistants/assistant-1/texml"),
    ("GET", "/ai/assistants/assistant-1/tools/tool-1"),
    ("GET", "/ai/assistants/assistant-1/tools/tool-1/test"),
    ("POST", "/ai/assistants/assistant-1/versions"),
    ("PUT", "/ai/assistants/assistant-1/versions/version-1"),
    ("GET", "/ai/assistants/assistant-1/versions/version-1/promote"),
])
def test_a_method_the_path_does_not_have_is_405_method_not_allowed(telnyx, method, path):
    response = telnyx.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PATCH", "/ai/assistants/assistant-1", "GET, POST, DELETE"),
    ("PUT", "/ai/assistants", "GET, POST"),
    ("GET", "/ai/assistants/assistant-1/clone", "POST"),
    ("PATCH", "/ai/assistants/assistant-1/canary-deploys", "GET, PUT, POST, DELETE"),
    ("POST", "/ai/assistants/tests/test-1", "GET, PUT, DELETE"),
    ("GET", "/ai/assistants/assistant-1/tags/vip", "DELETE"),
])
def test_a_405_lists_the_methods_the_path_has_in_allow(telnyx, method, path, allow):
    response = telnyx.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


@pytest.mark.parametrize(("method", "path", "read_as"), [
    ("GET", "/ai/assistants/import", "import"),
    ("POST", "/ai/assistants/tags", "tags"),
    ("DELETE", "/ai/assistants/deleted", "deleted"),
    ("DELETE", "/ai/assistants/tests", "tests"),
])
def test_a_fixed_segment_with_a_method_it_lacks_is_read_as_an_assistant_id(
        telnyx, telnyx_errors, method, path, read_as):
    response = telnyx.request(method, path, json={"name": "X"})
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found(read_as)


def test_update_is_a_post_so_patch_changes_nothing(telnyx, assistant):
    response = telnyx.request("PATCH", f"/ai/assistants/{assistant['id']}", json={"name": "X"})
    assert response.status_code == 405
    assert telnyx.get(f"/ai/assistants/{assistant['id']}").json()["name"] == "Support bot"


# --- bodies that cannot be read -------------------------------------------------------------

@pytest.mark.parametrize("content", [b"\xff\xfe\xfa", b"\xc3\x28", b"\x80abc"],
                         ids=["utf16-bom-odd", "bad-utf8-pair", "bare-continuation"])
def test_a_json_body_that_is_not_text_is_fastapis_400(telnyx, content):
    response = telnyx.post("/ai/assistants", content=content,
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_a_lone_surrogate_escape_is_a_body_that_cannot_be_parsed(telnyx):
    response = telnyx.post("/ai/assistants",
                           content=b'{"name": "Bot \\ud800", "instructions": "b"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}
    assert telnyx.get("/ai/assistants").json() == {"data": []}


def test_a_surrogate_pair_escape_is_ordinary_text(telnyx):
    response = telnyx.post("/ai/assistants",
                           content=b'{"name": "Bot \\ud83e\\udd16", "instructions": "b"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["name"] == "Bot \U0001f916"


def test_malformed_json_is_a_single_json_invalid_error_at_its_position(telnyx):
    response = telnyx.post("/ai/assistants", content=b'{"name": }',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "json_invalid", "loc": ["body", 9], "msg": "JSON decode error", "input": {},
         "ctx": {"error": "Expecting value"}}]}


def test_a_trailing_comma_is_json_invalid(telnyx):
    response = telnyx.post("/ai/assistants", content=b'{"name": "a", "instructions": "b",}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "json_invalid", "loc": ["body", 34], "msg": "JSON decode error", "input": {},
         "ctx": {"error": "Expecting property name enclosed in double quotes"}}]}


def test_truncated_json_is_json_invalid_at_the_end(telnyx):
    response = telnyx.post("/ai/assistants", content=b'{"name": "a"',
                           headers={"content-type": "application/json"})
    assert response.json() == {"detail": [
        {"type": "json_invalid", "loc": ["body", 12], "msg": "JSON decode error", "input": {},
         "ctx": {"error": "Expecting ',' delimiter"}}]}


def test_json_invalid_comes_before_the_lookup_of_the_assistant(telnyx):
    response = telnyx.post("/ai/assistants/assistant-unknown", content=b"{",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_json_array_body_is_model_attributes_type(telnyx):
    response = telnyx.post("/ai/assistants", json=[{"name": "a", "instructions": "b"}])
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "model_attributes_type", "loc": ["body"],
         "msg": "Input should be a valid dictionary or object to extract fields from",
         "input": [{"name": "a", "instructions": "b"}]}]}


def test_a_json_string_body_is_model_attributes_type(telnyx):
    response = telnyx.post("/ai/assistants", json="Support bot")
    assert response.json() == {"detail": [
        {"type": "model_attributes_type", "loc": ["body"],
         "msg": "Input should be a valid dictionary or object to extract fields from",
         "input": "Support bot"}]}


def test_a_json_null_body_is_model_attributes_type(telnyx):
    response = telnyx.post("/ai/assistants", content=b"null",
                           headers={"content-type": "application/json"})
    assert response.json() == {"detail": [
        {"type": "model_attributes_type", "loc": ["body"],
         "msg": "Input should be a valid dictionary or object to extract fields from",
         "input": None}]}


def test_a_body_without_content_type_is_not_parsed_as_json(telnyx):
    response = telnyx.post("/ai/assistants", content=b'{"name": "a", "instructions": "b"}')
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "model_attributes_type", "loc": ["body"],
         "msg": "Input should be a valid dictionary or object to extract fields from",
         "input": '{"name": "a", "instructions": "b"}'}]}


def test_a_form_body_is_not_parsed_and_reported_as_text(telnyx):
    response = telnyx.post("/ai/assistants", content=b"name=a&instructions=b",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == "name=a&instructions=b"


@pytest.mark.parametrize("content_type", [
    "application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON"])
def test_json_and_json_suffix_content_types_are_parsed(telnyx, content_type):
    response = telnyx.post("/ai/assistants", content=b'{"name": "a", "instructions": "b"}',
                           headers={"content-type": content_type})
    assert response.status_code == 200
    assert response.json()["name"] == "a"


def test_a_utf8_bom_before_json_is_accepted(telnyx):
    response = telnyx.post("/ai/assistants",
                           content=b'\xef\xbb\xbf{"name": "a", "instructions": "b"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 200


def test_utf16_json_is_decoded(telnyx):
    response = telnyx.post("/ai/assistants",
                           content='{"name": "Zoë", "instructions": "b"}'.encode("utf-16"),
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["name"] == "Zoë"


def test_a_missing_required_body_is_missing_at_body(telnyx):
    response = telnyx.post("/ai/assistants")
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]}


def test_a_body_over_the_size_limit_is_413(telnyx):
    response = telnyx.post("/ai/assistants", content=b" " * (2 * 1024 * 1024 + 1),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"errors": [{
        "code": "10015", "title": "Request Entity Too Large",
        "detail": "The request body is too large.",
        "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10015"}}]}


def nested(levels: int) -> bytes:
    """A create body whose ``dynamic_variables`` make the whole body ``levels`` deep."""
    inner = b'{"a":' * (levels - 1) + b"1" + b"}" * (levels - 1)
    return b'{"name": "Deep", "instructions": "b", "dynamic_variables": ' + inner + b"}"


def test_a_body_nested_100_levels_deep_is_accepted_everywhere(telnyx):
    response = telnyx.post("/ai/assistants", content=nested(100),
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    assistant_id = response.json()["id"]
    for method, path in [("GET", ""), ("POST", "/clone"), ("GET", "/versions")]:
        assert telnyx.request(method, f"/ai/assistants/{assistant_id}{path}").status_code == 200
    assert telnyx.post(f"/ai/assistants/{assistant_id}", json={"name": "X"}).status_code == 200


@pytest.mark.parametrize("levels", [101, 600, 50_000])
def test_a_body_nested_deeper_than_100_levels_is_fastapis_400(telnyx, levels):
    response = telnyx.post("/ai/assistants", content=nested(levels),
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_a_deeply_nested_value_of_the_wrong_type_is_400_not_a_listed_error(telnyx):
    body = b'{"name": ' + b"[" * 700 + b"]" * 700 + b', "instructions": "b"}'
    response = telnyx.post("/ai/assistants", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 400


# --- 404: ids the caller cannot see ---------------------------------------------------------

@pytest.mark.parametrize("operation", ASSISTANT_OPERATIONS)
def test_every_assistant_operation_answers_404_for_an_unknown_assistant(
        telnyx, telnyx_errors, operation):
    unknown = "assistant-00000000-0000-4000-8000-000000000000"
    response = call(telnyx, operation, assistant_id=unknown)
    assert response.status_code == 404
    prefix = "Deleted assistant" if "deleted" in operation or "restore" in operation else (
        "Assistant")
    assert response.json() == telnyx_errors.not_found(f"{prefix} {unknown} not found.")


@pytest.mark.parametrize("operation", ASSISTANT_OPERATIONS)
def test_every_assistant_operation_answers_404_for_another_accounts_assistant(
        telnyx, other_tenant, telnyx_errors, operation):
    theirs = other_tenant.create_assistant()
    if operation in ("restore_assistant", "get_deleted_assistant"):
        assert other_tenant.delete(f"/ai/assistants/{theirs['id']}").status_code == 200
    response = call(telnyx, operation, assistant_id=theirs["id"],
                    version_id=theirs["version_id"])
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "10005"
    assert theirs["id"] in response.json()["errors"][0]["detail"]


def test_another_accounts_assistant_is_untouched_by_a_refused_update(telnyx, other_tenant):
    theirs = other_tenant.create_assistant()
    telnyx.post(f"/ai/assistants/{theirs['id']}", json={"name": "Hijacked"})
    assert other_tenant.get(f"/ai/assistants/{theirs['id']}").json() == theirs


@pytest.mark.parametrize("operation", LIVE_ASSISTANT_OPERATIONS)
def test_every_assistant_operation_answers_404_for_a_soft_deleted_assistant(
        telnyx, assistant, telnyx_errors, operation):
    assert telnyx.delete(f"/ai/assistants/{assistant['id']}").status_code == 200
    response = call(telnyx, operation, assistant_id=assistant["id"],
                    version_id=assistant["version_id"])
    assert response.status_code == 404
    assert response.json() == telnyx_errors.assistant_not_found(assistant["id"])


@pytest.mark.parametrize("operation", ["get_test", "update_test", "delete_test",
                                       "list_test_runs", "trigger_test_run"])
def test_every_test_operation_answers_404_for_an_unknown_test(telnyx, telnyx_errors, operation):
    response = call(telnyx, operation, test_id="test-unknown")
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found("Assistant test test-unknown not found.")


@pytest.mark.parametrize("operation", ["get_test", "update_test", "delete_test",
                                       "list_test_runs", "trigger_test_run"])
def test_every_test_operation_answers_404_for_another_accounts_test(
        telnyx, other_tenant, telnyx_errors, operation):
    theirs = other_tenant.post("/ai/assistants/tests", json=TEST).json()
    response = call(telnyx, operation, test_id=theirs["test_id"])
    assert response.status_code == 404
    assert response.json() == telnyx_errors.not_found(
        f"Assistant test {theirs['test_id']} not found.")


# --- no server errors -----------------------------------------------------------------------

@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_no_operation_answers_a_server_error_for_a_wrong_typed_body_or_query(telnyx, operation):
    method, path, body = OPERATIONS[operation]
    url = path.format(**IDS) + "?page[number]=x&page[size]=-1&hard_delete=maybe&from_date=x"
    kwargs = {"json": {key: [None] for key in body}} if body else {}
    response = telnyx.request(method, url, **kwargs)
    assert response.status_code < 500, response.text
