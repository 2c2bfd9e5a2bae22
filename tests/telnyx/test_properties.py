"""Properties of the Telnyx fake over generated inputs (Hypothesis, bounded for CI).

- tenant isolation: nothing one key does changes what another key sees;
- updates round-trip: a valid update (generated from the spec by Schemathesis) is answered,
  and read back, with every sent field as the spec's pydantic model normalises it;
- every assistant answered for a generated body is one the telnyx SDK accepts strictly;
- invalid requests are answered exactly as FastAPI answers them: a FastAPI app built here
  from the same spec-derived pydantic models is the oracle for status and body;
- the list and the per-id GET always agree.
"""

from __future__ import annotations

import inspect
import json
import uuid
import warnings
from collections.abc import Callable
from typing import Annotated, Any

import httpx
import pytest
import schemathesis
from fastapi import Body, FastAPI, Path, Query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from schemathesis.generation import GenerationMode
from telnyx._models import validate_type
from telnyx.types.ai import InferenceEmbedding

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from assistant_fake.core.schema_models import SchemaModelFactory
from assistant_fake.core.specs import load_spec

SPEC = load_spec("telnyx-ai-assistants.yaml")
SCHEMAS = "#/components/schemas/"
ASSISTANTS = "/ai/assistants"
ONE_ASSISTANT = "/ai/assistants/{assistant_id}"
MULTI_INSTANCE_TOOL_TYPES = {"function", "webhook", "client_side_tool"}
"""Tool types an assistant may carry more than once (Telnyx refuses a second of any other)."""
SDK_UNMODELLED_TOOL_TYPES = {"book_appointment", "check_availability"}
"""Seed-era tool types the spec accepts (the reference: "accept them") but the SDK's Assistant
response model does not know, so a strict SDK refuses an answer carrying one."""
ABSENT = object()

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large])


def new_key() -> str:
    return f"prop-{uuid.uuid4()}"


class Caller:
    """One API key's requests to the fake's /v2 (in process), raw answers only."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client = client
        self.key = key

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        response = self.client.request(method, "/v2" + path, headers=headers, **kwargs)
        assert response.status_code < 500, f"{method} {path}: {response.text}"
        return response

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    def create(self, **fields: Any) -> dict[str, Any]:
        return self.ok("POST", ASSISTANTS, json={"name": "Bot", "instructions": "Help.", **fields})


# --- spec-derived generation -----------------------------------------------------------------

def _body_strategy(path: str, method: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = schemathesis.openapi.from_dict(SPEC)
    operation = schema[path][method]
    cases = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    return cases.map(lambda case: json.loads(json.dumps(case.body)))


def _without_duplicate_tools(body: dict[str, Any]) -> dict[str, Any]:
    """The body with only the first tool of each single-instance type (a rule, not a schema)."""
    tools = body.get("tools")
    if not isinstance(tools, list):
        return body
    kept, seen = [], set()
    for tool in tools:
        kind = tool.get("type")
        if kind not in MULTI_INSTANCE_TOOL_TYPES:
            if kind in seen:
                continue
            seen.add(kind)
        kept.append(tool)
    return {**body, "tools": kept}


def _promoting(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "promote_to_main"}


UPDATE_BODIES = _body_strategy(ONE_ASSISTANT, "POST").map(_without_duplicate_tools)
CREATE_BODIES = _body_strategy(ASSISTANTS, "POST").map(_without_duplicate_tools)

_FACTORY = SchemaModelFactory(SPEC)
UPDATE_MODEL = TypeAdapter(_FACTORY.annotation({"$ref": SCHEMAS + "AssistantUpdateRequest"},
                                               "AssistantUpdateRequest"))


def normalised(body: dict[str, Any]) -> dict[str, Any]:
    """The sent fields as the spec's update model reads them (defaults left out)."""
    model = UPDATE_MODEL.validate_python(body, from_attributes=True)
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def assert_shows(actual: Any, expected: Any, where: str = "") -> None:
    """``actual`` holds ``expected``: objects may carry more keys (defaults, merged values);
    a null means "not set"; lists and scalars are equal."""
    if expected is None:
        assert actual is ABSENT or actual is None, where
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r}"
        for key, value in expected.items():
            assert_shows(actual.get(key, ABSENT), value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_shows(got, want, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


# --- tenant isolation ------------------------------------------------------------------------

OWN_OPS = ("create", "update", "draft", "promote", "soft_delete", "hard_delete", "restore",
           "tag", "untag", "clone", "canary", "schedule", "attach_tool", "create_test")
FOREIGN_OPS = ("update", "soft_delete", "hard_delete", "restore", "tag", "untag", "clone",
               "versions", "canary", "attach_tool", "chat")
TAGS = st.sampled_from(["shared", "vip", "b-only"])
OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("own"), st.sampled_from(OWN_OPS), st.integers(0, 7), TAGS),
    st.tuples(st.just("foreign"), st.sampled_from(FOREIGN_OPS), st.integers(0, 2), TAGS),
), max_size=10)


def _latest_version(caller: Caller, assistant_id: str) -> str | None:
    response = caller.request("GET", f"{ONE_ASSISTANT.format(assistant_id=assistant_id)}/versions")
    data = response.json().get("data", []) if response.status_code == 200 else []
    return data[0]["version_id"] if data else None


def run_own(caller: Caller, op: str, ids: list[str], index: int, tag: str) -> None:
    """One operation of key A on A's own assistants; anything but a 5xx is fine."""
    if op == "create" or not ids:
        ids.append(caller.create(tags=[tag])["id"])
        return
    target = ids[index % len(ids)]
    base = ONE_ASSISTANT.format(assistant_id=target)
    if op == "update":
        caller.request("POST", base, json={"name": f"Renamed {index}", "tags": [tag]})
    elif op == "draft":
        caller.request("POST", base, json={"greeting": "Draft", "promote_to_main": False})
    elif op == "promote":
        version = _latest_version(caller, target)
        if version:
            caller.request("POST", f"{base}/versions/{version}/promote")
    elif op in ("soft_delete", "hard_delete"):
        caller.request("DELETE", base, params={"hard_delete": op == "hard_delete"})
    elif op == "restore":
        caller.request("POST", f"{base}/restore")
    elif op == "tag":
        caller.request("POST", f"{base}/tags", json={"tag": tag})
    elif op == "untag":
        caller.request("DELETE", f"{base}/tags/{tag}")
    elif op == "clone":
        response = caller.request("POST", f"{base}/clone")
        if response.status_code == 200:
            ids.append(response.json()["id"])
    elif op == "canary":
        version = _latest_version(caller, target)
        caller.request("POST", f"{base}/canary-deploys",
                       json={"rules": [{"serve": {"version_id": version}}]})
    elif op == "schedule":
        caller.request("POST", f"{base}/scheduled_events", json={
            "telnyx_conversation_channel": "sms_chat", "text": "Hi",
            "telnyx_end_user_target": "+13125550100", "telnyx_agent_target": "+13125550199",
            "scheduled_at_fixed_datetime": "2031-01-01T00:00:00Z"})
    elif op == "attach_tool":
        caller.request("PUT", f"{base}/tools/tool-{tag}")
    elif op == "create_test":
        caller.ok("POST", f"{ASSISTANTS}/tests", json={
            "name": f"Test {index}", "destination": "+13125550100", "instructions": "Ask.",
            "test_suite": tag, "rubric": [{"name": "Polite", "criteria": "Greets."}]})


def run_foreign(caller: Caller, op: str, target: str, tag: str) -> None:
    """Key A reaching for one of key B's assistants: always a 404."""
    base = ONE_ASSISTANT.format(assistant_id=target)
    method, path, kwargs = {
        "update": ("POST", base, {"json": {"name": "Hijacked"}}),
        "soft_delete": ("DELETE", base, {}),
        "hard_delete": ("DELETE", base, {"params": {"hard_delete": "true"}}),
        "restore": ("POST", f"{base}/restore", {}),
        "tag": ("POST", f"{base}/tags", {"json": {"tag": tag}}),
        "untag": ("DELETE", f"{base}/tags/{tag}", {}),
        "clone": ("POST", f"{base}/clone", {}),
        "versions": ("GET", f"{base}/versions", {}),
        "canary": ("POST", f"{base}/canary-deploys", {"json": {"rules": []}}),
        "attach_tool": ("PUT", f"{base}/tools/tool-1", {}),
        "chat": ("POST", f"{base}/chat", {"json": {"content": "Hi", "conversation_id": "c"}}),
    }[op]
    response = caller.request(method, path, **kwargs)
    assert response.status_code == 404, f"{op} on another key's assistant: {response.text}"


def tenant_view(caller: Caller, own_ids: list[str], foreign_ids: list[str]) -> dict[str, Any]:
    """Everything ``caller`` can read; another key's ids must all be 404s."""
    view: dict[str, Any] = {
        "list": caller.ok("GET", ASSISTANTS),
        "deleted": caller.ok("GET", f"{ASSISTANTS}/deleted", params={"page[size]": 100}),
        "tags": caller.ok("GET", f"{ASSISTANTS}/tags"),
        "tests": caller.ok("GET", f"{ASSISTANTS}/tests", params={"page[size]": 100}),
        "suites": caller.ok("GET", f"{ASSISTANTS}/tests/test-suites"),
    }
    for assistant_id in own_ids:
        base = ONE_ASSISTANT.format(assistant_id=assistant_id)
        for suffix in ("", "/deleted", "/versions", "/canary-deploys"):
            response = caller.request("GET", base + suffix)
            view[base + suffix] = (response.status_code, response.json())
    for assistant_id in foreign_ids:
        base = ONE_ASSISTANT.format(assistant_id=assistant_id)
        for suffix in ("", "/deleted", "/versions", "/canary-deploys", "/texml"):
            status = caller.request("GET", base + suffix).status_code
            assert status == 404, f"another key's {base + suffix} answered {status}"
    return view


def seed_tenant(caller: Caller) -> list[str]:
    """Key B's starting state: tagged, versioned, canaried and soft-deleted assistants."""
    tagged = caller.create(tags=["shared", "b-only"])["id"]
    versioned = caller.create(name="Versioned")["id"]
    base = ONE_ASSISTANT.format(assistant_id=versioned)
    draft = caller.ok("POST", base, json={"greeting": "Draft", "promote_to_main": False})
    caller.ok("POST", f"{base}/canary-deploys",
              json={"rules": [{"serve": {"version_id": draft["version_id"]}}]})
    deleted = caller.create(name="Deleted")["id"]
    caller.ok("DELETE", ONE_ASSISTANT.format(assistant_id=deleted))
    caller.ok("POST", f"{ASSISTANTS}/tests", json={
        "name": "B test", "destination": "+13125550100", "instructions": "Ask.",
        "test_suite": "shared", "rubric": [{"name": "Polite", "criteria": "Greets."}]})
    return [tagged, versioned, deleted]


@settings(PROPERTY_SETTINGS, max_examples=25)
@given(operations=OPERATIONS)
def test_one_keys_operations_never_change_another_keys_view(http: TestClient,
                                                           operations: list[tuple]) -> None:
    key_a, key_b = Caller(http, new_key()), Caller(http, new_key())
    b_ids = seed_tenant(key_b)
    before = tenant_view(key_b, b_ids, [])
    a_ids: list[str] = []
    for side, op, index, tag in operations:
        if side == "own":
            run_own(key_a, op, a_ids, index, tag)
        else:
            run_foreign(key_a, op, b_ids[index % len(b_ids)], tag)
    assert tenant_view(key_b, b_ids, a_ids) == before


# --- update round trips ----------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(body=UPDATE_BODIES.map(_promoting))
def test_update_answer_is_what_retrieve_shows(http: TestClient, body: dict[str, Any]) -> None:
    caller = Caller(http, new_key())
    path = ONE_ASSISTANT.format(assistant_id=caller.create()["id"])
    updated = caller.ok("POST", path, json=body)
    assert caller.ok("GET", path) == updated


@PROPERTY_SETTINGS
@given(body=UPDATE_BODIES.map(_promoting))
def test_update_answer_shows_every_sent_field_as_the_model_normalises_it(
        http: TestClient, body: dict[str, Any]) -> None:
    caller = Caller(http, new_key())
    path = ONE_ASSISTANT.format(assistant_id=caller.create()["id"])
    updated = caller.ok("POST", path, json=body)
    sent = normalised(body)
    assert "tool_ids" not in updated
    for field in sent.keys() - {"tool_ids", "promote_to_main"}:
        assert_shows(updated.get(field, ABSENT), sent[field], field)


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(body=UPDATE_BODIES)
def test_unpromoted_update_is_read_back_from_its_version(http: TestClient,
                                                         body: dict[str, Any]) -> None:
    caller = Caller(http, new_key())
    created = caller.create()
    path = ONE_ASSISTANT.format(assistant_id=created["id"])
    updated = caller.ok("POST", path, json={**body, "promote_to_main": False})
    assert caller.ok("GET", f"{path}/versions/{updated['version_id']}") == updated
    assert caller.ok("GET", path) == created


def _without_sdk_unmodelled_tools(body: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(body.get("tools"), list):
        return body
    return {**body, "tools": [tool for tool in body["tools"]
                              if tool.get("type") not in SDK_UNMODELLED_TOOL_TYPES]}


@PROPERTY_SETTINGS
@given(create=CREATE_BODIES.map(_without_sdk_unmodelled_tools),
       update=UPDATE_BODIES.map(_without_sdk_unmodelled_tools))
def test_assistant_answers_are_ones_the_sdk_accepts_strictly(
        http: TestClient, create: dict[str, Any], update: dict[str, Any]) -> None:
    caller = Caller(http, new_key())
    created = caller.ok("POST", ASSISTANTS, json=create)
    validate_type(type_=InferenceEmbedding, value=created)
    updated = caller.ok("POST", ONE_ASSISTANT.format(assistant_id=created["id"]), json=update)
    validate_type(type_=InferenceEmbedding, value=updated)


# --- 422s are FastAPI's own ------------------------------------------------------------------

def _operation(op_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == op_id:
                return path, method, operation
    raise KeyError(op_id)


def _twin_endpoint(factory: SchemaModelFactory, op_id: str,
                   operation: dict[str, Any]) -> Callable[..., Any]:
    """A FastAPI endpoint whose parameters are the spec operation's, typed by ``factory``."""
    parameters = []
    for index, param in enumerate(operation.get("parameters", [])):
        annotation = factory.annotation(param["schema"], f"{op_id}_{param['name']}")
        location = param["in"]
        marker = {"path": Path, "query": Query}[location]
        required = param.get("required", location == "path")
        default = inspect.Parameter.empty if required else factory.resolve(
            param["schema"]).get("default")
        parameters.append(inspect.Parameter(
            f"p{index}", inspect.Parameter.KEYWORD_ONLY, default=default,
            annotation=Annotated[annotation, marker(alias=param["name"])]))
    request_body = operation.get("requestBody")
    if request_body:
        schema = request_body["content"]["application/json"]["schema"]
        model = factory.annotation(schema, f"{op_id}_body")
        parameters.append(inspect.Parameter(
            "body", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[model, Body()],
            default=inspect.Parameter.empty if request_body.get("required") else None))

    def endpoint(**_: Any) -> dict[str, Any]:
        return {}

    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = op_id
    return endpoint


TWIN_OPERATIONS = ("list_deleted_assistants", "create_assistant", "get_assistant",
                   "update_assistant", "delete_assistant")


@pytest.fixture(scope="module")
def fastapi_twin() -> TestClient:
    """FastAPI itself, serving the fake's operations with the same spec-derived models."""
    factory = SchemaModelFactory(SPEC)
    twin = FastAPI()
    for op_id in TWIN_OPERATIONS:  # /deleted before /{assistant_id}, as FastAPI needs
        path, method, operation = _operation(op_id)
        twin.add_api_route("/v2" + path, _twin_endpoint(factory, op_id, operation),
                           methods=[method.upper()])
    return TestClient(twin, raise_server_exceptions=True)


@pytest.fixture(scope="module")
def differential_key() -> str:
    return new_key()


def _property_names(schema_name: str) -> list[str]:
    return sorted(_FACTORY.resolve({"$ref": SCHEMAS + schema_name})["properties"])


def _spec_values(key: str) -> set[Any]:
    """Every value the spec lists under ``key`` (enum members, discriminator mappings)."""
    found: set[Any] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get(key)
            if key == "enum" and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str | int | float | bool))
            elif key == "discriminator" and isinstance(value, dict):
                found.update(value.get("mapping", {}))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(SPEC["components"])
    return found


NESTED_NAMES = sorted({name for schema in SPEC["components"]["schemas"].values()
                       for name in (schema.get("properties") or {})})
SPEC_WORDS = sorted(_spec_values("enum") | _spec_values("discriminator"), key=repr)
SCALARS = (st.none() | st.booleans() | st.integers(-(2 ** 40), 2 ** 40)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6)
           | st.sampled_from(SPEC_WORDS)
           | st.sampled_from(["1500", "true", "off", "2026-11-21T10:00:00Z", "", "x" * 51]))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(NESTED_NAMES) | st.text(max_size=4), children, max_size=4) | st.builds(
        lambda tag, rest: {**rest, "type": tag}, st.sampled_from(SPEC_WORDS),
        st.dictionaries(st.sampled_from(NESTED_NAMES), children, max_size=3)),
    max_leaves=12)


def _objects(schema_name: str) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from(_property_names(schema_name))
    return st.dictionaries(names, JSON_VALUES, min_size=1, max_size=5)


def _node_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node below ``value`` (object members and list items)."""
    children = (value.items() if isinstance(value, dict)
                else enumerate(value) if isinstance(value, list) else ())
    paths = []
    for key, child in children:
        paths.append((*prefix, key))
        paths.extend(_node_paths(child, (*prefix, key)))
    return paths


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


@st.composite
def _mutated(draw: st.DrawFn, bodies: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A valid body with one to three nodes, at any depth, replaced by random JSON; half the
    time a union's ``type`` tag is the node replaced, when there is one."""
    body = draw(bodies)
    for _ in range(draw(st.integers(1, 3))):
        paths = _node_paths(body)
        tags = [path for path in paths if path[-1] == "type"]
        if tags and draw(st.booleans()):
            paths = tags
        if not paths:
            break
        body = _replaced(body, draw(st.sampled_from(paths)), draw(JSON_VALUES))
    return body


def _json(value: Any) -> dict[str, Any]:
    return {"content": json.dumps(value).encode(), "headers": {"content-type": "application/json"}}


BROKEN_JSON = st.sampled_from(['{"name": ', "[1,", "nul", '{"a": 1}x', "{'a': 1}", "\ufeff{}",
                               '{"name": "a",}']).map(str.encode)
RAW_BODIES = st.one_of(
    JSON_VALUES.filter(lambda value: not isinstance(value, dict)).map(_json),
    (BROKEN_JSON | st.binary(max_size=8)).map(
        lambda raw: {"content": raw, "headers": {"content-type": "application/json"}}),
    st.tuples(st.sampled_from(["text/plain", "application/x-www-form-urlencoded",
                               "application/vnd.api+json", "application/json; charset=utf-8"]),
              st.text(max_size=10).map(str.encode)).map(
        lambda pair: {"content": pair[1], "headers": {"content-type": pair[0]}}),
    JSON_VALUES.map(lambda value: {"content": json.dumps(value).encode()}),  # no content type
    st.just({}),
)
QUERY_VALUES = st.sampled_from(["", "true", "false", "1", "0", "-1", "yes", "no", "on", "maybe",
                                "abc", "100", "101", "1.5", " 1", "2" * 30, "True", "\uff11"])


def _query(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(st.sampled_from(names), QUERY_VALUES), max_size=4)


REQUESTS = st.one_of(
    st.tuples(st.just("POST"), st.just(ASSISTANTS),
              (_objects("AssistantCreateRequest") | _mutated(CREATE_BODIES)).map(_json)
              | RAW_BODIES, st.just([])),
    st.tuples(st.just("POST"), st.just("/ai/assistants/assistant-missing"),
              (_objects("AssistantUpdateRequest") | _mutated(UPDATE_BODIES)).map(_json)
              | RAW_BODIES, st.just([])),
    st.tuples(st.just("GET"), st.just("/ai/assistants/assistant-missing"), st.just({}),
              _query(["fetch_dynamic_variables_from_webhook", "from", "to", "call_control_id"])),
    st.tuples(st.just("DELETE"), st.just("/ai/assistants/assistant-missing"), st.just({}),
              _query(["hard_delete"])),
    st.tuples(st.just("GET"), st.just("/ai/assistants/deleted"), st.just({}),
              _query(["page[number]", "page[size]"])),
)


@settings(PROPERTY_SETTINGS, max_examples=400)
@given(request=REQUESTS)
def test_invalid_requests_are_answered_as_fastapi_answers_them(
        http: TestClient, fastapi_twin: TestClient, differential_key: str,
        request: tuple[str, str, dict[str, Any], list[tuple[str, str]]]) -> None:
    method, path, body, query = request
    headers = {"Authorization": f"Bearer {differential_key}", **body.get("headers", {})}
    sent = {"params": query, "headers": headers, "content": body.get("content")}
    expected = fastapi_twin.request(method, "/v2" + path, **sent)
    answered = http.request(method, "/v2" + path, **sent)
    assert answered.status_code < 500, answered.text
    if expected.status_code in (400, 422):
        assert (answered.status_code, answered.json()) == (expected.status_code,
                                                           expected.json())
    else:
        assert answered.status_code not in (400, 422) or (
            answered.status_code == 400 and answered.json()["errors"][0]["code"] == "10015"), \
            answered.text


# --- list and get agree ----------------------------------------------------------------------

@settings(PROPERTY_SETTINGS, max_examples=25)
@given(creates=st.lists(CREATE_BODIES, min_size=1, max_size=3),
       updates=st.lists(st.tuples(st.integers(0, 2), UPDATE_BODIES), max_size=2),
       deletions=st.sets(st.integers(0, 2), max_size=2))
def test_every_listed_assistant_is_what_get_answers(
        http: TestClient, creates: list[dict[str, Any]],
        updates: list[tuple[int, dict[str, Any]]], deletions: set[int]) -> None:
    caller = Caller(http, new_key())
    ids = [caller.ok("POST", ASSISTANTS, json=body)["id"] for body in creates]
    for index, body in updates:
        caller.ok("POST", ONE_ASSISTANT.format(assistant_id=ids[index % len(ids)]), json=body)
    for index in deletions:
        caller.request("DELETE", ONE_ASSISTANT.format(assistant_id=ids[index % len(ids)]))
    listed = caller.ok("GET", ASSISTANTS)["data"]
    deleted = caller.ok("GET", f"{ASSISTANTS}/deleted", params={"page[size]": 100})["data"]
    assert sorted(a["id"] for a in listed + deleted) == sorted(ids)
    for assistant in listed:
        assert caller.ok("GET", ONE_ASSISTANT.format(assistant_id=assistant["id"])) == assistant
    for assistant in deleted:
        path = ONE_ASSISTANT.format(assistant_id=assistant["id"]) + "/deleted"
        assert caller.ok("GET", path) == assistant
