"""Run Schemathesis's engine (the one behind ``st run``) against one vendor API of the fake or a
real service, with the project's spec and ``schemathesis.toml``."""

from __future__ import annotations

import contextlib
import copy
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from assistant_fake.contract.apis import APIS, ContractApi

PHASES = ("examples", "coverage", "fuzzing", "stateful")
CONFIG_FILE = "schemathesis.toml"
FAKE_KEY = "contract-suite"  # the fake turns any non-empty key into an account


@dataclass
class OperationSummary:
    cases: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class ContractResult:
    api: str
    base_url: str
    seed: int
    exit_code: int = 0
    elapsed: float = 0.0
    operations: dict[str, OperationSummary] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # label, title, message
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def find_config(explicit: Path | None = None) -> Path | None:
    """The explicit file, else ``schemathesis.toml`` next to the specs' folder (repo root)."""
    if explicit is not None:
        return explicit
    from assistant_fake.core.specs import spec_dir

    candidate = spec_dir().parent / CONFIG_FILE
    return candidate if candidate.is_file() else None


def run_contract(
    api: str,
    *,
    url: str | None = None,
    key: str | None = None,
    max_examples: int | None = None,
    seed: int | None = None,
    phases: Sequence[str] | None = None,
    report: Path | None = None,
    config_path: Path | None = None,
    include_path_regex: str | None = None,
    app: Any = None,
    out: TextIO | None = None,
) -> ContractResult:
    """Run the suite; without ``url`` against a fake (``app``, default: a fresh one) in-process."""
    target = APIS[api]
    out = out or sys.stdout
    if url is not None and not key:
        raise ValueError(f"a key is needed for {url}: --key or {target.key_env}")
    with _target_url(target, url, app) as base_url:
        return _run(target, base_url, key or FAKE_KEY, max_examples=max_examples, seed=seed,
                    phases=phases, report=report, config_path=find_config(config_path),
                    include_path_regex=include_path_regex, out=out)


@contextlib.contextmanager
def _target_url(target: ContractApi, url: str | None, app: Any) -> Iterator[str]:
    if url is not None:
        yield url.rstrip("/")
        return
    from assistant_fake.server import running_server

    with running_server(app=app) as root:
        yield root + target.base_path


def _load_config(config_path: Path | None, *, base_url: str, headers: dict[str, str],
                 max_examples: int | None, seed: int | None, phases: Sequence[str] | None):
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_path(config_path) if config_path else SchemathesisConfig()
    # The same override layer `st run` puts its command-line options in.
    config.update(seed=seed, max_failures=None)
    override = config.projects.override
    override.update(base_url=base_url, headers=headers)
    if max_examples is not None:
        override.generation.update(max_examples=max_examples)
    if phases is not None:
        unknown = set(phases) - set(PHASES)
        if unknown:
            raise ValueError(f"unknown phases {sorted(unknown)}; choose from {', '.join(PHASES)}")
        override.phases.update(phases=list(phases))
    return config


def _run(target: ContractApi, base_url: str, key: str, *, max_examples: int | None,
         seed: int | None, phases: Sequence[str] | None, report: Path | None,
         config_path: Path | None, include_path_regex: str | None, out: TextIO) -> ContractResult:
    import schemathesis
    from schemathesis.engine import from_schema

    from assistant_fake.contract import checks
    from assistant_fake.contract.progress import Progress
    from assistant_fake.core.specs import load_spec

    config = _load_config(config_path, base_url=base_url, headers=target.auth_headers(key),
                          max_examples=max_examples, seed=seed, phases=phases)
    # Schemathesis edits the raw document (e.g. stringifies keys); load_spec's copy is shared.
    spec = copy.deepcopy(load_spec(target.spec_file))
    schema = schemathesis.openapi.from_dict(spec, config=config)
    if include_path_regex:
        schema = schema.include(path_regex=include_path_regex)
    schema.hook("filter_failure")(checks.make_lax_coercion_filter(spec))
    result = ContractResult(api=target.name, base_url=base_url, seed=config.seed)
    progress = Progress(out, result, schema.config.output, report)
    print(f"contract {target.name}: {base_url} (seed {config.seed}, "
          f"config {config_path.name if config_path else 'defaults'})", file=out, flush=True)
    checks.enroll(spec, target)
    started = time.monotonic()
    try:
        for event in from_schema(schema).execute():
            progress.on_event(event)
    finally:
        checks.withdraw(spec)
        result.elapsed = time.monotonic() - started
        progress.finish()
    return result
