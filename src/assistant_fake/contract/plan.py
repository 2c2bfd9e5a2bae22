"""``assistant-fake contract --dry-run``: what a contract run would exercise, without a request.

The schema is loaded the way ``runner`` loads it (the project's spec with ``schemathesis.toml``),
so operations switched off there are not listed. Which cases each operation gets is decided by
Hypothesis while running, so only operations and phases can be listed ahead of time.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from pathlib import Path

from assistant_fake.contract.apis import APIS
from assistant_fake.contract.real_service import skipped_operations
from assistant_fake.contract.runner import PHASES, check_phases, find_config


def planned_operations(api: str, config_path: Path | None = None,
                       skipped: Collection[str] = ()) -> list[str]:
    """``METHOD /path`` of every operation a run would test, in the spec's order, leaving out
    the operationIds in ``skipped``."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from assistant_fake.core.specs import load_spec

    found = find_config(config_path)
    config = SchemathesisConfig.from_path(found) if found else SchemathesisConfig()
    # Schemathesis edits the raw document; load_spec's copy is shared.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(load_spec(APIS[api].spec_file)),
                                            config=config)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in skipped:
            continue
        labels.append(f"{operation.method.upper()} {operation.path}")
    return labels


def describe(api: str, url: str | None, phases: list[str] | None,
             config_path: Path | None = None, enable: Collection[str] = ()) -> list[str]:
    """The dry run's lines; with ``url`` (real-service mode) the skipped operations too."""
    check_phases(phases)
    target = url or "a fake started in-process"
    chosen = ", ".join(phases or PHASES)
    skipped = skipped_operations(api, enable) if url else []
    operations = planned_operations(api, config_path, skipped)
    lines = [f"contract {api} (dry run, nothing is called): {target}; phases {chosen}; "
             f"{len(operations)} operations:", *(f"  {label}" for label in operations)]
    if skipped:
        lines.append(f"skipped in real-service mode (enable with --enable): {', '.join(skipped)}")
    return lines
