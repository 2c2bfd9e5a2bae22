"""``/__fake/faults``: adding, listing and removing fault rules (``core.faults``)."""

from __future__ import annotations

from typing import Any

from flask import Response

from assistant_fake.admin.context import app_state
from assistant_fake.admin.requests import json_body, problem, query_params
from assistant_fake.core.errors import VendorError
from assistant_fake.core.faults import FaultAction, FaultMatch, FaultRule
from assistant_fake.core.responses import json_response
from assistant_fake.core.tenants import tenant_id


def list_faults() -> Response:
    test_id = query_params("faults.list_faults").get("test_id")
    rules = app_state().faults.rules(test_id)
    return json_response({"faults": [rule.as_json() for rule in rules]})


def create_fault() -> Response:
    body = json_body("FaultCreate")
    action = body["action"]
    latency = action.get("latency_ms")
    if isinstance(latency, list) and latency[0] > latency[1]:
        raise problem(400, "body/action/latency_ms: the range must be [min, max], min <= max")
    seed = body.get("seed")
    if seed is None:  # a seeded store makes every rule's draws reproducible too
        seed = getattr(app_state().store.ids, "seed", None)
    rule = app_state().faults.add(_match(body.get("match", {})), FaultAction.from_json(action),
                                  count=body.get("count"),
                                  probability=float(body.get("probability", 1.0)), seed=seed)
    return json_response(rule.as_json(), status=201)


def clear_faults() -> Response:
    test_id = query_params("faults.clear_faults").get("test_id")
    return json_response({"removed": app_state().faults.clear(test_id)})


def get_fault(fault_id: str) -> Response:
    return json_response(_rule(fault_id).as_json())


def delete_fault(fault_id: str) -> Response:
    if not app_state().faults.remove(fault_id):
        raise _not_found(fault_id)
    return json_response({"removed": 1})


def _match(given: dict[str, Any]) -> FaultMatch:
    """The match as stored: a key becomes its tenant id (keys are never kept)."""
    match = dict(given)
    if "key" in match:
        match["tenant"] = tenant_id(match.pop("key"))
    if "method" in match:
        match["method"] = match["method"].upper()
    return FaultMatch(**match)


def _rule(fault_id: str) -> FaultRule:
    rule = app_state().faults.get(fault_id)
    if rule is None:
        raise _not_found(fault_id)
    return rule


def _not_found(fault_id: str) -> VendorError:
    return problem(404, f"No fault rule {fault_id!r}.")
