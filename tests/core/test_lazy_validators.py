"""Validators built on first use behave as the eagerly built ones."""

from __future__ import annotations

import threading

import pytest

from assistant_fake.core.request_validation import LazyValidators, RawRequest
from assistant_fake.core.specs import load_spec

SPEC = load_spec("telnyx-ai-assistants.yaml")


def test_every_operation_of_the_spec_is_listed_before_any_is_built() -> None:
    operations = {op["operationId"] for item in SPEC["paths"].values()
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
    assert set(LazyValidators(SPEC)) == operations


def test_a_lookup_answers_the_same_validator_every_time() -> None:
    validators = LazyValidators(SPEC)
    assert validators["get_assistant"] is validators["get_assistant"]


def test_an_unknown_operation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        LazyValidators(SPEC)["no_such_operation"]


def test_threads_looking_up_one_operation_at_once_share_one_validator() -> None:
    validators = LazyValidators(SPEC)
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(validators["create_assistant"]))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(validator) for validator in found}) == 1


def test_a_lazily_built_validator_validates() -> None:
    raw = RawRequest(path_params={}, query=[], headers={"content-type": "application/json"},
                     body=b'{"name": "A", "instructions": "B"}')
    assert LazyValidators(SPEC)["create_assistant"].validate(raw).body.name == "A"
