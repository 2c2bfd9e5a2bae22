"""The project's own Schemathesis helpers, without running the engine: the lax-coercion filter
follows the schema pointers Schemathesis reports back into the project's specs."""

from __future__ import annotations

import pytest

from assistant_fake.contract.checks import _body_schema, _coercible_at, _resolve
from assistant_fake.core.specs import load_spec


class _Operation:
    def __init__(self, path):
        self.path = path


class _Case:
    def __init__(self, method, path):
        self.method = method
        self.operation = _Operation(path)


def _telnyx_update_body_schema():
    spec = load_spec("telnyx-ai-assistants.yaml")
    return spec, _body_schema(spec, _Case("POST", "/ai/assistants/{assistant_id}"))


# AssistantUpdateRequest is `allOf: [AssistantFields, {promote_to_main...}]`; Schemathesis's
# bundler wraps the resolved `$ref` in one more `allOf`, so the coverage phase reports
# `/allOf/0/allOf/1/...`: the wrapper first, then the schema's own second member.
UPDATE_POINTER = "/allOf/0/allOf/1/properties/promote_to_main/type"


@pytest.mark.parametrize("value", [0, 1, "false", "true"])
def test_a_coercible_boolean_behind_the_bundlers_allof_wrapper_is_recognised(value):
    spec, schema = _telnyx_update_body_schema()
    assert _coercible_at(spec, schema, UPDATE_POINTER, {"promote_to_main": value})


@pytest.mark.parametrize("value", [[], {}, "maybe", 2, None])
def test_a_value_lax_mode_refuses_is_kept_as_a_failure(value):
    spec, schema = _telnyx_update_body_schema()
    assert not _coercible_at(spec, schema, UPDATE_POINTER, {"promote_to_main": value})


def test_the_schemas_own_allof_is_still_followed_without_the_wrapper():
    spec, schema = _telnyx_update_body_schema()
    assert _coercible_at(spec, schema, "/allOf/1/properties/promote_to_main/type",
                         {"promote_to_main": 0})


def test_a_pointer_that_leads_nowhere_is_not_coercible():
    spec, schema = _telnyx_update_body_schema()
    assert not _coercible_at(spec, schema, "/allOf/0/allOf/7/properties/promote_to_main/type",
                             {"promote_to_main": 0})
    assert not _coercible_at(spec, schema, "/allOf/1/properties/promote_to_main/minimum",
                             {"promote_to_main": 0})
    assert _resolve(spec, schema) is schema
