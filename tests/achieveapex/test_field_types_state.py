"""field_types: the query engine's types of a record, read from the spec's schema."""

from __future__ import annotations

import pytest

from assistant_fake.core.specs import load_spec
from assistant_fake.vendors.achieveapex.field_types import SPEC_FILE, field_types
from assistant_fake.vendors.achieveapex.query import parse_query

RECORDS = ("AiAssistant", "ChangeHistory", "AiAssistantSkill", "ApiTool", "Organization",
           "ReservationService", "ReservationSlot", "Reservation")


def test_allof_parts_and_own_properties_are_all_fields() -> None:
    assert field_types("AiAssistantSkill") == {
        "assistant_id": "integer", "organization_id": "integer", "name": "string",
        "content": "string", "when_to_use": "string", "id": "integer",
        "created_at": "date-time", "updated_at": "date-time"}


def test_type_lists_with_null_are_nullable() -> None:
    types = field_types("Reservation")
    assert (types["resource_id"], types["notes"], types["cancelled_at"]) == (
        "integer|null", "string|null", "date-time|null")


def test_a_ref_to_an_enum_is_its_type() -> None:
    assert (field_types("Reservation")["status"], field_types("ApiTool")["method"]) == (
        "string", "string")


def test_anyof_a_ref_or_null_is_the_refs_type_nullable() -> None:
    assert field_types("AiAssistant")["telnyx_ai_assistant_config"] == "object|null"


def test_a_field_of_any_json_value_counts_as_object() -> None:
    assert field_types("ApiTool")["response_example"] == "object"


def test_an_unknown_schema_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        field_types("NoSuchSchema")


def test_callers_get_their_own_copy() -> None:
    field_types("Organization")["extra"] = "string"
    assert "extra" not in field_types("Organization")


@pytest.mark.parametrize("schema_name", RECORDS)
def test_every_record_schema_gives_types_the_engine_accepts(schema_name: str) -> None:
    types = field_types(schema_name)
    assert "id" in types or schema_name == "ReservationSlot"
    parse_query({"$sort": {name: 1 for name in types}, "$select": list(types)},
                field_types=types)


@pytest.mark.parametrize("schema_name", RECORDS)
def test_every_required_field_of_a_record_has_a_type(schema_name: str) -> None:
    schema = load_spec(SPEC_FILE)["components"]["schemas"][schema_name]
    assert set(schema.get("required", ())) <= set(field_types(schema_name))
