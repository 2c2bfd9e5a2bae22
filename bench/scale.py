"""Benchmark 3 of issue 6, scale: retrieve and update stay flat as one tenant grows.

For each size (100, 10,000 and 100,000 assistants in one tenant) a ``--data`` file is seeded
through the service layer, ``assistant-fake serve --data FILE`` loads it, and the median
latency of retrieve and update is measured over HTTP, one request at a time on one keep-alive
connection per server, against the same 100 randomly chosen assistants at every size (so every
size updates documents of the same history). All sizes are served at once and take turns
request by request, so load from elsewhere on the machine hits every size alike. Targets: at
100,000 both within 1.5x of their time at 100, and the server's RSS below 1 GiB. List is
measured with 1,000 assistants.

    python -m bench.scale [--api telnyx|achieveapex|all] [--sizes 100,10000,100000]
"""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from typing import Any

from bench.common import machine_note, markdown_table, ratio
from bench.served import (
    Request,
    interleaved_p50_ms,
    sample,
    scratch_dir,
    seed_data_file,
    serve,
)

QUICK_ARGV = ["--sizes", "100,1000", "--samples", "50"]
"""Arguments of ``python -m bench --quick``: a smoke run."""
SIZES = (100, 10_000, 100_000)
LIST_SIZE = 1_000
TARGETS = 100  # assistants read and updated at every size
RATIO_TARGET = 1.5
RSS_TARGET_MB = 1024


def operations(api: str, ids: list[Any], samples: int) -> dict[str, list[Request]]:
    """The retrieve, update and list requests of one API, round robin over ``ids``."""
    pick = [ids[n % len(ids)] for n in range(samples)]
    if api == "telnyx":
        base = "/v2/ai/assistants"
        return {"retrieve": [("GET", f"{base}/{i}", None) for i in pick],
                "update": [("POST", f"{base}/{i}", {"greeting": f"Hello {n}"})
                           for n, i in enumerate(pick)],
                "list": [("GET", base, None)] * samples}
    base = "/ai-assistants"
    return {"retrieve": [("GET", f"{base}/{i}", None) for i in pick],
            "update": [("PATCH", f"{base}/{i}", {"instructions": f"Be brief {n}."})
                       for n, i in enumerate(pick)],
            "list": [("GET", f"{base}?%24limit=50&%24sort%5Bcreated_at%5D=-1", None)] * samples}


def measure(api: str, sizes: list[int], samples: int, kinds: tuple[str, ...]
            ) -> dict[int, dict[str, Any]]:
    """Seed one data file per size, serve them all at once, and measure them interleaved."""
    with scratch_dir() as directory, ExitStack() as stack:
        requests, served, service_us = {}, {}, {}
        for size in sizes:
            data_file = directory / f"state-{size}.json"
            seeded = seed_data_file(data_file, api, size)
            requests[size] = operations(api, sample(seeded.ids, TARGETS), samples)
            served[size] = stack.enter_context(serve("--data", str(data_file)))
            service_us[size] = seeded.service_us
        results: dict[int, dict[str, Any]] = {
            size: {f"service_{kind}": us for kind, us in service_us[size].items()}
            for size in sizes}
        for kind in kinds:
            medians = interleaved_p50_ms(
                {size: (served[size].port, requests[size][kind]) for size in sizes}, api)
            for size, median in medians.items():
                results[size][kind] = median
        for size in sizes:
            results[size]["rss_mb"] = served[size].rss_mb()
            results[size]["start_s"] = served[size].started_in
    return results


def report(api: str, sizes: list[int], by_size: dict[int, dict[str, Any]],
           listed: dict[str, Any] | None) -> list[list[Any]]:
    base = by_size[sizes[0]]
    rows = []
    for size in sizes:
        row = by_size[size]
        rows.append([api, f"{size:,}", f"{row['retrieve']:.2f}",
                     ratio(row["retrieve"], base["retrieve"]), f"{row['update']:.2f}",
                     ratio(row["update"], base["update"]), "-",
                     f"{row['service_retrieve']:.0f} / {row['service_update']:.0f}",
                     f"{row['rss_mb']:.0f}", f"{row['start_s']:.1f}"])
    if listed is not None:
        rows.append([api, f"{LIST_SIZE:,}", "-", "-", "-", "-", f"{listed['list']:.2f}", "-",
                     f"{listed['rss_mb']:.0f}", f"{listed['start_s']:.1f}"])
    return rows


def verdicts(api: str, sizes: list[int], by_size: dict[int, dict[str, Any]]) -> list[str]:
    small, large = by_size[sizes[0]], by_size[sizes[-1]]
    lines = []
    for kind in ("retrieve", "update"):
        times = large[kind] / small[kind]
        in_process = large[f"service_{kind}"] / small[f"service_{kind}"]
        verdict = "ok" if times <= RATIO_TARGET else "MISSED"
        lines.append(f"- {api} {kind} at {sizes[-1]:,}: {times:.2f}x its time at {sizes[0]:,} "
                     f"(target <= {RATIO_TARGET}x): {verdict}; in-process {in_process:.2f}x")
    verdict = "ok" if large["rss_mb"] < RSS_TARGET_MB else "MISSED"
    lines.append(f"- {api} RSS at {sizes[-1]:,}: {large['rss_mb']:.0f} MiB "
                 f"(target < {RSS_TARGET_MB} MiB): {verdict}")
    return lines


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--api", choices=["telnyx", "achieveapex", "all"], default="all")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated tenant sizes; the first is the baseline")
    parser.add_argument("--samples", type=int, default=200, help="requests per measurement")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    apis = ["telnyx", "achieveapex"] if args.api == "all" else [args.api]
    rows: list[list[Any]] = []
    notes: list[str] = []
    for api in apis:
        by_size = measure(api, sizes, args.samples, ("retrieve", "update"))
        listed = measure(api, [LIST_SIZE], args.samples, ("list",))[LIST_SIZE]
        rows += report(api, sizes, by_size, listed)
        notes += verdicts(api, sizes, by_size)
    header = ["API", "assistants", "retrieve p50 ms", "vs first", "update p50 ms", "vs first",
              "list p50 ms", "in-process retrieve / update p50 µs", "RSS MiB", "start s"]
    return "\n".join([
        "### Scale: one tenant, p50 latency over HTTP (`serve --data`)", "",
        markdown_table(header, rows), "", *notes,
        "- HTTP update includes the journal's fdatasync, whose time on a shared disk varies "
        "far more than the fake's own work; the in-process column (service layer on a "
        "memory store, no HTTP, no disk) isolates the store's scaling",
        f"- {machine_note()}"])


if __name__ == "__main__":
    print(main())
