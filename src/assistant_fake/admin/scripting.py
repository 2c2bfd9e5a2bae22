"""Scripted behaviour (admin API): canned chat replies and lifecycle control of Telnyx test runs
and scheduled events. The rules live in the Telnyx state layer; these handlers only read the
request, name the tenant and translate the state layer's refusals into admin errors."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, request

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import json_body, problem, validated
from assistant_fake.admin.state import tenant_of
from assistant_fake.core.responses import json_response
from assistant_fake.vendors.telnyx.lifecycle import AlreadyFinished
from assistant_fake.vendors.telnyx.rules import NotFound
from assistant_fake.vendors.telnyx.service import TelnyxService

SCOPE_SCHEMAS = {"key": "TenantKey", "tenant": "TenantId"}


def _telnyx() -> TelnyxService:
    (vendor,) = [vendor for vendor in app_state().vendors if vendor.name == "telnyx"]
    return vendor.service


def _refusals(handler: Callable[..., Response]) -> Callable[..., Response]:
    """NotFound becomes a 404, AlreadyFinished a 409, both as ``{"detail"}``."""

    @functools.wraps(handler)
    def wrapper(**path: str) -> Response:
        try:
            return handler(**path)
        except NotFound as exc:
            raise problem(404, exc.detail) from None
        except AlreadyFinished as exc:
            raise problem(409, str(exc)) from None

    return wrapper


def _scope(values: Mapping[str, Any], where: str, *, required: bool) -> None:
    """The rule on ``key``/``tenant`` in plain words (the schema's wording of it is obscure):
    at most one of them; one of them when the call is about one tenant's state."""
    if not isinstance(values, Mapping):
        return  # the schema refuses it
    named = [name for name in SCOPE_SCHEMAS if name in values]
    if len(named) > 1:
        raise problem(400, f"{where}: send key or tenant, not both")
    if required and not named:
        raise problem(400, f"{where}: name the tenant with key (its raw API key) or tenant "
                           "(its id)")


def _body(schema_name: str, *, tenant_required: bool = False) -> tuple[dict[str, Any], str | None]:
    """The valid body and the tenant it names (None: none named). A body is required exactly
    when the call is about one tenant."""
    parsed = request.get_json(force=True, silent=True)  # None: empty or not JSON, said below
    if parsed is not None:
        _scope(parsed, "body", required=tenant_required)
    body = json_body(schema_name, required=tenant_required)
    return body, tenant_of(body)


def _query_tenant(*, required: bool) -> str | None:
    """The tenant the ``key`` or ``tenant`` query parameter names."""
    _scope(request.args, "query", required=required)
    values = {name: validated(SCOPE_SCHEMAS[name], request.args[name], where=f"query/{name}")
              for name in SCOPE_SCHEMAS if name in request.args}
    return tenant_of(values)


# --------------------------------------------------------------------------- chat replies
@_refusals
def enqueue_chat_replies(assistant_id: str) -> Response:
    body, tenant = _body("ChatRepliesRequest", tenant_required=True)
    queue = _telnyx().conversations.queue_replies(tenant, assistant_id, body["replies"])
    return json_response(_queue(assistant_id, tenant, queue), 201)


def list_chat_replies(assistant_id: str) -> Response:
    tenant = _query_tenant(required=True)
    queue = _telnyx().conversations.queued_replies(tenant, assistant_id)
    return json_response(_queue(assistant_id, tenant, queue))


def clear_chat_replies(assistant_id: str) -> Response:
    tenant = _query_tenant(required=True)
    cleared = _telnyx().conversations.clear_replies(tenant, assistant_id)
    return json_response({"assistant_id": assistant_id, "tenant": tenant, "cleared": cleared})


def _queue(assistant_id: str, tenant: str, replies: list[str]) -> dict[str, Any]:
    return {"assistant_id": assistant_id, "tenant": tenant, "replies": replies}


# --------------------------------------------------------------------------- lifecycle
def get_lifecycle() -> Response:
    return json_response(_telnyx().lifecycle.policies(_query_tenant(required=False)))


def put_lifecycle() -> Response:
    body, tenant = _body("LifecycleRequest")
    return json_response(_telnyx().lifecycle.set_policies(tenant, body))


@_refusals
def advance_test_run(run_id: str) -> Response:
    body, tenant = _body("AdvanceTestRunRequest")
    return json_response(_telnyx().tests.advance(run_id, body.get("status"), tenant))


@_refusals
def advance_scheduled_event(event_id: str) -> Response:
    body, tenant = _body("AdvanceScheduledEventRequest")
    return json_response(_telnyx().scheduled_events.advance(event_id, body.get("status"), tenant))
