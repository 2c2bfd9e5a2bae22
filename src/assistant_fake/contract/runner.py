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
from assistant_fake.contract.cleanup import Pacer
from assistant_fake.contract.real_service import (
    DEFAULT_PACE,
    AccountScope,
    Guard,
    Ownership,
    skipped_operations,
)
from assistant_fake.contract.traffic import TrafficRecorder

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


@dataclass
class SuiteOptions:
    """What one run does, besides where it goes."""

    max_examples: int | None = None
    seed: int | None = None
    phases: Sequence[str] | None = None
    report: Path | None = None
    config_path: Path | None = None
    include_path_regex: str | None = None
    # Real-service mode (see contract.real_service): on whenever a URL is given.
    real_service: bool = False
    enable: frozenset[str] = frozenset()  # outward-facing groups to run anyway
    pace: str | None = None  # e.g. "900/h"; None: the vendor's default in real-service mode
    recorder: TrafficRecorder | None = None  # keeps every exchange (``record --suite``)


def run_contract(
    api: str,
    *,
    url: str | None = None,
    key: str | None = None,
    app: Any = None,
    out: TextIO | None = None,
    real_service: bool | None = None,
    **options: Any,
) -> ContractResult:
    """Run the suite; without ``url`` against a fake (``app``, default: a fresh one) in-process.

    ``options`` are ``SuiteOptions`` fields; real-service mode is on when ``url`` is given
    unless ``real_service=False``.
    """
    target = APIS[api]
    out = out or sys.stdout
    if url is not None and not key:
        raise ValueError(f"a key is needed for {url}: --key or {target.key_env}")
    chosen = SuiteOptions(real_service=url is not None if real_service is None else real_service,
                          **options)
    with _target_url(target, url, app) as base_url:
        return _run(target, base_url, key or FAKE_KEY, chosen, out)


@contextlib.contextmanager
def _target_url(target: ContractApi, url: str | None, app: Any) -> Iterator[str]:
    if url is not None:
        yield url.rstrip("/")
        return
    from assistant_fake.server import running_server

    with running_server(app=app) as root:
        yield root + target.base_path


def check_phases(phases: Sequence[str] | None) -> None:
    unknown = set(phases or ()) - set(PHASES)
    if unknown:
        raise ValueError(f"unknown phases {sorted(unknown)}; choose from {', '.join(PHASES)}")


def _load_config(config_path: Path | None, *, base_url: str, headers: dict[str, str],
                 options: SuiteOptions):
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_path(config_path) if config_path else SchemathesisConfig()
    # The same override layer `st run` puts its command-line options in.
    config.update(seed=options.seed, max_failures=None)
    override = config.projects.override
    override.update(base_url=base_url, headers=headers)
    if options.max_examples is not None:
        override.generation.update(max_examples=options.max_examples)
    if options.phases is not None:
        check_phases(options.phases)
        override.phases.update(phases=list(options.phases))
    return config


def _run(target: ContractApi, base_url: str, key: str, options: SuiteOptions,
         out: TextIO) -> ContractResult:
    import schemathesis
    from schemathesis.engine import from_schema

    from assistant_fake.contract import checks
    from assistant_fake.contract.progress import Progress
    from assistant_fake.core.specs import load_spec

    pace = options.pace or (DEFAULT_PACE[target.name] if options.real_service else None)
    pacer = Pacer.parse(pace)  # refuses a bad pace before anything is sent
    config_path = find_config(options.config_path)
    config = _load_config(config_path, base_url=base_url, headers=target.auth_headers(key),
                          options=options)
    # Schemathesis edits the raw document (e.g. stringifies keys); load_spec's copy is shared.
    spec = copy.deepcopy(load_spec(target.spec_file))
    schema = schemathesis.openapi.from_dict(spec, config=config)
    skipped = skipped_operations(target.name, options.enable) if options.real_service else []
    _filter(schema, options.include_path_regex, skipped)
    guard = Guard(spec, Ownership(), target.scope_field) if options.real_service else None
    lax_filter = checks.make_lax_coercion_filter(spec)

    def keep_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
        return lax_filter(context, failure, case, response) and (
            guard is None or guard.keep_failure(context, failure, case, response))

    schema.hook("filter_failure")(keep_failure)
    result = ContractResult(api=target.name, base_url=base_url, seed=config.seed)
    progress = Progress(out, result, schema.config.output, options.report)
    mode = f"real-service mode, pace {pace or 'unlimited'}" if guard else "fake mode"
    print(f"contract {target.name}: {base_url} (seed {config.seed}, {mode}, "
          f"config {config_path.name if config_path else 'defaults'})",
          file=out, flush=True)
    checks.enroll(spec, target)
    started = time.monotonic()
    try:
        scope = _account_scope(target, base_url, key)
        with _hooks(schema, spec, scope, guard, pacer, options.recorder):
            for event in from_schema(schema).execute():
                progress.on_event(event)
        if guard is not None:
            _clean_up(target, base_url, key, spec, guard, pacer, options.recorder, result, out)
    finally:
        checks.withdraw(spec)
        result.elapsed = time.monotonic() - started
        progress.finish()
    return result


def _filter(schema: Any, include_path_regex: str | None, skipped: Sequence[str]) -> None:
    """Which operations run. Set the way `st run` sets it: `schema.include()`/`exclude()` keep
    every operation when the project config has `[[project.operations]]` blocks (ours does)."""
    from schemathesis.filters import FilterSet

    include, exclude = FilterSet(), FilterSet()
    if include_path_regex:
        include.include(path_regex=include_path_regex)
    if skipped:
        exclude.include(operation_id=list(skipped))
    if not (include.is_empty() and exclude.is_empty()):
        schema.filter_set = schema.config.operations.filter_set_with(include=include,
                                                                     exclude=exclude)


def _account_scope(target: ContractApi, base_url: str, key: str) -> AccountScope | None:
    if target.scope_field is None:
        return None
    import httpx

    try:
        response = httpx.get(base_url + target.scope_path, headers=target.auth_headers(key),
                             timeout=30.0)
        return AccountScope(target.scope_field, target.scope_of(response.json()))
    except (httpx.HTTPError, ValueError, LookupError, TypeError):
        return None  # the run's own checks will show what is wrong with the service


@contextlib.contextmanager
def _hooks(schema: Any, spec: dict[str, Any], scope: AccountScope | None, guard: Guard | None,
           pacer: Pacer | None, recorder: TrafficRecorder | None) -> Iterator[None]:
    """This run's hooks: the account scope, the guard, the pace and the recorder."""
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        # `before_call` exists only process-wide: leave other runs' cases alone.
        if case.operation.schema.raw_schema is not spec:
            return
        if scope is not None:
            scope.fill(case)
        if guard is not None:
            guard.before_call(context, case, kwargs)
        if pacer is not None:  # every call, the auth check's extra ones included
            pacer.wait()

    def after_call(context: Any, case: Any, response: Any) -> None:
        if guard is not None:
            guard.after_call(context, case, response)
        if recorder is not None:
            recorder.after_call(f"{case.method.upper()} {case.path}", response)

    schema.hooks.register_hook_with_name(after_call, "after_call")
    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    try:
        yield
    finally:
        schema.hooks.unregister(after_call)
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)


def _clean_up(target: ContractApi, base_url: str, key: str, spec: dict[str, Any], guard: Guard,
              pacer: Pacer | None, recorder: TrafficRecorder | None, result: ContractResult,
              out: TextIO) -> None:
    import httpx

    from assistant_fake.contract.cleanup import clean_up

    on_response = recorder.add_httpx if recorder is not None else None
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        report = clean_up(client, target, key, spec, guard.ownership, pacer, on_response)
    print(f"cleanup: {len(report.deleted)} records deleted"
          + (f", {len(report.failed)} not deleted" if report.failed else ""), file=out,
          flush=True)
    result.errors += [f"cleanup: {failure}" for failure in report.failed]
