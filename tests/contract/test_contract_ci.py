"""CI's contract runs (issue 4, item 8): each vendor's full contract suite, all four Schemathesis
phases with a fixed seed, against a fake started in-process, must pass with zero failures and
zero errors. `.ci/run` runs the whole pytest suite, so these are the runs CI makes."""

from __future__ import annotations

import io

import pytest

from assistant_fake.contract.apis import APIS
from assistant_fake.contract.runner import PHASES, run_contract
from assistant_fake.core.specs import load_spec

pytestmark = pytest.mark.slow

# Fixed, so a failure is reproducible with
# `assistant-fake contract --api API --seed 1 --max-examples 5`; small, so both vendors together
# stay well under four minutes on two cores. Every phase still runs on every operation.
CI_SEED = 1
CI_MAX_EXAMPLES = 5
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _spec_operations(api: str) -> set[str]:
    spec = load_spec(APIS[api].spec_file)
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items()
            for method in item if method in HTTP_METHODS}


@pytest.mark.parametrize("api", sorted(APIS))
def test_the_full_contract_suite_passes_against_the_fake(api):
    out = io.StringIO()
    result = run_contract(api, seed=CI_SEED, max_examples=CI_MAX_EXAMPLES, phases=PHASES, out=out)
    log = out.getvalue()
    assert result.failures == [], log
    assert result.errors == [], log
    assert result.ok, log
    for phase in PHASES:
        assert f"phase {phase}: success" in log, log  # ran, and was not skipped
    assert set(result.operations) == _spec_operations(api), log
    assert all(summary.cases > 0 for summary in result.operations.values()), log
