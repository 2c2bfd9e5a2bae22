"""Scripted behaviour (admin API): canned chat replies and lifecycle control of Telnyx test runs
and scheduled events. The rules live in the Telnyx state layer; these handlers only read the
request, name the tenant and translate the state layer's refusals into admin errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response

from assistant_fake.admin.context import app_state
from assistant_fake.admin.inputs import admin_error, query_params, scoped_body, tenant_of
from assistant_fake.core.responses import json_response
from assistant_fake.vendors.telnyx.lifecycle import AlreadyFinished
from assistant_fake.vendors.telnyx.rules import NotFound
from assistant_fake.vendors.telnyx.service import TelnyxService


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
            raise admin_error(404, exc.detail) from None
        except AlreadyFinished as exc:
            raise admin_error(409, str(exc)) from None

    return wrapper


# --------------------------------------------------------------------------- chat replies
@_refusals
def enqueue_chat_replies(assistant_id: str) -> Response:
    body, tenant = scoped_body("scripting.enqueue_chat_replies", tenant_required=True)
    queue = _telnyx().conversations.queue_replies(tenant, assistant_id, body["replies"])
    return json_response(_queue(assistant_id, tenant, queue), 201)


def list_chat_replies(assistant_id: str) -> Response:
    tenant = tenant_of(query_params("scripting.list_chat_replies"), required=True)
    queue = _telnyx().conversations.queued_replies(tenant, assistant_id)
    return json_response(_queue(assistant_id, tenant, queue))


def clear_chat_replies(assistant_id: str) -> Response:
    tenant = tenant_of(query_params("scripting.clear_chat_replies"), required=True)
    cleared = _telnyx().conversations.clear_replies(tenant, assistant_id)
    return json_response({"assistant_id": assistant_id, "tenant": tenant, "cleared": cleared})


def _queue(assistant_id: str, tenant: str, replies: list[str]) -> dict[str, Any]:
    return {"assistant_id": assistant_id, "tenant": tenant, "replies": replies}


# --------------------------------------------------------------------------- lifecycle
def get_lifecycle() -> Response:
    tenant = tenant_of(query_params("scripting.get_lifecycle"), required=False)
    return json_response(_telnyx().lifecycle.policies(tenant))


def put_lifecycle() -> Response:
    body, tenant = scoped_body("scripting.put_lifecycle", tenant_required=False)
    return json_response(_telnyx().lifecycle.set_policies(tenant, body))


@_refusals
def advance_test_run(run_id: str) -> Response:
    body, tenant = scoped_body("scripting.advance_test_run", tenant_required=False)
    return json_response(_telnyx().tests.advance(run_id, body.get("status"), tenant))


@_refusals
def advance_scheduled_event(event_id: str) -> Response:
    body, tenant = scoped_body("scripting.advance_scheduled_event", tenant_required=False)
    return json_response(_telnyx().scheduled_events.advance(event_id, body.get("status"), tenant))
