"""AchieveApex request validation: AJV 8's errors (checked against real AJV output), Feathers'
BadRequest bodies, query and path coercion, JSON bodies as Feathers' Koa body parser reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant_fake.core.specs import load_spec
from assistant_fake.vendors.achieveapex import ajv, errors
from assistant_fake.vendors.achieveapex.query import QueryError, parse_query
from assistant_fake.vendors.achieveapex.validation import (
    SPEC_FILE,
    InvalidJsonBody,
    ValidationFailed,
    bad_request_for,
    decode_json_body,
    dereference,
    operation_validator,
    operation_validators,
)

GOLDEN = json.loads((Path(__file__).parent / "golden" / "ajv_errors.json").read_text("utf-8"))
ASSISTANT = {"organization_id": 1, "name": "Helper", "assistant_type": "voice", "ai_model_id": 2}


def _golden_id(case: dict[str, Any]) -> str:
    where = case.get("operation") or case["extra_schema"]
    return f"{where}-{case.get('part', 'extra')}-{case['note']}"


def _ours(case: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
    # input_json keeps the key order of the text, which JavaScript objects would not
    data = json.loads(case["input_json"]) if "input_json" in case else case["input"]
    if "extra_schema" in case:
        return ajv.check(GOLDEN["extra_schemas"][case["extra_schema"]], data,
                         coerce_types=case["coerce"])
    validator = operation_validator(case["operation"])
    if case["part"] == "body":
        return validator.body_errors(data), data
    if case["part"] == "query":
        return validator.query_errors(data)
    return validator.path_errors(data)


# --- Golden: real AJV ------------------------------------------------------------------------

@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_golden_id)
def test_errors_equal_ajvs_in_content_and_order(case):
    found, _ = _ours(case)
    assert found == case["errors"]


@pytest.mark.parametrize("case", [c for c in GOLDEN["cases"] if "coerced" in c], ids=_golden_id)
def test_coerced_data_equals_ajvs(case):
    _, data = _ours(case)
    assert data == case["coerced"]


def test_golden_file_says_where_it_comes_from():
    assert "ajv 8." in GOLDEN["about"] and "ajv-formats" in GOLDEN["about"]


# --- Validators and the spec -----------------------------------------------------------------

def test_every_operation_of_the_spec_has_a_validator():
    spec = load_spec(SPEC_FILE)
    ids = {op["operationId"] for item in spec["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op}
    assert set(operation_validators()) == ids


def test_dereference_merges_annotations_next_to_a_ref():
    document = {"a": {"type": "string", "description": "A"},
                "b": {"$ref": "#/a", "description": "B", "default": "x"}}
    assert dereference(document)["b"] == {"type": "string", "description": "B", "default": "x"}


def test_dereference_refuses_a_recursive_ref():
    with pytest.raises(ValueError, match="cannot inline"):
        dereference({"a": {"items": {"$ref": "#/a"}}})


# --- Error bodies ----------------------------------------------------------------------------

def test_validation_failure_is_a_feathers_bad_request_listing_violations():
    with pytest.raises(ValidationFailed) as caught:
        operation_validator("create_ai_assistant").validate(body={**ASSISTANT, "name": 5})
    assert bad_request_for(caught.value) == {
        "name": "BadRequest", "message": "validation failed", "code": 400,
        "className": "bad-request",
        "data": [{"location": "body", "instancePath": "/name",
                  "schemaPath": "#/allOf/1/properties/name/type", "keyword": "type",
                  "params": {"type": "string"}, "message": "must be string"}],
    }


def test_path_violations_are_listed_before_body_violations():
    with pytest.raises(ValidationFailed) as caught:
        operation_validator("patch_ai_assistant").validate(path_params={"id": "x"},
                                                           body={"name": ""})
    assert [(e["location"], e["instancePath"]) for e in caught.value.errors] == [
        ("path", "/id"), ("body", "/name")]


def test_query_error_becomes_a_bad_request_pointing_into_the_query():
    body = bad_request_for(QueryError("Invalid query parameter $foo", "name[$foo]"))
    assert body["message"] == "Invalid query parameter $foo"
    assert body["data"] == [{"location": "query", "instancePath": "/name/$foo",
                             "message": "Invalid query parameter $foo"}]


def test_invalid_json_becomes_a_bad_request_about_the_whole_body():
    body = bad_request_for(InvalidJsonBody("Unexpected end of JSON input"))
    assert (body["code"], body["message"]) == (400, "Unexpected end of JSON input")
    assert body["data"] == [{"location": "body", "instancePath": "",
                             "message": "Unexpected end of JSON input"}]


def test_not_authenticated_body_is_the_references():
    assert errors.not_authenticated() == {"name": "NotAuthenticated", "message": "Invalid API key",
                                          "code": 401, "className": "not-authenticated"}


def test_too_many_requests_body_is_the_references_plus_class_name():
    assert errors.too_many_requests(current=1001, retry_after=542) == {
        "name": "TooManyRequests", "message": "Rate limit exceeded", "code": 429,
        "className": "too-many-requests",
        "data": {"limit": 1000, "current": 1001, "window": 3600, "retryAfter": 542}}


@pytest.mark.parametrize(("factory", "name", "code", "class_name"), [
    (errors.bad_request, "BadRequest", 400, "bad-request"),
    (errors.forbidden, "Forbidden", 403, "forbidden"),
    (errors.not_found, "NotFound", 404, "not-found"),
    (errors.method_not_allowed, "MethodNotAllowed", 405, "method-not-allowed"),
    (errors.conflict, "Conflict", 409, "conflict"),
    (errors.unprocessable, "Unprocessable", 422, "unprocessable"),
    (errors.general_error, "GeneralError", 500, "general-error"),
])
def test_each_error_factory_gives_feathers_name_code_and_class_name(factory, name, code,
                                                                    class_name):
    assert factory("m") == {"name": name, "message": "m", "code": code, "className": class_name}


def test_unknown_id_gets_the_adapters_not_found_message():
    assert errors.record_not_found(42)["message"] == "No record found for id '42'"


# --- Query coercion and the query engine -----------------------------------------------------

def test_query_strings_are_coerced_to_the_declared_types():
    _, query = operation_validator("list_ai_assistants").query_errors(
        {"$limit": "5", "$sort": {"created_at": "-1"}, "ai_model_id": "3"})
    assert query == {"$limit": 5, "$sort": {"created_at": -1}, "ai_model_id": 3}


def test_empty_query_value_becomes_null_where_null_is_allowed():
    schema = {"type": "object", "properties": {"user": {"type": ["integer", "null"]}}}
    assert ajv.check(schema, {"user": ""}, coerce_types=True) == ([], {"user": None})


def test_query_coercion_leaves_the_callers_query_alone():
    query = {"$limit": "5"}
    operation_validator("list_ai_assistants").query_errors(query)
    assert query == {"$limit": "5"}


def test_infinity_is_not_a_number_for_query_coercion():
    found, _ = operation_validator("list_ai_assistants").query_errors({"$limit": "Infinity"})
    assert [e["message"] for e in found] == ["must be integer"]


def test_sort_direction_zero_is_refused_by_the_spec():
    found, _ = operation_validator("list_ai_assistants").query_errors({"$sort": {"name": "0"}})
    assert [(e["instancePath"], e["keyword"]) for e in found] == [("/$sort/name", "enum")]


def test_undeclared_feathers_syntax_is_left_to_the_query_engine():
    query = {"name": {"$in": ["a", "b"]}, "$select": ["name"], "id": {"$gt": "3"}}
    assert operation_validator("list_ai_assistants").query_errors(query) == ([], query)


def test_declared_operator_is_checked_at_its_own_pointer():
    found, _ = operation_validator("list_ai_assistant_change_history").query_errors(
        {"created_at": {"$lte": "yesterday"}})
    assert [(e["instancePath"], e["keyword"]) for e in found] == [("/created_at/$lte", "format")]


def test_validated_query_goes_on_to_the_query_engine():
    validated = operation_validator("list_ai_assistant_change_history").validate(
        query={"$limit": "2", "created_at": {"$lte": "2026-01-01T00:00:00Z"}})
    parsed = parse_query(validated.query, field_types={"created_at": "date-time"})
    assert parsed.limit == 2


# --- Path ids --------------------------------------------------------------------------------

def test_path_id_is_coerced_to_an_integer():
    assert operation_validator("get_ai_assistant").validate(path_params={"id": "12"}).path == {
        "id": 12}


def test_path_id_that_is_not_an_integer_is_a_path_violation():
    with pytest.raises(ValidationFailed) as caught:
        operation_validator("delete_api_tool").validate(path_params={"id": "abc"})
    assert caught.value.errors == [{
        "location": "path", "instancePath": "/id", "schemaPath": "#/properties/id/type",
        "keyword": "type", "params": {"type": "integer"}, "message": "must be integer"}]


# --- Bodies ----------------------------------------------------------------------------------

def test_body_values_are_not_coerced():
    found = operation_validator("create_ai_assistant").body_errors({**ASSISTANT,
                                                                    "ai_model_id": "2"})
    assert [e["message"] for e in found] == ["must be integer"]


def test_missing_body_is_validated_as_an_empty_object():
    with pytest.raises(ValidationFailed) as caught:
        operation_validator("restore_ai_assistant_from_history").validate()
    assert [e["params"]["missingProperty"] for e in caught.value.errors] == [
        "ai_assistant_id", "change_history_id"]


def test_operation_without_a_body_ignores_one():
    validated = operation_validator("get_ai_assistant").validate(path_params={"id": "1"},
                                                                 body={"x": 1})
    assert validated.body == {"x": 1}


# --- JSON decoding ---------------------------------------------------------------------------

def test_empty_body_decodes_to_an_empty_object():
    assert decode_json_body(b"") == {}


def test_json_syntax_error_gets_node_18s_message():
    with pytest.raises(InvalidJsonBody) as caught:
        decode_json_body(b'{"a":}')
    assert caught.value.message == "Unexpected token } in JSON at position 5"


def test_misplaced_number_is_named_as_node_18_does():
    with pytest.raises(InvalidJsonBody) as caught:
        decode_json_body(b'{"a" 1}')
    assert caught.value.message == "Unexpected number in JSON at position 5"


def test_truncated_json_is_an_unexpected_end():
    with pytest.raises(InvalidJsonBody) as caught:
        decode_json_body(b'{"a": [1, 2')
    assert caught.value.message == "Unexpected end of JSON input"


def test_json_scalar_body_is_refused_like_co_bodys_strict_mode():
    with pytest.raises(InvalidJsonBody) as caught:
        decode_json_body(b'"text"')
    assert caught.value.message == "invalid JSON, only supports object and array"


def test_nan_is_not_json():
    with pytest.raises(InvalidJsonBody) as caught:
        decode_json_body(b'{"a": -Infinity}')
    assert caught.value.message == "Unexpected token I in JSON at position 7"


def test_invalid_utf8_is_replaced_rather_than_refused():
    assert decode_json_body(b'{"name": "a\xffb"}') == {"name": "a\ufffdb"}


def test_byte_order_mark_is_dropped():
    assert decode_json_body(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


# --- JavaScript details ----------------------------------------------------------------------

@pytest.mark.parametrize(("number", "text"), [
    (0, "0"), (-0.0, "0"), (5.0, "5"), (0.5, "0.5"), (1e21, "1e+21"), (1e-7, "1e-7"),
    (123456789.125, "123456789.125"), (1.5e-6, "0.0000015"), (-2.5e30, "-2.5e+30"),
])
def test_numbers_in_messages_are_written_as_javascript_does(number, text):
    assert ajv.js_number_string(number) == text
