"""JSON Schema → pydantic: the constructs the vendors' specs use, and FastAPI's error types."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from assistant_fake.core.schema_models import SchemaModelFactory, to_document

SPEC: dict[str, Any] = {"components": {"schemas": {
    "Feature": {"type": "string", "enum": ["telephony", "messaging"]},
    "Webhook": {"type": "object", "required": ["type", "webhook"], "properties": {
        "type": {"type": "string", "enum": ["webhook"]},
        "webhook": {"type": "object", "required": ["url"], "properties": {
            "url": {"type": "string"},
            "method": {"type": "string", "enum": ["GET", "POST"], "default": "POST"}}}}},
    "Hangup": {"type": "object", "required": ["type", "hangup"], "properties": {
        "type": {"type": "string", "enum": ["hangup"]},
        "hangup": {"type": "object", "properties": {
            "description": {"type": "string", "default": "Hang up."}}}}},
    "Tool": {"oneOf": [{"$ref": "#/components/schemas/Webhook"},
                       {"$ref": "#/components/schemas/Hangup"}],
             "discriminator": {"propertyName": "type"}},
    "Fields": {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 5},
        "from": {"type": "string"},
        "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1500},
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
        "tools": {"type": "array", "items": {"$ref": "#/components/schemas/Tool"}},
        "note": {"type": ["string", "null"]},
        "mode": {"type": "string", "enum": ["a", "b"]},
        "variables": {"type": "object"},
        "when": {"type": "string", "format": "date-time"},
        "targets": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    }},
    "Create": {"allOf": [{"$ref": "#/components/schemas/Fields"},
                         {"type": "object", "required": ["name"]}]},
}}}


@pytest.fixture(scope="module")
def create() -> TypeAdapter:
    factory = SchemaModelFactory(SPEC)
    return TypeAdapter(factory.annotation({"$ref": "#/components/schemas/Create"}, "Create"))


def errors_of(adapter: TypeAdapter, value: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(value, from_attributes=True)
    return caught.value.errors(include_url=False)


def test_all_of_merges_required_properties(create):
    assert errors_of(create, {})[0]["type"] == "missing"
    assert errors_of(create, {})[0]["loc"] == ("name",)


def test_lax_mode_coerces_numeric_strings(create):
    value = create.validate_python({"name": "a", "timeout_ms": "1500"})
    assert to_document(value)["timeout_ms"] == 1500


def test_unknown_properties_are_ignored(create):
    assert "surprise" not in to_document(create.validate_python({"name": "a", "surprise": 1}))


def test_defaults_are_applied_at_every_level(create):
    value = create.validate_python({"name": "a", "tools": [{"type": "webhook",
                                                            "webhook": {"url": "u"}}]})
    document = to_document(value)
    assert document["timeout_ms"] == 1500
    assert document["tools"][0]["webhook"]["method"] == "POST"


def test_partial_documents_keep_only_sent_top_level_fields(create):
    value = create.validate_python({"name": "a"})
    assert to_document(value, top_level_defaults=False) == {"name": "a"}


def test_unsent_optional_fields_without_default_are_left_out(create):
    assert set(to_document(create.validate_python({"name": "a"}))) == {"name", "timeout_ms"}


def test_property_named_like_a_python_keyword_keeps_its_name(create):
    assert to_document(create.validate_python({"name": "a", "from": "+1"}))["from"] == "+1"
    assert errors_of(create, {"name": "a", "from": 1})[0]["loc"] == ("from",)


def test_referenced_enum_is_a_python_enum_error(create):
    error = errors_of(create, {"name": "a", "features": ["fax"]})[0]
    assert error["type"] == "enum"
    assert error["msg"] == "Input should be 'telephony' or 'messaging'"


def test_inline_enum_is_a_literal_error(create):
    assert errors_of(create, {"name": "a", "mode": "c"})[0]["type"] == "literal_error"


def test_discriminated_union_reports_the_invalid_tag(create):
    error = errors_of(create, {"name": "a", "tools": [{"type": "fax"}]})[0]
    assert error["type"] == "union_tag_invalid"
    assert error["ctx"]["discriminator"] == "'type'"


def test_discriminated_union_puts_the_tag_in_the_location(create):
    error = errors_of(create, {"name": "a", "tools": [{"type": "webhook", "webhook": {}}]})[0]
    assert error["loc"] == ("tools", 0, "webhook", "webhook", "url")


def test_non_nullable_optional_field_refuses_null(create):
    assert errors_of(create, {"name": None})[0]["type"] == "string_type"


def test_nullable_field_accepts_null(create):
    assert to_document(create.validate_python({"name": "a", "note": None}))["note"] is None


def test_bounds_become_pydantic_constraints(create):
    types = {e["type"] for e in errors_of(create, {"name": "toolong", "timeout_ms": 0})}
    assert types == {"string_too_long", "greater_than_equal"}


def test_every_error_is_reported(create):
    assert len(errors_of(create, {"name": 1, "timeout_ms": "x", "mode": "c"})) == 3


def test_non_object_body_is_model_attributes_type(create):
    assert errors_of(create, [1])[0]["type"] == "model_attributes_type"


def test_date_time_is_parsed_and_written_back_in_utc(create):
    value = create.validate_python({"name": "a", "when": "2026-01-02T03:04:05Z"})
    assert to_document(value)["when"] == "2026-01-02T03:04:05Z"


def test_untagged_union_accepts_each_member(create):
    assert to_document(create.validate_python({"name": "a", "targets": "x"}))["targets"] == "x"
    assert to_document(create.validate_python({"name": "a", "targets": ["x"]}))["targets"] == ["x"]


def test_free_form_object_keeps_its_content(create):
    value = create.validate_python({"name": "a", "variables": {"k": {"nested": [1]}}})
    assert to_document(value)["variables"] == {"k": {"nested": [1]}}
