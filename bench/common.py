"""What the throughput and start-up benchmarks share: the peers (wrk, Prism), starting and
stopping servers, waiting for the first 200, running wrk and reading its ``--latency`` output,
and the markdown table.

Everything runs on loopback and every process started here is stopped by its own handle.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / ".node"  # git-ignored: Prism is installed here
PRISM_PACKAGE = "@stoplight/prism-cli@5"
SPEC = ROOT / "openapi" / "telnyx-ai-assistants.yaml"
KEY = "bench-key"
START_TIMEOUT = 120.0


class MissingTool(RuntimeError):
    """A peer the benchmarks need is not installed; the message says how to install it."""


# --- the peers --------------------------------------------------------------------------------

def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise MissingTool("wrk is missing: apt-get install -y wrk (Debian's package)")
    return path


def prism_path() -> str:
    """Prism's CLI from ``bench/.node`` (installed there with npm on first use) or the PATH."""
    local = NODE_DIR / "node_modules" / ".bin" / "prism"
    if local.exists():
        return str(local)
    on_path = shutil.which("prism")
    if on_path is not None:
        return on_path
    command = ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR),
               PRISM_PACKAGE]
    if shutil.which("npm") is None:
        raise MissingTool("Prism is missing: apt-get install -y nodejs npm, then "
                          + " ".join(command))
    print(f"installing Prism: {' '.join(command)}", file=sys.stderr, flush=True)
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return str(local)


def fake_command(port: int) -> list[str]:
    """``assistant-fake serve`` as installed next to this Python (in-memory store)."""
    script = Path(sys.executable).with_name("assistant-fake")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "assistant_fake"]
    return [*launcher, "serve", "--port", str(port)]


def prism_command(port: int) -> list[str]:
    """``prism mock`` on the project's own Telnyx spec: request validation on (its default),
    static examples, logging at ``warn`` as the fake logs at ``warning`` (no access log)."""
    return [prism_path(), "mock", "--host", "127.0.0.1", "--port", str(port),
            "--verboseLevel", "warn", str(SPEC)]


# --- servers ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    base_url: str
    started_at: float  # time.perf_counter() right before Popen


def launch(name: str, command: Sequence[str], base_url: str) -> Server:
    started_at = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    return Server(name, process, base_url, started_at)


def stop(server: Server) -> None:
    """Stop the server (and anything it forked, in its own session) that this run started."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@contextmanager
def running(name: str, command: Sequence[str], base_url: str, probe: str,
            headers: Mapping[str, str] | None = None) -> Iterator[Server]:
    server = launch(name, command, base_url)
    try:
        wait_for_200(server, probe, headers)
        yield server
    finally:
        stop(server)


def request(url: str, method: str = "GET", body: bytes | None = None,
            headers: Mapping[str, str] | None = None, timeout: float = 10.0
            ) -> tuple[int, bytes]:
    """One request on a fresh connection: (status, body)."""
    match = re.match(r"http://([^/:]+):(\d+)(/.*)?$", url)
    if match is None:
        raise ValueError(f"not a loopback http URL: {url}")
    connection = http.client.HTTPConnection(match[1], int(match[2]), timeout=timeout)
    try:
        connection.request(method, match[3] or "/", body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_for_200(server: Server, path: str, headers: Mapping[str, str] | None = None,
                 timeout: float = START_TIMEOUT) -> float:
    """Poll ``path`` until it answers 200; seconds from the server's launch to that answer."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        try:
            status, _ = request(server.base_url + path, headers=headers, timeout=5)
            if status == 200:
                return time.perf_counter() - server.started_at
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{server.name} answered no 200 on {path} within {timeout:.0f} s")


# --- wrk --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int = 0
    socket_errors: int = 0


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's summary printed with ``--latency``."""
    def first(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return match

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_s=float(first(r"^Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=_ms(first(r"^\s+50%\s+(\S+)")[1]),
        p99_ms=_ms(first(r"^\s+99%\s+(\S+)")[1]),
        requests=int(first(r"^\s+(\d+) requests in")[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def wrk_script(method: str, body: str | None, headers: Mapping[str, str]) -> str:
    """A wrk Lua script sending one fixed request (method, headers, JSON body)."""
    lines = [f'wrk.method = "{method}"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()]
    if body is not None:
        lines.append(f"wrk.body = [[{body}]]")
    return "\n".join(lines) + "\n"


def run_wrk(url: str, *, seconds: float, script: str, connections: int = 10,
            threads: int = 1) -> WrkResult:
    """wrk with 1 thread and 10 connections (the issue's load) for a fixed duration."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                   "--latency", "-s", handle.name, url]
        done = subprocess.run(command, capture_output=True, text=True, check=True,
                              timeout=seconds + 60)
        return parse_wrk(done.stdout)
    finally:
        os.unlink(handle.name)


# --- reporting --------------------------------------------------------------------------------

def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_note() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs, load average {load:.1f}; Python "
            f"{sys.version.split()[0]}")


@dataclass(frozen=True)
class Row:
    """One line of the combined table: a metric of the fake next to Prism's."""

    benchmark: str
    metric: str
    fake: float
    prism: float
    target: str = ""  # e.g. "≥ 2x": the fake/Prism ratio the issue asks for

    @property
    def met(self) -> bool | None:
        match = re.fullmatch(r"([≥≤]) ([\d.]+)x", self.target)
        if match is None or not self.prism:
            return None
        value = self.fake / self.prism
        return value >= float(match[2]) if match[1] == "≥" else value <= float(match[2])


def rows_table(rows: Sequence[Row]) -> str:
    verdict = {True: "yes", False: "**no**", None: ""}
    return markdown_table(
        ["benchmark", "metric", "fake", "Prism", "fake / Prism", "target", "met"],
        [[r.benchmark, r.metric, _number(r.fake), _number(r.prism), ratio(r.fake, r.prism),
          r.target, verdict[r.met]] for r in rows])


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
