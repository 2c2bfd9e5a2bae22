"""Benchmark 2 of issue 6, start-up: from process start to the first 200, fake against Prism.

Each run launches the server (``assistant-fake serve``, in-memory store; ``prism mock`` on
the project's Telnyx spec) and polls every 5 ms until the first 200: on the fake,
``/__fake/health`` and then a Telnyx ``GET /v2/ai/assistants``; on Prism,
``GET /ai/assistants``. Fake and Prism alternate; the medians of ``--runs`` runs are reported.
Target: the fake's time at most 0.5x Prism's.

    python -m bench.startup [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bench.common import (
    KEY,
    Row,
    fake_command,
    free_port,
    launch,
    machine_note,
    median,
    prism_command,
    rows_table,
    stop,
    wait_for_200,
)

TARGET = "≤ 0.5x"
AUTH = {"Authorization": f"Bearer {KEY}"}


def fake_once() -> tuple[float, float]:
    """Seconds to the first 200 on ``/__fake/health``, then on a Telnyx GET."""
    port = free_port()
    server = launch("fake", fake_command(port), f"http://127.0.0.1:{port}")
    try:
        health = wait_for_200(server, "/__fake/health")
        telnyx = wait_for_200(server, "/v2/ai/assistants", AUTH)
        return health, telnyx
    finally:
        stop(server)


def prism_once() -> float:
    port = free_port()
    server = launch("Prism", prism_command(port), f"http://127.0.0.1:{port}")
    try:
        return wait_for_200(server, "/ai/assistants", AUTH)
    finally:
        stop(server)


def rows(runs: int = 5) -> list[Row]:
    health: list[float] = []
    telnyx: list[float] = []
    prism: list[float] = []
    for run in range(runs):
        print(f"start-up {run + 1}/{runs}", file=sys.stderr, flush=True)
        if run % 2:
            prism.append(prism_once())
        fake_health, fake_telnyx = fake_once()
        health.append(fake_health)
        telnyx.append(fake_telnyx)
        if not run % 2:
            prism.append(prism_once())
    return [
        Row("start-up: first 200 (fake: /__fake/health)", "seconds", median(health),
            median(prism), TARGET),
        Row("start-up: first 200 on a Telnyx GET", "seconds", median(telnyx), median(prism),
            TARGET),
    ]


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="launches of each server")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 launch each")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    return (f"### Start-up (median of {runs})\n\n{rows_table(rows(runs))}\n\n"
            f"- {machine_note()}")


if __name__ == "__main__":
    print(main())
