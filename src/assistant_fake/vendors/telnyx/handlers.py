"""HTTP handlers of the Telnyx spec, one per operationId.

Each handler only unpacks the validated request, calls the state layer and shapes the answer;
the rules live in the service classes. Connexion passes path parameters by name; everything
else comes from the request the gateway validated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response

from assistant_fake.core.responses import (
    current_request,
    empty_response,
    json_response,
    text_response,
)
from assistant_fake.core.schema_models import to_document
from assistant_fake.core.vendor import VendorRequest
from assistant_fake.vendors.telnyx import errors
from assistant_fake.vendors.telnyx.rules import TelnyxRuleError
from assistant_fake.vendors.telnyx.service import TelnyxService


def _telnyx(handler: Callable[..., Any]) -> Callable[..., Response]:
    """Run a handler; a refused rule becomes Telnyx's ``errors[]`` envelope."""

    @functools.wraps(handler)
    def wrapper(**path: str) -> Response:
        try:
            return handler(**path)
        except TelnyxRuleError as exc:
            raise errors.rule_refused(exc.status, exc.code, exc.title, exc.detail) from None

    return wrapper


def _service() -> TelnyxService:
    return current_request().vendor.service


def _tenant() -> str:
    return current_request().tenant


def _body(*, defaults: bool = True) -> dict[str, Any]:
    """The validated body as plain data; without ``defaults`` only the sent fields (updates)."""
    body = current_request().body
    return to_document(body, top_level_defaults=defaults) if body is not None else {}


def _page(request: VendorRequest) -> dict[str, int]:
    return {"page_number": request.query["page[number]"], "page_size": request.query["page[size]"]}


def _filters(request: VendorRequest, *names: str) -> dict[str, Any]:
    return {name: request.query.get(name) for name in names}


# --------------------------------------------------------------------------- assistants
@_telnyx
def list_assistants() -> Response:
    return json_response(_service().assistants.list(_tenant()))


@_telnyx
def create_assistant() -> Response:
    return json_response(_service().assistants.create(_tenant(), _body()))


@_telnyx
def get_assistant(assistant_id: str) -> Response:
    # fetch_dynamic_variables_from_webhook, from, to and call_control_id are accepted and
    # validated; the fake never calls out to the webhook (README, Assumptions).
    return json_response(_service().assistants.get(_tenant(), assistant_id))


@_telnyx
def update_assistant(assistant_id: str) -> Response:
    return json_response(_service().assistants.update(_tenant(), assistant_id,
                                                      _body(defaults=False)))


@_telnyx
def delete_assistant(assistant_id: str) -> Response:
    hard = bool(current_request().query.get("hard_delete"))
    return json_response(_service().assistants.delete(_tenant(), assistant_id, hard=hard))


@_telnyx
def restore_assistant(assistant_id: str) -> Response:
    return json_response(_service().assistants.restore(_tenant(), assistant_id))


@_telnyx
def list_deleted_assistants() -> Response:
    request = current_request()
    return json_response(_service().assistants.list_deleted(request.tenant, **_page(request)))


@_telnyx
def get_deleted_assistant(assistant_id: str) -> Response:
    return json_response(_service().assistants.get_deleted(_tenant(), assistant_id))


@_telnyx
def clone_assistant(assistant_id: str) -> Response:
    return json_response(_service().assistants.clone(_tenant(), assistant_id))


@_telnyx
def import_assistants() -> Response:
    return json_response(_service().assistants.import_assistants(_tenant(), _body()))


# --------------------------------------------------------------------------- tags
@_telnyx
def list_all_tags() -> Response:
    return json_response(_service().assistants.list_tags(_tenant()))


@_telnyx
def add_assistant_tag(assistant_id: str) -> Response:
    tag = _body()["tag"]
    return json_response(_service().assistants.add_tag(_tenant(), assistant_id, tag))


@_telnyx
def remove_assistant_tag(assistant_id: str, tag: str) -> Response:
    return json_response(_service().assistants.remove_tag(_tenant(), assistant_id, tag))


# --------------------------------------------------------------------------- versions
@_telnyx
def list_versions(assistant_id: str) -> Response:
    return json_response(_service().assistants.list_versions(_tenant(), assistant_id))


@_telnyx
def get_version(assistant_id: str, version_id: str) -> Response:
    return json_response(_service().assistants.get_version(_tenant(), assistant_id, version_id))


@_telnyx
def update_version(assistant_id: str, version_id: str) -> Response:
    changes = _body(defaults=False)
    changes.pop("promote_to_main", None)  # not a field of the version-update body
    return json_response(_service().assistants.update_version(_tenant(), assistant_id,
                                                              version_id, changes))


@_telnyx
def delete_version(assistant_id: str, version_id: str) -> Response:
    _service().assistants.delete_version(_tenant(), assistant_id, version_id)
    return empty_response(204)


@_telnyx
def promote_version(assistant_id: str, version_id: str) -> Response:
    return json_response(_service().assistants.promote_version(_tenant(), assistant_id,
                                                               version_id))


# --------------------------------------------------------------------------- canary deploys
@_telnyx
def get_canary_deploy(assistant_id: str) -> Response:
    return json_response(_service().assistants.get_canary(_tenant(), assistant_id))


@_telnyx
def create_canary_deploy(assistant_id: str) -> Response:
    return json_response(_service().assistants.create_canary(_tenant(), assistant_id, _body()))


@_telnyx
def update_canary_deploy(assistant_id: str) -> Response:
    return json_response(_service().assistants.update_canary(_tenant(), assistant_id, _body()))


@_telnyx
def delete_canary_deploy(assistant_id: str) -> Response:
    _service().assistants.delete_canary(_tenant(), assistant_id)
    return empty_response(204)


# --------------------------------------------------------------------------- shared tools
@_telnyx
def attach_tool(assistant_id: str, tool_id: str) -> Response:
    return json_response(_service().assistants.attach_tool(_tenant(), assistant_id, tool_id))


@_telnyx
def detach_tool(assistant_id: str, tool_id: str) -> Response:
    return json_response(_service().assistants.detach_tool(_tenant(), assistant_id, tool_id))


@_telnyx
def test_tool(assistant_id: str, tool_id: str) -> Response:
    return json_response(_service().conversations.test_tool(_tenant(), assistant_id, tool_id,
                                                            _body()))


# --------------------------------------------------------------------------- scheduled events
@_telnyx
def list_scheduled_events(assistant_id: str) -> Response:
    request = current_request()
    filters = _filters(request, "conversation_channel", "from_date", "to_date")
    return json_response(_service().scheduled_events.list(
        request.tenant, assistant_id, **_page(request), **filters))


@_telnyx
def create_scheduled_event(assistant_id: str) -> Response:
    event = _service().scheduled_events.create(_tenant(), assistant_id, _body())
    return json_response(event, 201)


@_telnyx
def get_scheduled_event(assistant_id: str, event_id: str) -> Response:
    return json_response(_service().scheduled_events.get(_tenant(), assistant_id, event_id))


@_telnyx
def delete_scheduled_event(assistant_id: str, event_id: str) -> Response:
    _service().scheduled_events.delete(_tenant(), assistant_id, event_id)
    return empty_response(200)


# --------------------------------------------------------------------------- tests and runs
@_telnyx
def list_tests() -> Response:
    request = current_request()
    filters = _filters(request, "telnyx_conversation_channel", "test_suite", "destination")
    return json_response(_service().tests.list(request.tenant, **_page(request), **filters))


@_telnyx
def create_test() -> Response:
    return json_response(_service().tests.create(_tenant(), _body()), 201)


@_telnyx
def get_test(test_id: str) -> Response:
    return json_response(_service().tests.get(_tenant(), test_id))


@_telnyx
def update_test(test_id: str) -> Response:
    return json_response(_service().tests.update(_tenant(), test_id, _body(defaults=False)))


@_telnyx
def delete_test(test_id: str) -> Response:
    _service().tests.delete(_tenant(), test_id)
    return empty_response(200)


@_telnyx
def list_test_suites() -> Response:
    return json_response(_service().tests.list_suites(_tenant()))


@_telnyx
def list_test_suite_runs(suite_name: str) -> Response:
    request = current_request()
    filters = _filters(request, "status", "test_suite_run_id")
    return json_response(_service().tests.list_suite_runs(
        request.tenant, suite_name, **_page(request), **filters))


@_telnyx
def trigger_test_suite_run(suite_name: str) -> Response:
    version = _body().get("destination_version_id")
    return json_response(_service().tests.trigger_suite_run(_tenant(), suite_name, version), 201)


@_telnyx
def list_test_runs(test_id: str) -> Response:
    request = current_request()
    return json_response(_service().tests.list_runs(
        request.tenant, test_id, **_page(request), **_filters(request, "status")))


@_telnyx
def trigger_test_run(test_id: str) -> Response:
    version = _body().get("destination_version_id")
    return json_response(_service().tests.trigger_run(_tenant(), test_id, version), 201)


@_telnyx
def get_test_run(test_id: str, run_id: str) -> Response:
    return json_response(_service().tests.get_run(_tenant(), test_id, run_id))


# --------------------------------------------------------------------------- conversations
@_telnyx
def chat_with_assistant(assistant_id: str) -> Response:
    return json_response(_service().conversations.chat(_tenant(), assistant_id, _body()))


@_telnyx
def send_sms(assistant_id: str) -> Response:
    return json_response(_service().conversations.send_sms(_tenant(), assistant_id, _body()))


@_telnyx
def get_assistant_texml(assistant_id: str) -> Response:
    texml = _service().conversations.texml(_tenant(), assistant_id)
    return text_response(texml, mimetype="text/xml")


@_telnyx
def enhance_instructions(assistant_id: str) -> Response:
    text = _service().conversations.enhance_instructions(_tenant(), assistant_id, _body())
    return text_response(text)
