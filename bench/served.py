"""What the scale and persistence benchmarks share: seeded data files, a real ``assistant-fake
serve`` process, and a small keep-alive load generator.

Seeding goes through the service layer in a child process (100,000 assistants over HTTP would
take longer than the measurement), straight into a ``--data`` snapshot; the measurements are
then HTTP requests against ``python -m assistant_fake serve``, as a client would make them.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import free_port

KEY = "bench-key"
START_TIMEOUT = 600.0  # loading a 100,000-assistant snapshot on a busy machine takes a while
HEADERS = {
    "telnyx": {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    "achieveapex": {"x-api-key": KEY, "Content-Type": "application/json"},
}

Request = tuple[str, str, Any]  # method, path, JSON body or None


# --- seeding --------------------------------------------------------------------------------

def _seed(path: str, api: str, count: str, out_file: str) -> None:
    """Child process: ``count`` assistants of ``api`` for KEY, written as a snapshot; then the
    in-process (memory, no HTTP) median of retrieve and update on the seeded store."""
    from assistant_fake.core.tenants import tenant_id
    from assistant_fake.store import Store
    from assistant_fake.store.storages import write_json_atomically

    store = Store()
    tenant = tenant_id(KEY)
    if api == "telnyx":
        from assistant_fake.vendors.telnyx.service import TelnyxService

        assistants = TelnyxService(store).assistants
        ids = [assistants.create(tenant, {"name": f"Bench {n}", "instructions": "Help."})["id"]
               for n in range(int(count))]
        operations = {"retrieve": lambda i, n: assistants.get(tenant, i),
                      "update": lambda i, n: assistants.update(tenant, i, {"greeting": f"{n}"})}
    else:
        from assistant_fake.vendors.achieveapex.service import AchieveApexService

        service = AchieveApexService(store)
        caller = service.organizations.register(tenant)
        body = {"organization_id": caller.organization_id, "assistant_type": "conversation",
                "ai_model_id": 1}
        ids = [service.assistants.create(caller, {**body, "name": f"Bench {n}"})["id"]
               for n in range(int(count))]
        operations = {
            "retrieve": lambda i, n: service.assistants.get(caller, i),
            "update": lambda i, n: service.assistants.patch(caller, i, {"instructions": f"{n}"})}
    write_json_atomically(Path(path), store.storage.read())
    targets = sample(ids, 100)
    service_us = {kind: _median_us(operation, targets) for kind, operation in operations.items()}
    Path(out_file).write_text(json.dumps({"ids": ids, "service_us": service_us}),
                              encoding="utf-8")


def _median_us(operation: Callable[[Any, int], Any], targets: list[Any]) -> float:
    times = []
    for n in range(300):
        begin = time.perf_counter()
        operation(targets[n % len(targets)], n)
        times.append(time.perf_counter() - begin)
    return statistics.median(times) * 1e6


@dataclass
class Seeded:
    ids: list[Any]
    service_us: dict[str, float]  # in-process median per operation, memory store, no HTTP


def seed_data_file(path: Path, api: str, count: int) -> Seeded:
    """Write a ``--data`` file holding ``count`` assistants of one tenant.

    A child process does it, so the benchmark's own process stays small (its garbage
    collector would otherwise add pauses to the measurements).
    """
    out_file = path.with_name(path.name + ".seeded")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [root, os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "bench.served", str(path), api, str(count),
                    str(out_file)], check=True, env=env)
    return Seeded(**json.loads(out_file.read_text(encoding="utf-8")))


# --- the server -----------------------------------------------------------------------------

@dataclass
class Served:
    process: subprocess.Popen
    port: int
    started_in: float  # seconds from launch to the first healthy answer

    def rss_mb(self) -> float:
        """Resident memory of the server process now (Linux ``/proc``), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="ascii")
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system, Linux ``/proc``).

        Unlike throughput it hardly depends on what else runs on the machine.
        """
        fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii")
        utime, stime = fields.rpartition(")")[2].split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(*args: str) -> Iterator[Served]:
    """``python -m assistant_fake serve ARGS`` on a free port, until the block ends."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant_fake", "serve", "--port", str(port), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(process, port, started)
        yield Served(process, port, time.monotonic() - started)
    finally:
        # benchmark data is thrown away: no need to wait for a compaction at shutdown
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)


def _wait_healthy(process: subprocess.Popen, port: int, started: float) -> None:
    while time.monotonic() - started < START_TIMEOUT:
        if process.poll() is not None:
            raise RuntimeError(f"assistant-fake serve exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/__fake/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("assistant-fake serve did not become healthy")


# --- load -----------------------------------------------------------------------------------

class Client:
    """One keep-alive connection that checks every answer is a 2xx."""

    def __init__(self, port: int, api: str) -> None:
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self._headers = HEADERS[api]

    def call(self, request: Request) -> bytes:
        method, path, body = request
        payload = None if body is None else json.dumps(body)
        self._connection.request(method, path, body=payload, headers=self._headers)
        response = self._connection.getresponse()
        content = response.read()
        if not 200 <= response.status < 300:
            raise RuntimeError(f"{method} {path}: {response.status} {content[:200]!r}")
        return content

    def call_json(self, request: Request) -> Any:
        return json.loads(self.call(request))

    def close(self) -> None:
        self._connection.close()


def interleaved_p50_ms(servers: dict[Any, tuple[int, Sequence[Request]]], api: str,
                       warmup: int = 10) -> dict[Any, float]:
    """Median latency per server, taking turns request by request.

    Each server gets its ``requests`` on its own keep-alive connection, but one request at a
    time in rotation, so a busy moment on a shared machine slows every server alike and the
    ratios between them stay meaningful.
    """
    clients = {key: Client(port, api) for key, (port, _) in servers.items()}
    times: dict[Any, list[float]] = {key: [] for key in servers}
    try:
        rounds = min(len(requests) for _, requests in servers.values())
        keys = list(servers)
        for n in range(rounds):
            # each round starts with the next server: whoever goes right after another
            # server's request shares the CPU with that server's leftover work
            for key in keys[n % len(keys):] + keys[:n % len(keys)]:
                requests = servers[key][1]
                begin = time.perf_counter()
                clients[key].call(requests[n])
                if n >= warmup:
                    times[key].append(time.perf_counter() - begin)
    finally:
        for client in clients.values():
            client.close()
    return {key: statistics.median(values) * 1000 for key, values in times.items()}


def throughput(port: int, api: str, make: Callable[[int, int], Request], total: int,
               connections: int) -> float:
    """Requests per second: ``total`` requests ``make(worker, n)`` over ``connections``
    concurrent keep-alive connections."""
    per_worker = total // connections
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        client = Client(port, api)
        try:
            for n in range(per_worker):
                client.call(make(worker, n))
        except BaseException as error:  # reported after the run
            errors.append(error)
        finally:
            client.close()

    workers = [threading.Thread(target=work, args=(w,)) for w in range(connections)]
    begin = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - begin
    if errors:
        raise RuntimeError(f"{len(errors)} workers failed: {errors[0]}")
    return per_worker * connections / elapsed


def sample(ids: Sequence[Any], count: int, seed: int = 1) -> list[Any]:
    """``count`` ids picked at random (reproducibly)."""
    return random.Random(seed).sample(list(ids), min(count, len(ids)))


@contextmanager
def scratch_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="assistant-fake-bench-") as name:
        yield Path(name)


if __name__ == "__main__":
    _seed(*sys.argv[1:])  # seed_data_file's child process
