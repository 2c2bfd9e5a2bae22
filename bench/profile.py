"""Where the fake's time goes under load: py-spy samples ``assistant-fake serve`` while wrk
drives one throughput case, and the hottest functions are printed as markdown.

Samples are taken with ``--gil`` (only the thread holding the GIL counts), so the shares are
of the CPU time Python spends, not of threads waiting. Needs py-spy (``pip install py-spy``)
and, inside containers, the permission to ptrace a child process.

    python -m bench.profile --case retrieve [--seconds 10] [--top 25] [--raw FILE]
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from bench.common import (
    MissingTool,
    fake_command,
    free_port,
    markdown_table,
    run_wrk,
    running,
    wrk_script,
)
from bench.throughput import CASES, Target, _headers, seed


def py_spy_path() -> str:
    path = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(path).exists():
        raise MissingTool("py-spy is missing: pip install py-spy")
    return path


def summarise(collapsed: str, top: int) -> tuple[int, list[tuple[str, int, int]]]:
    """Samples in py-spy's collapsed format -> (total, [(frame, inclusive, self)]) by
    inclusive count; a frame repeated in one stack (recursion) counts once."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        frames = stack.split(";")[1:]  # the first entry names the thread
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        if frames:
            own[frames[-1]] += samples
    return total, [(frame, n, own[frame]) for frame, n in inclusive.most_common(top)]


def profile(case_name: str, seconds: float) -> str:
    case = next(c for c in CASES if c.name.split()[0] == case_name)
    port = free_port()
    with running("fake", fake_command(port), f"http://127.0.0.1:{port}",
                 "/__fake/health") as fake, tempfile.TemporaryDirectory() as scratch:
        target = Target(fake, fake.base_url + "/v2", seed(fake.base_url + "/v2"))
        script = wrk_script(case.method, case.body, _headers(case))
        load = threading.Thread(target=run_wrk, args=(target.url(case),),
                                kwargs={"seconds": seconds + 2, "script": script})
        load.start()
        raw = Path(scratch) / "profile.txt"
        subprocess.run([py_spy_path(), "record", "--pid", str(fake.process.pid), "--gil",
                        "--rate", "200", "--duration", str(round(seconds)), "--format", "raw",
                        "--output", str(raw)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        load.join()
        return raw.read_text(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=[c.name.split()[0] for c in CASES], default="retrieve")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--raw", type=Path, metavar="FILE",
                        help="also keep the collapsed stacks (for flame graph tools)")
    args = parser.parse_args(argv)
    collapsed = profile(args.case, args.seconds)
    if args.raw is not None:
        args.raw.write_text(collapsed, encoding="utf-8")
    total, frames = summarise(collapsed, args.top)
    rows = [[f"`{frame}`", f"{n / total:.1%}", f"{own / total:.1%}"] for frame, n, own in frames]
    return (f"### Profile: {args.case} ({total} samples holding the GIL)\n\n"
            + markdown_table(["function", "inclusive", "self"], rows))


if __name__ == "__main__":
    print(main())
