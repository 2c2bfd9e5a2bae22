"""FastAPI's request-validation behaviour, reproduced from an OpenAPI operation."""

from __future__ import annotations

from typing import Any

import pytest

from assistant_fake.core.request_validation import (
    BodyUnparseable,
    RawRequest,
    RequestValidationFailed,
    build_validators,
)

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {"/things/{thing_id}": {
        "parameters": [{"name": "thing_id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "get": {"operationId": "get_thing", "parameters": [
            {"name": "flag", "in": "query", "schema": {"type": "boolean", "default": False}},
            {"name": "page[size]", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
            {"name": "ids", "in": "query",
             "schema": {"type": "array", "items": {"type": "integer"}}},
            {"name": "needed", "in": "query", "required": True, "schema": {"type": "string"}},
        ], "responses": {}},
        "post": {"operationId": "update_thing", "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "parameters": [{"name": "flag", "in": "query", "schema": {"type": "boolean"}}],
            "responses": {}},
    }},
    "components": {"schemas": {"Thing": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "count": {"type": "integer"}}}}},
}
VALIDATORS = build_validators(SPEC)


def raw(query: str = "", body: bytes = b"", content_type: str | None = "application/json",
        thing_id: str = "t1") -> RawRequest:
    from urllib.parse import parse_qsl
    headers = {"content-type": content_type} if content_type else {}
    return RawRequest({"thing_id": thing_id}, parse_qsl(query, keep_blank_values=True),
                      headers, body)


def failure(operation: str, request: RawRequest) -> list[dict[str, Any]]:
    with pytest.raises(RequestValidationFailed) as caught:
        VALIDATORS[operation].validate(request)
    return caught.value.errors


def test_query_values_are_coerced_and_defaults_filled():
    result = VALIDATORS["get_thing"].validate(raw("needed=x&flag=yes&ids=1&ids=2"))
    assert result.query == {"flag": True, "page[size]": 20, "ids": [1, 2], "needed": "x"}
    assert result.path == {"thing_id": "t1"}


def test_missing_required_query_parameter_is_reported_with_input_null():
    assert failure("get_thing", raw("")) == [
        {"type": "missing", "loc": ["query", "needed"], "msg": "Field required", "input": None}]


def test_bad_boolean_query_value_is_bool_parsing_at_query_location():
    error = failure("get_thing", raw("needed=x&flag=maybe"))[0]
    assert (error["type"], error["loc"]) == ("bool_parsing", ["query", "flag"])


def test_bracketed_parameter_names_keep_their_brackets_in_loc():
    error = failure("get_thing", raw("needed=x&page%5Bsize%5D=0"))[0]
    assert error["loc"] == ["query", "page[size]"]
    assert error["ctx"] == {"ge": 1}


def test_the_last_repeated_query_value_wins():
    result = VALIDATORS["get_thing"].validate(raw("needed=a&needed=b"))
    assert result.query["needed"] == "b"


def test_query_errors_come_before_body_errors():
    errors = failure("update_thing", raw("flag=maybe", b'{"count": "x"}'))
    assert [e["loc"][0] for e in errors] == ["query", "body", "body"]


def test_invalid_json_is_a_single_json_invalid_error_with_position():
    assert failure("update_thing", raw("flag=maybe", b'{"name": }')) == [
        {"type": "json_invalid", "loc": ["body", 9], "msg": "JSON decode error", "input": {},
         "ctx": {"error": "Expecting value"}}]


def test_missing_body_is_reported_at_body():
    assert failure("update_thing", raw(body=b"")) == [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]


def test_body_that_is_not_an_object_is_model_attributes_type():
    error = failure("update_thing", raw(body=b"[1, 2]"))[0]
    assert (error["type"], error["loc"], error["input"]) == ("model_attributes_type", ["body"],
                                                            [1, 2])


def test_non_json_content_type_leaves_the_body_as_bytes():
    error = failure("update_thing", raw(body=b'{"name": "x"}', content_type="text/plain"))[0]
    assert error["type"] == "model_attributes_type"


def test_missing_content_type_is_not_parsed_as_json():
    error = failure("update_thing", raw(body=b'{"name": "x"}', content_type=None))[0]
    assert error["type"] == "model_attributes_type"


def test_json_suffix_content_types_are_parsed():
    result = VALIDATORS["update_thing"].validate(
        raw(body=b'{"name": "x"}', content_type="application/merge-patch+json; charset=utf-8"))
    assert result.body.name == "x"


def test_bytes_that_are_not_text_cannot_be_parsed():
    with pytest.raises(BodyUnparseable):
        VALIDATORS["update_thing"].validate(raw(body=b"\xff\xfe\xfa"))


def test_deeply_nested_json_is_refused_not_crashing():
    with pytest.raises((BodyUnparseable, RequestValidationFailed)):
        VALIDATORS["update_thing"].validate(raw(body=b"[" * 100_000 + b"]" * 100_000))
