"""``/__fake/journal``: reading and clearing the request journal (``core.journal``)."""

from __future__ import annotations

from flask import Response

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import problem, query_params
from assistant_fake.admin.state import tenant_of
from assistant_fake.core.journal import JournalFilter
from assistant_fake.core.responses import json_response

DEFAULT_LIMIT = 100


def list_entries() -> Response:
    return _page("journal.list_entries", matched=None)


def list_unmatched() -> Response:
    return _page("journal.list_unmatched", matched=False)


def clear() -> Response:
    return json_response({"cleared": app_state().journal.clear()})


def _page(operation_id: str, *, matched: bool | None) -> Response:
    params = query_params(operation_id)
    if "tenant" in params and "key" in params:
        raise problem(400, "query: give either tenant or key, not both")
    tenant = tenant_of(params)
    where = JournalFilter(api=params.get("api"), tenant=tenant,
                          operation=params.get("operation"), path=params.get("path"),
                          status=params.get("status"), test_id=params.get("test_id"),
                          matched=matched)
    entries, total = app_state().journal.find(where, params.get("limit", DEFAULT_LIMIT))
    return json_response({"entries": [entry.as_json() for entry in entries], "total": total})
