"""The admin API's own documentation: /__fake/openapi.json for its Swagger UI."""

from __future__ import annotations

from openapi_spec_validator import validate

from assistant_fake.core.specs import load_spec

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def test_the_admin_docs_are_a_valid_openapi_30_document_for_the_bundled_swagger_ui(fake):
    document = fake.ok("GET", "/openapi.json")
    validate(document)
    assert document["openapi"] == "3.0.3"


def test_the_admin_docs_describe_every_admin_operation_with_its_schemas(fake):
    document = fake.ok("GET", "/openapi.json")
    spec = load_spec("admin.yaml")
    assert document["paths"].keys() == spec["paths"].keys()
    assert document["components"]["schemas"].keys() == spec["components"]["schemas"].keys()
    reset = document["paths"]["/reset"]["post"]
    assert reset["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ResetRequest"}


def test_the_admin_swagger_ui_loads_the_full_admin_docs(fake):
    page = fake.admin("GET", "/ui/")
    assert page.status_code == 200
    assert "/__fake/openapi.json" in page.text
