"""AchieveApex over HTTP: every way a request can be wrong, and Feathers' answer to it.

Schema violations (400 ``validation failed`` listing every AJV error with its ``location``),
bodies that are not JSON (400 with Node's ``JSON.parse`` wording), unknown ids (404 on every
per-id operation), methods a path does not serve (405, for every path of the spec), unknown
paths (404), oversized bodies (413), and a sweep of odd inputs over every operation that must
never get a 5xx or anything but a Feathers body.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant_fake.app import create_app
from assistant_fake.core.specs import load_spec
from assistant_fake.settings import Settings

SPEC = load_spec("achieveapex-ai-assistants.yaml")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FEATHERS_METHODS = {("GET", False): "find", ("GET", True): "get", ("POST", False): "create",
                    ("POST", True): "create", ("PUT", False): "update", ("PUT", True): "update",
                    ("PATCH", False): "patch", ("PATCH", True): "patch",
                    ("DELETE", False): "remove", ("DELETE", True): "remove"}
PER_ID_BODIES = {"PATCH /ai-assistants/{id}": {"name": "X"},
                 "PATCH /ai-assistant-skills/{id}": {"name": "X"},
                 "PATCH /api-tools/{id}": {"name": "X"},
                 "PATCH /reservations/{id}": {"notes": "X"}}
PER_ID = sorted(f"{method.upper()} {path}" for path, item in SPEC["paths"].items()
                if "{id}" in path for method in item if method.upper() in METHODS)
NOT_SERVED = sorted((method, path) for path, item in SPEC["paths"].items()
                    for method in METHODS if method.lower() not in item)
OPERATIONS = sorted((method.upper(), path) for path, item in SPEC["paths"].items()
                    for method in item if method.upper() in METHODS)
VALID_ASSISTANT = {"name": "Bot", "assistant_type": "voice", "ai_model_id": 1}


def feathers_shaped(response) -> bool:
    """A Feathers error body whose ``code`` is the status, or any JSON for a success."""
    body = response.json()
    if response.status_code < 400:
        return True
    return (isinstance(body, dict) and set(body) <= {"name", "message", "code", "className",
                                                     "data", "errors"}
            and {"name", "message", "code", "className"} <= set(body)
            and body["code"] == response.status_code)


# --- schema violations ----------------------------------------------------------------------

def test_a_body_breaking_the_schema_gets_every_violation_with_its_path(apex, feathers,
                                                                       ajv_error):
    response = apex.post("/ai-assistants", json={
        "organization_id": apex.organization_id, "name": 5, "assistant_type": "robot",
        "ai_model_id": "1", "connection": "x", "internal_tools": {"tools": ["add_note", "fly"]},
        "telnyx_ai_assistant_config": {"voice_provider": "acme", "voice_speed": "fast"}})
    config = "#/allOf/1/properties/telnyx_ai_assistant_config"
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("body", "/assistant_type", "#/allOf/0/properties/assistant_type/enum", "enum",
                  {"allowedValues": ["conversation", "support-ticket", "ai-chat", "voice"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/name", "#/allOf/1/properties/name/type", "type",
                  {"type": "string"}, "must be string"),
        ajv_error("body", "/ai_model_id", "#/allOf/1/properties/ai_model_id/type", "type",
                  {"type": "integer"}, "must be integer"),
        ajv_error("body", "/connection", "#/allOf/1/properties/connection/enum", "enum",
                  {"allowedValues": ["system", "organization", "specific"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/internal_tools/tools/1",
                  "#/allOf/1/properties/internal_tools/properties/tools/items/enum", "enum",
                  {"allowedValues": SPEC["components"]["schemas"]["InternalToolKey"]["enum"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/telnyx_ai_assistant_config/voice_provider",
                  f"{config}/anyOf/0/properties/voice_provider/enum", "enum",
                  {"allowedValues": ["telnyx", "elevenlabs", "aws", "azure", "rime", "resemble",
                                     "minimax", "inworld"]},
                  "must be equal to one of the allowed values"),
        ajv_error("body", "/telnyx_ai_assistant_config/voice_speed",
                  f"{config}/anyOf/0/properties/voice_speed/type", "type",
                  {"type": ["number", "null"]}, "must be number,null"),
        ajv_error("body", "/telnyx_ai_assistant_config", f"{config}/anyOf/1/type", "type",
                  {"type": "null"}, "must be null"),
        ajv_error("body", "/telnyx_ai_assistant_config", f"{config}/anyOf", "anyOf", {},
                  "must match a schema in anyOf")))


def test_a_missing_body_lists_every_required_field(apex, feathers, ajv_error):
    response = apex.post("/ai-assistants")
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(*(
        ajv_error("body", "", "#/required", "required", {"missingProperty": name},
                  f"must have required property '{name}'")
        for name in ("organization_id", "name", "assistant_type", "ai_model_id"))))


def test_a_body_that_is_not_json_content_is_no_body(apex, feathers):
    response = apex.post("/ai-assistants", content=json.dumps(VALID_ASSISTANT),
                         headers={"content-type": "text/plain"})
    assert response.status_code == 400
    assert [v["params"]["missingProperty"] for v in response.json()["data"]] == [
        "organization_id", "name", "assistant_type", "ai_model_id"]


def test_a_json_content_type_with_a_suffix_or_charset_is_json(apex):
    body = json.dumps({"organization_id": apex.organization_id, **VALID_ASSISTANT})
    for content_type in ("application/json; charset=utf-8", "application/vnd.api+json"):
        response = apex.post("/ai-assistants", content=body,
                             headers={"content-type": content_type})
        assert response.status_code == 201, content_type


def test_path_violations_come_before_body_violations(apex, feathers, ajv_error):
    response = apex.patch("/ai-assistants/first", json={"name": ""})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("path", "/id", "#/properties/id/type", "type", {"type": "integer"},
                  "must be integer"),
        ajv_error("body", "/name", "#/allOf/0/properties/name/minLength", "minLength",
                  {"limit": 1}, "must NOT have fewer than 1 characters")))


def test_query_violations_are_listed_with_their_location(apex, feathers, ajv_error):
    response = apex.get("/reservation-available-slots", params={
        "service_id": "one", "date": "tomorrow", "organization_id": "1", "$skip": "-2"})
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("query", "/service_id", "#/properties/service_id/type", "type",
                  {"type": "integer"}, "must be integer"),
        ajv_error("query", "/date", "#/properties/date/pattern", "pattern",
                  {"pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                  'must match pattern "^\\d{4}-\\d{2}-\\d{2}$"'),
        ajv_error("query", "/date", "#/properties/date/format", "format", {"format": "date"},
                  'must match format "date"'),
        ajv_error("query", "/$skip", "#/properties/%24skip/minimum", "minimum",
                  {"comparison": ">=", "limit": 0}, "must be >= 0")))


@pytest.mark.parametrize("path", ["/ai-assistants/abc", "/ai-assistants/1.5",
                                  "/api-tools/%00", "/reservations/%F0%9F%98%80"])
def test_an_id_that_is_not_an_integer_answers_400(apex, feathers, ajv_error, path):
    response = apex.get(path)
    assert (response.status_code, response.json()) == (400, feathers.validation_failed(
        ajv_error("path", "/id", "#/properties/id/type", "type", {"type": "integer"},
                  "must be integer")))


# --- bodies that are not JSON ---------------------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    (b'{"name": }', "Unexpected token } in JSON at position 9"),
    (b'{"name" "x"}', "Unexpected string in JSON at position 8"),
    (b'{"name": "x"', "Unexpected end of JSON input"),
    (b'{"a": NaN}', "Unexpected token N in JSON at position 6"),
    (b'"just a string"', "invalid JSON, only supports object and array"),
    (b"42", "invalid JSON, only supports object and array"),
    (b'{"a": 1e999}', "Number 1e999 is out of range"),
    (b'{"a": ' + b"9" * 5000 + b"}", "Number 999999999999999999999... is out of range"),
    (b'{"a":' * 5000 + b"1" + b"}" * 5000, "Maximum call stack size exceeded"),
])
def test_invalid_json_answers_400_with_node_s_message(apex, feathers, raw, message):
    response = apex.post("/ai-assistants", content=raw,
                         headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (400, feathers.invalid_json(message))


def test_invalid_json_is_refused_on_every_operation_that_reads_a_body(apex, feathers):
    for method, path in OPERATIONS:
        if method not in ("POST", "PATCH"):
            continue
        response = apex.request(method, path.replace("{id}", "1"), content=b"{oops",
                                headers={"content-type": "application/json"})
        assert (response.status_code, response.json()) == (400, feathers.invalid_json(
            "Unexpected token o in JSON at position 1")), (method, path)


def test_invalid_utf8_and_lone_surrogates_are_replaced(apex):
    raw = (b'{"organization_id": %d, "name": "a\xffb", "assistant_type": "voice", '
           b'"ai_model_id": 1, "instructions": "x\\ud800y", "advanced_options": {"\\udfff": 1}}'
           % apex.organization_id)
    response = apex.post("/ai-assistants", content=raw,
                         headers={"content-type": "application/json"})
    created = response.json()
    assert response.status_code == 201
    assert (created["name"], created["instructions"], created["advanced_options"]) == (
        "a\ufffdb", "x\ufffdy", {"\ufffd": 1})
    assert apex.ok("GET", "/ai-assistants")["data"] == [created]


def test_a_surrogate_pair_is_kept(apex):
    created = apex.create_assistant(name="\U0001F600 bot")
    assert apex.ok("GET", f"/ai-assistants/{created['id']}")["name"] == "\U0001F600 bot"


# --- 404 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("operation", PER_ID)
def test_an_unknown_id_answers_404_on_every_per_id_operation(apex, feathers, operation):
    method, path = operation.split(" ")
    response = apex.request(method, path.replace("{id}", "987654321"),
                            json=PER_ID_BODIES.get(operation))
    assert (response.status_code, response.json()) == (404, feathers.not_found(987654321))


@pytest.mark.parametrize("path", ["/", "/assistants", "/ai-assistants/1/skills",
                                  "/AI-ASSISTANTS", "/ai-assistants//1", "/organizations/1",
                                  "/v3/ai-assistants", "/%00"])
def test_an_unknown_path_answers_feathers_404(apex, feathers, path):
    response = apex.get(path)
    decoded = path.replace("%00", "\x00")
    assert (response.status_code, response.json()) == (404, feathers.no_path(decoded))


def test_an_unknown_path_answers_404_without_a_key_too(apex_as, feathers):
    response = apex_as(None).delete("/nothing/here")
    assert (response.status_code, response.json()) == (404, feathers.no_path("/nothing/here"))


# --- 405 ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), NOT_SERVED)
def test_a_method_the_path_does_not_serve_answers_405(apex, feathers, method, path):
    response = apex.request(method, path.replace("{id}", "1"), json={})
    served = [m for m in METHODS if m.lower() in SPEC["paths"][path]]
    feathers_method = FEATHERS_METHODS[(method, "{id}" in path)]
    assert (response.status_code, response.json()) == (
        405, feathers.method_not_allowed(feathers_method))
    assert sorted(response.headers["allow"].split(", ")) == sorted(served)


def test_405_comes_before_authentication(apex_as, feathers):
    response = apex_as(None).request("PUT", "/ai-assistants/1", json={})
    assert (response.status_code, response.json()) == (405, feathers.method_not_allowed(
        "update"))


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PURGE"])
def test_other_methods_answer_405_naming_them(apex, feathers, method):
    response = apex.request(method, "/ai-assistants")
    assert (response.status_code, response.json()) == (405, feathers.method_not_allowed(
        method.lower()))


# --- 413 ------------------------------------------------------------------------------------

def test_a_body_over_the_default_limit_answers_413(apex, feathers):
    body = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = apex.post("/ai-assistants", content=body,
                         headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (413, feathers.payload_too_large)


def test_the_limit_is_inclusive(client_for, feathers):
    apex = client_for(create_app(Settings(max_body_bytes=512)))()
    body = json.dumps({"organization_id": apex.organization_id, **VALID_ASSISTANT,
                       "instructions": ""}).encode()
    padded = body[:-2] + b" " * (512 - len(body)) + body[-2:]
    accepted = apex.post("/ai-assistants", content=padded,
                         headers={"content-type": "application/json"})
    refused = apex.post("/ai-assistants", content=padded + b" ",
                        headers={"content-type": "application/json"})
    assert (len(padded), accepted.status_code) == (512, 201)
    assert (refused.status_code, refused.json()) == (413, feathers.payload_too_large)


def test_a_body_over_the_limit_is_refused_on_every_operation(client_for, feathers):
    apex = client_for(create_app(Settings(max_body_bytes=64)))()
    for method, path in OPERATIONS:
        response = apex.request(method, path.replace("{id}", "1"), content=b"[" + b"1," * 64
                                + b"1]", headers={"content-type": "application/json"})
        assert (response.status_code, response.json()) == (413, feathers.payload_too_large), (
            method, path)


# --- never a 5xx ----------------------------------------------------------------------------

ODD_STRINGS = ["\x00", "%00", "../../etc/passwd", "..%2F..%2F", "\U0001F600\u202e\ufeff",
               "\ud7ff\ue000", "x" * 5000, "null", "true", "-0", "1e400", "NaN", "Infinity",
               "9" * 400, "[]", "{}", "' OR 1=1 --", "<script>", "\\", "%", "%%%%"]
ODD_QUERIES = [
    "name=%00", "name[$in][]=%00", "$limit=1e400", "$limit=99999999999999999999999999",
    "$skip=1e30", "id=1e400", "id[$gt]=-1e400", "created_at[$lte]=9999-99-99T00:00:00Z",
    "created_at[$lte]=%F0%9F%98%80", "$sort[id]=1e5", "a[b][c][d][e][f][g][h]=1",
    "name[$in][999]=x", "%00=1", "$or[0][name]=x", "$or=1", "$and[0][$or][0][name]=x",
    "name[$ne][$ne]=1", "$select=name", "$select[]=nope", "deleted_at=garbage",
    "ai_model_id=99999999999999999999999", "ai_model_id[$in][]=1.5", "id=../../etc",
    "$limit[]=1", "$sort=1", "$sort[]=1", "start_time[$gt]=2026-01-01T00:00:00+99:99",
    "created_at=2026-01-01T00:00:00.9999999999Z", "ai_assistant_id=%ED%A0%80",
    "created_at[$lte]=0001-01-01T00:00:00%2B01:00", "__proto__[x]=1", "constructor=1",
    "date=2026-02-30&service_id=1&organization_id=1", "date=0001-01-01&service_id=1",
    "date=9999-12-31&service_id=1&organization_id=1", "&&&", "=", "[]=1", "$limit=%20",
]
DEEP_LIST: Any = 0
for _ in range(300):
    DEEP_LIST = [DEEP_LIST]
ODD_BODIES = [
    [], [1, 2], {"query": 5}, {"query": None}, {"query": [1]}, {"query": {"$or": {}}},
    {"organization_id": 10**30, "ai_model_id": -(10**30), "name": "n", "assistant_type": "voice"},
    {"organization_id": 1e308, "name": "\U0001F600", "assistant_type": "voice",
     "ai_model_id": 1.0},
    {"name": "x", "easy_mode_config": DEEP_LIST, "advanced_options": {"a": DEEP_LIST}},
    {"url": "http://[::1", "authentication_type": "none"},
    {"url": "https://a:99999999/x", "authentication_type": "none"},
    {"url": "http://x\x00y/", "authentication_type": "none"},
    {"start_time": "9999-12-31T23:59:59Z", "end_time": "9999-12-31T23:59:59.999-01:00",
     "service_id": 1, "organization_id": 1},
    {"start_time": "0001-01-01T00:00:00+01:00", "end_time": "0001-01-01T00:30:00Z",
     "service_id": 1, "organization_id": 1},
    {"ai_assistant_id": 10**30, "change_history_id": 1},
    {"telnyx_ai_assistant_config": {"voice_speed": 1e308}, "name": "ok"},
    {"deleted_at": None, "name": "\x00"}, {"__proto__": {"admin": True}},
    {"constructor": {"prototype": {"x": 1}}}, {s: s for s in ODD_STRINGS},
]


class Sweep:
    """Runs one odd input against every operation; collects what was not a clean answer."""

    def __init__(self, apex) -> None:
        self.apex = apex
        assistant = apex.create_assistant()
        skill = apex.create_skill(assistant["id"])
        self.ids = {"/ai-assistants/{id}": assistant["id"], "/api-tools/{id}": 1,
                    "/ai-assistant-skills/{id}": skill["id"],
                    "/ai-assistants-change-history/{id}": 1, "/reservations/{id}": 1}
        self.failures: list[str] = []

    def run(self, method: str, path: str, **kwargs: Any) -> None:
        url = path.replace("{id}", str(self.ids.get(path, 1)))
        try:
            response = self.apex.request(method, url, **kwargs)
        except AssertionError as problem:  # check_answer: a 5xx, not JSON, or off-spec
            self.failures.append(f"{method} {url} {kwargs}: {str(problem)[:300]}")
            return
        if not feathers_shaped(response):
            self.failures.append(f"{method} {url} {kwargs}: {response.text[:300]}")


@pytest.fixture
def sweep(apex) -> Sweep:
    return Sweep(apex)


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_query_strings_never_get_a_5xx(sweep, query):
    for method, path in OPERATIONS:
        sweep.run(method, f"{path}?{query}", json={} if method in ("POST", "PATCH") else None)
    assert sweep.failures == []


@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_odd_json_bodies_never_get_a_5xx(sweep, body):
    for method, path in OPERATIONS:
        sweep.run(method, path, json=body)
    assert sweep.failures == []


@pytest.mark.parametrize("segment", ["%00", "..%2F..%2Fetc", "%2e%2e", "-1", "0", "1.0",
                                     "99999999999999999999999999", "1e3", "%F0%9F%98%80",
                                     "%ED%A0%80", "%20", "null", "' OR 1=1"])
def test_odd_ids_never_get_a_5xx(sweep, segment):
    for method, path in OPERATIONS:
        if "{id}" in path:
            sweep.run(method, path.replace("{id}", segment),
                      json={} if method == "PATCH" else None)
    assert sweep.failures == []


@pytest.mark.parametrize("value", ODD_STRINGS)
def test_odd_strings_in_every_body_field_never_get_a_5xx(sweep, value):
    for method, path in OPERATIONS:
        if method in ("POST", "PATCH"):
            fields = {"name", "url", "endpoint", "start_time", "timezone", "instructions",
                      "authentication_type", "api_key", "content", "notes", "status"}
            sweep.run(method, path, json={field: value for field in fields})
    assert sweep.failures == []


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8)
FIELD_NAMES = st.sampled_from([
    "organization_id", "name", "assistant_type", "ai_model_id", "deleted_at", "url",
    "authentication_type", "api_key", "assistant_id", "content", "service_id", "start_time",
    "end_time", "status", "ai_assistant_id", "change_history_id", "telnyx_ai_assistant_config",
    "api_tools", "internal_tools", "query", "$limit", "method", "endpoint", "description"])
QUERY_KEYS = st.sampled_from(["name", "id", "$limit", "$skip", "$sort[id]", "name[$in][]",
                              "created_at[$lte]", "$or[0][name]", "service_id", "date",
                              "organization_id", "deleted_at[$ne]", "x[$y]", "$select[]"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operation=st.sampled_from(OPERATIONS),
       body=st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=5) | JSON_VALUES,
       query=st.lists(st.tuples(QUERY_KEYS, st.text(max_size=6)), max_size=4),
       segment=st.sampled_from(["1", "0", "-1", "abc", "%00"]))
def test_random_requests_never_get_a_5xx(apex_as, operation, body, query, segment):
    apex = apex_as()
    method, path = operation
    response = apex.request(method, path.replace("{id}", segment), params=query,
                            json=body if method != "DELETE" else None)
    assert feathers_shaped(response), response.text
