"""Assistant tests, test suites and test runs.

A test is a scripted conversation with a rubric; a suite is the set of tests sharing a
``test_suite`` name. The fake runs nothing: when a run finishes, and how, is up to the test-run
lifecycle policy (``lifecycle.py``). By default a run is ``pending`` in the trigger's answer and
has passed the first time it is read back (``settle_run``, the one place that moves runs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from assistant_fake.store import Collection, Store, isoformat
from assistant_fake.vendors.telnyx.assistants import Assistants, AssistantScoped
from assistant_fake.vendors.telnyx.lifecycle import (
    LIFECYCLE_FIELD,
    OPEN_STATUSES,
    TEST_RUNS,
    Lifecycle,
    advance_stored,
    advance_to,
    finished_on_creation,
    new_record_lifecycle,
    public_view,
    read_open,
)
from assistant_fake.vendors.telnyx.rules import (
    DEFAULT_PAGE_NUMBER,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TEST_CHANNEL,
    BadRequest,
    NotFound,
    page,
)

REQUIRED_FIELDS = ("name", "destination", "instructions", "rubric")
TEST_FIELDS = (*REQUIRED_FIELDS, "description", "max_duration_seconds",
               "telnyx_conversation_channel", "test_suite")
TRIGGERED_BY = "api"
STATUS_ALIASES = {"completed": {"passed", "failed", "error"}}
"""The SDK's run filters say "completed"; the run status enum says passed/failed/error."""


RUN_LOGS = {
    "passed": "Test run {run_id} passed {count} criteria.",
    "failed": "Test run {run_id} failed {count} criteria.",
    "error": "Test run {run_id} ended with an error before it could be evaluated.",
}


def finish_run(run: Mapping[str, Any], status: str, now: str) -> dict[str, Any]:
    """The run ended with ``status`` (passed, failed or error) at ``now``: every rubric
    criterion shares the run's status."""
    return {**run, "status": status, "completed_at": now, "updated_at": now,
            "conversation_id": run["_conversation_id"],
            "detail_status": [{"name": name, "status": status} for name in run["_criteria"]],
            "logs": RUN_LOGS[status].format(run_id=run["run_id"], count=len(run["_criteria"]))}


def settle_run(run: dict[str, Any], now: datetime) -> dict[str, Any]:
    """How a run moves when it is read back: one more read under its lifecycle policy (runs
    stored before policies existed follow the default one); a finished run never changes."""
    read = read_open(run, TEST_RUNS, now)
    if read is None:
        return run
    run, finished_at = read
    return run if finished_at is None else finish_run(run, run[LIFECYCLE_FIELD]["outcome"],
                                                      isoformat(finished_at))


def advance_run(run: dict[str, Any], status: str | None, now: datetime) -> dict[str, Any]:
    """Move an open run by hand: to ``status``, or by default to its policy's outcome."""
    status = advance_to(run, TEST_RUNS, status, f"Test run {run['run_id']}")
    if status in OPEN_STATUSES[TEST_RUNS]:
        return {**run, "status": status, "updated_at": isoformat(now)}
    return finish_run(run, status, isoformat(now))



class AssistantTests(AssistantScoped):
    """Tests and their runs, per tenant."""

    def __init__(self, store: Store, assistants: Assistants | None = None,
                 lifecycle: Lifecycle | None = None) -> None:
        super().__init__(store, assistants)
        self._lifecycle = lifecycle or Lifecycle(store)

    def _tests(self, tenant: str) -> Collection:
        return self._collection(tenant, "tests")

    def _runs(self, tenant: str) -> Collection:
        return self._collection(tenant, "test_runs")

    # --- tests ------------------------------------------------------------------------------

    def create(self, tenant: str, body: Mapping[str, Any]) -> dict[str, Any]:
        missing = [field for field in REQUIRED_FIELDS if body.get(field) is None]
        if missing:
            raise BadRequest(f"Missing required field(s): {', '.join(missing)}.")
        test = {"test_id": self._uuid(),
                **{key: body[key] for key in TEST_FIELDS if body.get(key) is not None},
                "created_at": self._stamp()}
        test.setdefault("telnyx_conversation_channel", DEFAULT_TEST_CHANNEL)
        with self._store.transaction():
            self._tests(tenant).put(test["test_id"], test)
        return test

    def list(self, tenant: str, *, page_number: int = DEFAULT_PAGE_NUMBER,
             page_size: int = DEFAULT_PAGE_SIZE, destination: str | None = None,
             telnyx_conversation_channel: str | None = None,
             test_suite: str | None = None) -> dict[str, Any]:
        """``{"data", "meta"}`` in creation order; each given filter must match exactly."""
        wanted = {"destination": destination, "test_suite": test_suite,
                  "telnyx_conversation_channel": telnyx_conversation_channel}
        tests = [test for test in self._tests(tenant).values()
                 if all(value is None or test.get(key) == value for key, value in wanted.items())]
        return page(tests, page_number, page_size)

    def get(self, tenant: str, test_id: str) -> dict[str, Any]:
        test = self._tests(tenant).get(test_id)
        if test is None:
            raise NotFound(f"Assistant test {test_id} not found.")
        return test

    def update(self, tenant: str, test_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Sent fields replace; a null clears an optional field and is ignored otherwise."""
        keep = (*REQUIRED_FIELDS, "telnyx_conversation_channel")
        with self._store.transaction():
            test = self.get(tenant, test_id)
            for key in (key for key in TEST_FIELDS if key in body):
                if body[key] is not None:
                    test[key] = body[key]
                elif key not in keep:
                    test.pop(key, None)
            self._tests(tenant).put(test_id, test)
            return test

    def delete(self, tenant: str, test_id: str) -> None:
        """Remove the test and every run of it."""
        with self._store.transaction():
            if not self._tests(tenant).delete(test_id):
                raise NotFound(f"Assistant test {test_id} not found.")
            runs = self._runs(tenant)
            for run in runs.values():
                if run["test_id"] == test_id:
                    runs.delete(run["run_id"])

    def list_suites(self, tenant: str) -> dict[str, Any]:
        """``{"data": [...]}``: the distinct suite names in use, sorted."""
        names = {test["test_suite"] for test in self._tests(tenant).values()
                 if test.get("test_suite")}
        return {"data": sorted(names)}

    # --- runs -------------------------------------------------------------------------------

    def trigger_run(self, tenant: str, test_id: str,
                    destination_version_id: str | None = None) -> dict[str, Any]:
        """A pending run of one test (the 201 body)."""
        with self._store.transaction():
            test = self.get(tenant, test_id)
            self._check_version(tenant, destination_version_id)
            return public_view(self._new_run(tenant, test, destination_version_id, None))

    def trigger_suite_run(self, tenant: str, suite_name: str,
                          destination_version_id: str | None = None) -> list[dict[str, Any]]:
        """One pending run per test of the suite, sharing a ``test_suite_run_id``."""
        with self._store.transaction():
            tests = [test for test in self._tests(tenant).values()
                     if test.get("test_suite") == suite_name]
            if not tests:
                raise NotFound(f"Test suite {suite_name} not found.")
            self._check_version(tenant, destination_version_id)
            batch = self._uuid()
            return [public_view(self._new_run(tenant, test, destination_version_id, batch))
                    for test in tests]

    def list_runs(self, tenant: str, test_id: str, *, page_number: int = DEFAULT_PAGE_NUMBER,
                  page_size: int = DEFAULT_PAGE_SIZE, status: str | None = None) -> dict[str, Any]:
        """``{"data", "meta"}``: the test's runs, newest first."""
        with self._store.transaction():
            self.get(tenant, test_id)
            runs = self._settled(tenant, lambda run: run["test_id"] == test_id)
        return page(_with_status(runs, status), page_number, page_size)

    def list_suite_runs(self, tenant: str, suite_name: str, *,
                        page_number: int = DEFAULT_PAGE_NUMBER,
                        page_size: int = DEFAULT_PAGE_SIZE, status: str | None = None,
                        test_suite_run_id: str | None = None) -> dict[str, Any]:
        """``{"data", "meta"}``: runs triggered through the suite, newest first."""
        def wanted(run: Mapping[str, Any]) -> bool:
            batch = run.get("test_suite_run_id")
            if run["_test_suite"] != suite_name or batch is None:
                return False
            return test_suite_run_id is None or batch == test_suite_run_id

        with self._store.transaction():
            runs = self._settled(tenant, wanted)
        return page(_with_status(runs, status), page_number, page_size)

    def get_run(self, tenant: str, test_id: str, run_id: str) -> dict[str, Any]:
        with self._store.transaction():
            run = self._runs(tenant).get(run_id)
            if run is None or run["test_id"] != test_id:
                raise NotFound(f"Test run {run_id} not found.")
            return public_view(self._settle(tenant, run))

    def _check_version(self, tenant: str, version_id: str | None) -> None:
        if version_id is not None and not self._assistants.version_exists(tenant, version_id):
            raise BadRequest(f"Assistant version {version_id} does not exist.")

    def _new_run(self, tenant: str, test: Mapping[str, Any], version_id: str | None,
                 batch: str | None) -> dict[str, Any]:
        now = self._stamp()
        state = new_record_lifecycle(self._lifecycle.policy(tenant, TEST_RUNS), self._now())
        run = {"run_id": self._uuid(), "test_id": test["test_id"],
               "status": "pending", "triggered_by": TRIGGERED_BY, "created_at": now,
               "updated_at": now, "_conversation_id": self._uuid(),
               "_criteria": [item["name"] for item in test["rubric"]],
               "_test_suite": test.get("test_suite"), "_destination_version_id": version_id,
               LIFECYCLE_FIELD: state}
        if batch is not None:
            run["test_suite_run_id"] = batch
        if finished_on_creation(state):
            run = finish_run(run, state["outcome"], now)
        self._runs(tenant).put(run["run_id"], run)
        return run

    def _settle(self, tenant: str, run: dict[str, Any]) -> dict[str, Any]:
        settled = settle_run(run, self._now())
        if settled != run:
            self._runs(tenant).put(run["run_id"], settled)
        return settled

    # --- lifecycle control (the admin API) --------------------------------------------------

    def advance(self, run_id: str, status: str | None = None,
                tenant: str | None = None) -> dict[str, Any]:
        """Move an open run of any tenant (or of ``tenant``) on by hand; answers it as the API
        would. NotFound for an unknown run, AlreadyFinished for a finished one."""
        advanced = advance_stored(self._store, _runs_prefix(tenant), "/test_runs", run_id,
                                  lambda run: advance_run(run, status, self._now()))
        if advanced is None:
            raise NotFound(f"Test run {run_id} not found.")
        return advanced

    def _settled(self, tenant: str, wanted: Any) -> list[dict[str, Any]]:
        runs = [self._settle(tenant, run) for run in self._runs(tenant).values() if wanted(run)]
        runs.reverse()
        return [public_view(run) for run in runs]


def _with_status(runs: Iterable[Mapping[str, Any]], status: str | None) -> list[Any]:
    if status is None:
        return list(runs)
    accepted = STATUS_ALIASES.get(status, {status})
    return [run for run in runs if run["status"] in accepted]


def _runs_prefix(tenant: str | None) -> str:
    return f"telnyx/{tenant}/test_runs" if tenant is not None else "telnyx/"
