"""Turning the engine's event stream into progress lines, a per-operation summary, JUnit XML and
an exit code (what ``st run``'s output handlers do, kept to what CI logs need)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from schemathesis.engine import Status, events
from schemathesis.engine.statistic import Statistic
from schemathesis.reporting.junitxml import JunitXmlWriter
from schemathesis.reporting.recorders import scenario_records

if TYPE_CHECKING:
    from assistant_fake.contract.runner import ContractResult

_MARKS = {Status.SUCCESS: ".", Status.FAILURE: "F", Status.ERROR: "E", Status.SKIP: "s",
          Status.INTERRUPTED: "!"}
_LINE_WIDTH = 80


class Progress:
    def __init__(self, out: TextIO, result: ContractResult, output_config: Any,
                 report: Path | None) -> None:
        self.out = out
        self.result = result
        self.statistic = Statistic()
        self.output_config = output_config
        self.junit = JunitXmlWriter(report) if report is not None else None
        self._column = 0

    def on_event(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.PhaseStarted):
            self._line(f"phase {event.phase.name.value}")
        elif isinstance(event, events.PhaseFinished) and event.phase.is_enabled:
            self._line(f"phase {event.phase.name.value}: {event.status.value}")
        elif isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            self.statistic.on_scenario_finished(event.recorder)
            self._count_cases(event.recorder)
            self._mark(_MARKS.get(event.status, "?"))
        elif isinstance(event, events.NonFatalError):
            message = event.info.format(base_url_is_set=True)
            self.result.errors.append(f"{event.label}: {message}")
            self._mark("E")
        elif isinstance(event, events.FatalError):
            self.result.errors.append(f"fatal: {event.exception}")
        elif isinstance(event, events.EngineFinished) and event.failures:
            self.statistic.record_run_check_failures(event.failures, label="run checks")
        if self.junit is not None:
            for record in scenario_records(self.statistic, event):
                self.junit.record_scenario(label=record.label, elapsed_sec=record.elapsed_sec,
                                           failures=record.failures,
                                           skip_reason=record.skip_reason,
                                           config=self.output_config)
            if isinstance(event, events.NonFatalError):
                self.junit.record_error(label=event.label,
                                        message=event.info.format(base_url_is_set=True))

    def _count_cases(self, recorder: Any) -> None:
        for node in recorder.cases.values():
            label = node.value.operation.label
            self.result.operations.setdefault(label, _summary()).cases += 1

    def _mark(self, mark: str) -> None:
        if self._column >= _LINE_WIDTH:
            self.out.write("\n")
            self._column = 0
        self.out.write(mark)
        self._column += 1
        self.out.flush()

    def _line(self, text: str) -> None:
        if self._column:
            self.out.write("\n")
            self._column = 0
        print(text, file=self.out, flush=True)

    def finish(self) -> None:
        """Collect failures, print the summary, write the report, settle the exit code."""
        result = self.result
        for label, groups in self.statistic.failures.items():
            for group in groups.values():
                status = group.response.status_code if group.response is not None else None
                for failure in group.failures:
                    message = (failure.message or "").strip().replace("\n", " | ")
                    if status is not None:
                        message = f"[{status}] {message}"
                    result.failures.append((label, failure.title, message))
                    result.operations.setdefault(_operation_of(label), _summary()).failures.append(
                        failure.title)
        if self.junit is not None:
            self.junit.unskip(self.statistic.tested_operations)
            self.junit.close()
        result.exit_code = 1 if result.failures or result.errors else 0
        if not self.statistic.total_cases and not result.errors:
            result.errors.append("no test cases ran")
            result.exit_code = 1
        self._print_summary()

    def _print_summary(self) -> None:
        result = self.result
        self._line("")
        print(f"{'operation':<64} {'cases':>6}  result", file=self.out)
        for label in sorted(result.operations):
            summary = result.operations[label]
            verdict = "ok" if not summary.failures else "; ".join(sorted(set(summary.failures)))
            print(f"{label:<64} {summary.cases:>6}  {verdict}", file=self.out)
        for label, title, message in result.failures:
            print(f"FAILED {label}: {title}: {message[:400]}", file=self.out)
        for error in result.errors:
            print(f"ERROR {error[:400]}", file=self.out)
        total = sum(s.cases for s in result.operations.values())
        status = "passed" if result.exit_code == 0 else "FAILED"
        print(f"{result.api}: {status}: {total} cases, {len(result.operations)} operations, "
              f"{len(result.failures)} failures, {len(result.errors)} errors "
              f"in {result.elapsed:.1f}s (seed {result.seed})", file=self.out, flush=True)


def _summary() -> Any:
    from assistant_fake.contract.runner import OperationSummary

    return OperationSummary()


def _operation_of(label: str) -> str:
    """Failure labels can carry a coverage scenario after the operation; keep "METHOD /path"."""
    parts = label.split(" ")
    return " ".join(parts[:2]) if len(parts) >= 2 else label
