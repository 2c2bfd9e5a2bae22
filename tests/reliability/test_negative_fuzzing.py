"""Negative fuzzing of both specs: whatever schema-breaking request a client sends, no 5xx.

Schemathesis 4 (the project's contract runner, its fuzzing phase) generates requests that
violate the spec (wrong types, missing required fields, out-of-range values, unexpected
formats) for every operation, against a fake on a real port, with one check:
``not_a_server_error``. Seed and example count are fixed, so a run is reproducible with
``assistant-fake contract --api API --seed 1 --max-examples 6 --phases fuzzing
--config tests/reliability/negative_fuzzing.toml``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant_fake.contract.runner import run_contract

CONFIG = Path(__file__).with_name("negative_fuzzing.toml")
SEED = 1
EXAMPLES_PER_OPERATION = 6


@pytest.mark.slow
@pytest.mark.parametrize("api", ["telnyx", "achieveapex"])
def test_negative_data_never_gets_a_server_error(api):
    out = io.StringIO()
    result = run_contract(api, seed=SEED, max_examples=EXAMPLES_PER_OPERATION,
                          phases=["fuzzing"], config_path=CONFIG, out=out)
    assert sum(s.cases for s in result.operations.values()) > 0, out.getvalue()
    assert result.failures == [], out.getvalue()
    assert result.errors == [], out.getvalue()
