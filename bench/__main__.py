"""Every benchmark of issue 6 in one run, printed as markdown.

Throughput and start-up (the fake against Prism) share one table with fake/Prism ratios and
the issue's targets; the other sections (``bench.scale``, ``bench.persistence``, when present)
follow with their own tables. Progress goes to stderr, the markdown to stdout (or ``--output``).

    python -m bench                          # everything, the real durations
    python -m bench --quick                  # a smoke run in about a minute
    python -m bench --only throughput,startup
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.common import MissingTool, machine_note, rows_table

OWN_SECTIONS = ("throughput", "startup")
OTHER_SECTIONS = ("scale", "persistence")
SECTIONS = OWN_SECTIONS + OTHER_SECTIONS


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="LIST", default=",".join(SECTIONS),
                        help=f"comma-separated sections out of {','.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true",
                        help="short durations and single runs, for a smoke test")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="wrk duration per throughput case (default 10)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="throughput rounds per case; medians are reported (default 3)")
    parser.add_argument("--runs", type=int, default=5,
                        help="start-up launches of each server; medians (default 5)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="also write the markdown to FILE")
    return parser


def run(args: argparse.Namespace) -> str:
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise SystemExit(f"python -m bench: unknown section(s): {', '.join(unknown)}")
    parts = ["## Benchmarks", ""]
    rows = []
    if "throughput" in sections:
        from bench import throughput

        seconds, repeat, warmup = ((2.0, 1, 1.0) if args.quick
                                   else (args.seconds, args.repeat, 2.0))
        rows += throughput.rows(seconds, repeat, warmup)
        parts.append(f"- throughput: wrk -t1 -c10 -d{seconds:g}s --latency, loopback, "
                     f"median of {repeat} round(s) after a {warmup:g} s warm-up")
    if "startup" in sections:
        from bench import startup

        runs = 1 if args.quick else args.runs
        rows += startup.rows(runs)
        parts.append(f"- start-up: process start to first 200, median of {runs} launch(es)")
    if rows:
        parts += [f"- {machine_note()}", "", rows_table(rows)]
    for name in (s for s in OTHER_SECTIONS if s in sections):
        parts += ["", _other_section(name, args.quick)]
    return "\n".join(parts)


def _other_section(name: str, quick: bool) -> str:
    """The scale or persistence section, imported only when it runs."""
    module = importlib.import_module(f"bench.{name}")
    # each section names its own smoke-run arguments (QUICK_ARGV)
    argv = getattr(module, "QUICK_ARGV", []) if quick else []
    print(f"{name} {' '.join(argv)}".strip(), file=sys.stderr, flush=True)
    return module.main(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        markdown = run(args)
    except MissingTool as error:
        print(f"python -m bench: {error}", file=sys.stderr)
        return 2
    print(markdown)
    if args.output is not None:
        args.output.write_text(markdown + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
