"""HTTP handlers of the AchieveApex spec, one per operationId.

Each handler unpacks the validated request, resolves the caller's organisation, runs the
Feathers service method and answers: 201 for ``create``, 200 for everything else. Lists turn
the validated query into a ``FeathersQuery`` for the record type the list returns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response

from assistant_fake.core.errors import VendorError
from assistant_fake.core.responses import current_request, json_response
from assistant_fake.vendors.achieveapex.errors import FeathersProblem
from assistant_fake.vendors.achieveapex.field_types import field_types
from assistant_fake.vendors.achieveapex.query import FeathersQuery, QueryError, parse_query
from assistant_fake.vendors.achieveapex.records import Caller
from assistant_fake.vendors.achieveapex.service import AchieveApexService
from assistant_fake.vendors.achieveapex.validation import bad_request_for


def _feathers(handler: Callable[..., Any]) -> Callable[..., Response]:
    """Run a handler; a refusal of the state layer leaves as its Feathers error body."""

    @functools.wraps(handler)
    def wrapper(**path: Any) -> Response:
        try:
            return handler(**path)
        except FeathersProblem as problem:
            raise VendorError(problem.status, problem.body) from None
        except QueryError as problem:
            raise VendorError(400, bad_request_for(problem)) from None

    return wrapper


def _service() -> AchieveApexService:
    return current_request().vendor.service


def _caller() -> Caller:
    caller = _service().organizations.caller_for(current_request().tenant)
    assert caller is not None  # the gateway registered the key before any handler runs
    return caller


def _id() -> int:
    return current_request().path["id"]


def _body() -> dict[str, Any]:
    return dict(current_request().body or {})


def _query(schema_name: str) -> FeathersQuery:
    return parse_query(current_request().query, field_types=field_types(schema_name))


def _created(record: Any) -> Response:
    return json_response(record, 201)


# --------------------------------------------------------------------------- ai-assistants
@_feathers
def list_ai_assistants() -> Response:
    return json_response(_service().assistants.find(_caller(), _query("AiAssistant")))


@_feathers
def create_ai_assistant() -> Response:
    return _created(_service().assistants.create(_caller(), _body()))


@_feathers
def get_ai_assistant(id: int) -> Response:
    return json_response(_service().assistants.get(_caller(), _id()))


@_feathers
def patch_ai_assistant(id: int) -> Response:
    return json_response(_service().assistants.patch(_caller(), _id(), _body()))


@_feathers
def delete_ai_assistant(id: int) -> Response:
    return json_response(_service().assistants.remove(_caller(), _id()))


# --------------------------------------------------------------------------- change history
@_feathers
def list_ai_assistant_change_history() -> Response:
    return json_response(_service().history.find(_caller(), _query("ChangeHistory")))


@_feathers
def get_ai_assistant_change_history(id: int) -> Response:
    return json_response(_service().history.get(_caller(), _id()))


@_feathers
def restore_ai_assistant_from_history() -> Response:
    body = _body()
    return _created(_service().history.restore(_caller(), body["ai_assistant_id"],
                                               body["change_history_id"]))


# --------------------------------------------------------------------------- skills
@_feathers
def list_ai_assistant_skills() -> Response:
    return json_response(_service().skills.find(_caller(), _query("AiAssistantSkill")))


@_feathers
def create_ai_assistant_skill() -> Response:
    return _created(_service().skills.create(_caller(), _body()))


@_feathers
def get_ai_assistant_skill(id: int) -> Response:
    return json_response(_service().skills.get(_caller(), _id()))


@_feathers
def patch_ai_assistant_skill(id: int) -> Response:
    return json_response(_service().skills.patch(_caller(), _id(), _body()))


@_feathers
def delete_ai_assistant_skill(id: int) -> Response:
    return json_response(_service().skills.remove(_caller(), _id()))


# --------------------------------------------------------------------------- api tools
@_feathers
def list_api_tools() -> Response:
    return json_response(_service().api_tools.find(_caller(), _query("ApiTool")))


@_feathers
def create_api_tool() -> Response:
    return _created(_service().api_tools.create(_caller(), _body()))


@_feathers
def get_api_tool(id: int) -> Response:
    return json_response(_service().api_tools.get(_caller(), _id()))


@_feathers
def patch_api_tool(id: int) -> Response:
    return json_response(_service().api_tools.patch(_caller(), _id(), _body()))


@_feathers
def delete_api_tool(id: int) -> Response:
    return json_response(_service().api_tools.remove(_caller(), _id()))


# --------------------------------------------------------------------------- MCP, organizations
@_feathers
def connect_mcp_tool_server() -> Response:
    return _created(_service().mcp.connect(_caller(), _body()))


@_feathers
def list_organizations() -> Response:
    return json_response(_service().organizations.find(_caller(), _query("Organization")))


# --------------------------------------------------------------------------- reservations
@_feathers
def list_reservation_services() -> Response:
    return json_response(_service().reservation_services.find(
        _caller(), _query("ReservationService")))


@_feathers
def list_reservation_available_slots() -> Response:
    query = dict(current_request().query)
    services = _service().reservation_services
    service_id, date = query.pop("service_id"), query.pop("date")
    organization_id, resource_id = query.pop("organization_id"), query.pop("resource_id", None)
    page = parse_query(query, field_types=field_types("ReservationSlot"))
    return json_response(services.available_slots(
        _caller(), service_id, date, resource_id, organization_id=organization_id, query=page))


@_feathers
def list_reservations() -> Response:
    return json_response(_service().reservations.find(_caller(), _query("Reservation")))


@_feathers
def create_reservation() -> Response:
    return _created(_service().reservations.create(_caller(), _body()))


@_feathers
def get_reservation(id: int) -> Response:
    return json_response(_service().reservations.get(_caller(), _id()))


@_feathers
def patch_reservation(id: int) -> Response:
    return json_response(_service().reservations.patch(_caller(), _id(), _body()))
