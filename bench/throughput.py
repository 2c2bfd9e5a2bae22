"""Benchmark 1 of issue 6, throughput: the fake against Prism on the project's Telnyx spec.

Both serve at once on loopback; wrk (1 thread, 10 connections, fixed duration) drives each
case against each of them back to back, after a short unmeasured warm-up, alternating which
goes first; with ``--repeat`` the medians are reported. Cases: retrieve, list (the fake holds
100 assistants for the key; Prism answers its static example), update, create. The fake is the
real ``assistant-fake serve`` (uvicorn, in-memory store, request validation always on); Prism
is ``prism mock`` with its request validation (on by default). Targets: the fake at least 2x
Prism's requests/s on retrieve and update, and a p99 no worse than Prism's.

    python -m bench.throughput [--seconds 10] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from bench.common import (
    KEY,
    Row,
    Server,
    WrkResult,
    fake_command,
    free_port,
    machine_note,
    median,
    prism_command,
    request,
    rows_table,
    run_wrk,
    running,
    wrk_script,
)

SEEDED = 100
TARGET_RATIO = 2.0
JSON_HEADERS = {"Content-Type": "application/json"}
CREATE_BODY = json.dumps({"name": "Bench", "instructions": "Help the caller."})
UPDATE_BODY = json.dumps({"greeting": "Hello from the benchmark."})


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # under the Telnyx base; {id} is the seeded assistant's id
    body: str | None
    key: str = KEY
    targeted: bool = False  # retrieve and update carry the targets


CASES = (
    Case("retrieve", "GET", "/ai/assistants/{id}", None, targeted=True),
    Case(f"list ({SEEDED} assistants)", "GET", "/ai/assistants", None),
    Case("update", "POST", "/ai/assistants/{id}", UPDATE_BODY, targeted=True),
    # Creates go to another account, so the list case keeps exactly 100 assistants.
    Case("create", "POST", "/ai/assistants", CREATE_BODY, key="bench-create-key"),
)


@dataclass
class Target:
    server: Server
    api_base: str  # the Telnyx base URL: /v2 on the fake, the root on Prism
    assistant_id: str

    def url(self, case: Case) -> str:
        return self.api_base + case.path.format(id=self.assistant_id)


def _headers(case: Case) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {case.key}"}
    return {**headers, **JSON_HEADERS} if case.body is not None else headers


def seed(base: str, count: int = SEEDED) -> str:
    """``count`` assistants for KEY on the fake; answers the first one's id."""
    ids = []
    for n in range(count):
        body = json.dumps({"name": f"Bench {n}", "instructions": "Help the caller."}).encode()
        status, answer = request(f"{base}/ai/assistants", "POST", body,
                                 {"Authorization": f"Bearer {KEY}", **JSON_HEADERS})
        if status != 200:
            raise RuntimeError(f"seeding the fake failed: {status} {answer[:200]!r}")
        ids.append(json.loads(answer)["id"])
    return ids[0]


def check(target: Target, case: Case) -> None:
    """One request before measuring: a case that does not answer 200 measures nothing."""
    body = case.body.encode() if case.body is not None else None
    status, answer = request(target.url(case), case.method, body, _headers(case))
    if status != 200:
        raise RuntimeError(f"{target.server.name} {case.name}: {status} {answer[:300]!r}")


def measure(target: Target, case: Case, seconds: float, warmup: float) -> WrkResult:
    script = wrk_script(case.method, case.body, _headers(case))
    if warmup > 0:
        run_wrk(target.url(case), seconds=warmup, script=script)
    result = run_wrk(target.url(case), seconds=seconds, script=script)
    if result.non_2xx or result.socket_errors:
        print(f"warning: {target.server.name} {case.name}: {result.non_2xx} non-2xx answers, "
              f"{result.socket_errors} socket errors", file=sys.stderr)
    return result


def rows(seconds: float = 10.0, repeat: int = 1, warmup: float = 2.0) -> list[Row]:
    """Run every case ``repeat`` times against both servers; one table row per metric."""
    fake_port, prism_port = free_port(), free_port()
    auth = {"Authorization": f"Bearer {KEY}"}
    with ExitStack() as stack:
        fake = stack.enter_context(running(
            "fake", fake_command(fake_port), f"http://127.0.0.1:{fake_port}", "/__fake/health"))
        prism = stack.enter_context(running(
            "Prism", prism_command(prism_port), f"http://127.0.0.1:{prism_port}",
            "/ai/assistants", auth))
        targets = [Target(fake, fake.base_url + "/v2", seed(fake.base_url + "/v2")),
                   Target(prism, prism.base_url, "assistant-bench")]
        results: dict[tuple[str, str], list[WrkResult]] = {}
        for round_ in range(repeat):
            for case in CASES:
                for target in targets if round_ % 2 == 0 else targets[::-1]:
                    check(target, case)
                    print(f"throughput {round_ + 1}/{repeat}: {case.name} on "
                          f"{target.server.name}", file=sys.stderr, flush=True)
                    results.setdefault((case.name, target.server.name), []).append(
                        measure(target, case, seconds, warmup))
    return [row for case in CASES for row in _case_rows(case, results)]


def _case_rows(case: Case, results: dict[tuple[str, str], list[WrkResult]]) -> list[Row]:
    fake, prism = results[(case.name, "fake")], results[(case.name, "Prism")]

    def both(field: str) -> tuple[float, float]:
        return (median([getattr(r, field) for r in fake]),
                median([getattr(r, field) for r in prism]))

    name = f"throughput: {case.name}"
    return [
        Row(name, "requests/s", *both("requests_per_s"),
            target=f"≥ {TARGET_RATIO:g}x" if case.targeted else ""),
        Row(name, "p50 ms", *both("p50_ms")),
        Row(name, "p99 ms", *both("p99_ms"), target="≤ 1x" if case.targeted else ""),
    ]


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk duration per case")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds per case; the medians are reported")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 2 s per case, 1 round, short warm-up")
    args = parser.parse_args(argv)
    seconds, repeat, warmup = (2.0, 1, 1.0) if args.quick else (args.seconds, args.repeat, 2.0)
    table = rows_table(rows(seconds, repeat, warmup))
    return (f"### Throughput (wrk -t1 -c10 -d{seconds:g}s, median of {repeat})\n\n{table}\n\n"
            f"- {machine_note()}")


if __name__ == "__main__":
    print(main())
