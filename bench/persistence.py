"""Benchmark 4 of issue 6, persistence: writes with ``--data FILE`` versus in memory.

Two servers hold the same 10,000 Telnyx assistants of one tenant: one in memory (loaded from a
fixture file at start-up), one with ``--data`` (a snapshot seeded through the service layer).
Both get the same writes over HTTP from a few concurrent keep-alive connections: updates of
random assistants, then creates. The runs alternate between the two servers for a few rounds
and the median of each is kept, so load from elsewhere on the machine hits both alike.
Target: ``--data`` at least 0.5x the in-memory throughput.

    python -m bench.persistence [--stored 10000] [--requests 400] [--connections 4] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.common import machine_note, markdown_table
from bench.served import (
    KEY,
    Client,
    Request,
    Served,
    scratch_dir,
    seed_data_file,
    serve,
    throughput,
)

QUICK_ARGV = ["--stored", "1000", "--requests", "100", "--rounds", "1"]
"""Arguments of ``python -m bench --quick``: a smoke run."""
STORED = 10_000
RATIO_TARGET = 0.5
ASSISTANTS = "/v2/ai/assistants"


def write_fixture(directory: Path, count: int) -> Path:
    """A fixtures directory with ``count`` assistants for KEY (the in-memory server's state)."""
    folder = directory / "fixtures" / "telnyx"
    folder.mkdir(parents=True)
    bodies = [{"name": f"Bench {n}", "instructions": "Help."} for n in range(count)]
    (folder / "bench.json").write_text(json.dumps({"api_key": KEY, "assistants": bodies}),
                                       encoding="utf-8")
    return folder.parent


def listed_ids(served: Served) -> list[str]:
    client = Client(served.port, "telnyx")
    try:
        return [a["id"] for a in client.call_json(("GET", ASSISTANTS, None))["data"]]
    finally:
        client.close()


def writes(kind: str, ids: list[str], seed: int):
    """The request maker of one run: updates of random stored assistants, or creates."""
    rng = random.Random(seed)

    def make(worker: int, n: int) -> Request:
        if kind == "update":
            return ("POST", f"{ASSISTANTS}/{rng.choice(ids)}", {"greeting": f"Hi {worker}.{n}"})
        return ("POST", ASSISTANTS, {"name": f"New {worker}.{n}", "instructions": "Help."})

    return make


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.persistence", description=__doc__)
    parser.add_argument("--stored", type=int, default=STORED)
    parser.add_argument("--requests", type=int, default=400, help="writes per run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    results: dict[tuple[str, str], list[float]] = {}
    with scratch_dir() as directory, ExitStack() as stack:
        data_file = directory / "state.json"
        data_ids = seed_data_file(data_file, "telnyx", args.stored).ids
        memory = stack.enter_context(serve("--fixtures", str(write_fixture(directory,
                                                                            args.stored))))
        on_disk = stack.enter_context(serve("--data", str(data_file)))
        servers = {"memory": (memory, listed_ids(memory)), "--data": (on_disk, data_ids)}
        for kind in ("update", "create"):
            for run in range(args.rounds):
                for mode, (served, ids) in servers.items():
                    cpu = served.cpu_seconds()
                    rate = throughput(served.port, "telnyx", writes(kind, ids, run),
                                      args.requests, args.connections)
                    cpu_ms = (served.cpu_seconds() - cpu) * 1000 / args.requests
                    results.setdefault((kind, mode), []).append((rate, cpu_ms))
    return report(results, args)


def report(results: dict[tuple[str, str], list[tuple[float, float]]], args: Any) -> str:
    rows, notes = [], []
    for kind in ("update", "create"):
        memory, memory_cpu = _medians(results[(kind, "memory")])
        on_disk, on_disk_cpu = _medians(results[(kind, "--data")])
        ratio = on_disk / memory
        rows.append([kind, f"{memory:.0f}", f"{on_disk:.0f}", f"{ratio:.2f}x",
                     f"{memory_cpu:.2f}", f"{on_disk_cpu:.2f}"])
        verdict = "ok" if ratio >= RATIO_TARGET else "MISSED"
        notes.append(f"- {kind}: --data at {ratio:.2f}x in-memory throughput "
                     f"(target >= {RATIO_TARGET}x): {verdict}")
    header = ["write", "memory writes/s", "--data writes/s", "--data / memory",
              "memory CPU ms/write", "--data CPU ms/write"]
    return "\n".join([
        f"### Persistence: writes/s at {args.stored:,} stored assistants "
        f"({args.connections} connections, median of {args.rounds} runs of {args.requests})",
        "", markdown_table(header, rows), "", *notes,
        "- CPU ms/write is the server process's CPU time per write: unlike writes/s it "
        "hardly depends on other load on the machine", f"- {machine_note()}"])


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r for r, _ in runs), statistics.median(c for _, c in runs)


if __name__ == "__main__":
    print(main())
