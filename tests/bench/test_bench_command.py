"""The benchmark command's own plumbing: wrk's output is read right, the table and its
verdicts are right, and ``python -m bench --help`` runs. No benchmark is run here."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Captured from `wrk -t1 -c10 -d2s --latency -s update.lua URL` against the fake.
WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:39313/v2/ai/assistants/assistant-5b0e
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    16.08ms   12.45ms 131.64ms   94.01%
    Req/Sec   686.00    241.43     0.96k    65.31%
  Latency Distribution
     50%  811.00us
     75%   18.74ms
     90%   25.16ms
     99%    1.23s
  3378 requests in 5.04s, 2.05MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    670.13
Transfer/sec:    416.29KB
"""


@pytest.fixture(scope="module")
def common():
    """``bench/common.py``: the benchmarks are not part of the installed package."""
    spec = importlib.util.spec_from_file_location("bench_common", ROOT / "bench" / "common.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def test_wrk_output_gives_requests_per_second_and_latency_percentiles_in_ms(common) -> None:
    result = common.parse_wrk(WRK_OUTPUT)
    assert result.requests_per_s == 670.13
    assert result.p50_ms == pytest.approx(0.811)
    assert result.p99_ms == pytest.approx(1230.0)
    assert result.requests == 3378


def test_wrk_output_counts_non_2xx_answers_and_socket_errors(common) -> None:
    result = common.parse_wrk(WRK_OUTPUT)
    assert (result.non_2xx, result.socket_errors) == (4, 3)


def test_wrk_output_without_latency_distribution_is_refused(common) -> None:
    with pytest.raises(ValueError, match="unexpected wrk output"):
        common.parse_wrk(WRK_OUTPUT.replace("     50%  811.00us\n", ""))


def test_a_wrk_script_sends_the_method_headers_and_body(common) -> None:
    script = common.wrk_script("POST", '{"a": 1}', {"Authorization": "Bearer k"})
    assert script.splitlines() == ['wrk.method = "POST"',
                                   'wrk.headers["Authorization"] = "Bearer k"',
                                   'wrk.body = [[{"a": 1}]]']


@pytest.mark.parametrize(("fake", "prism", "target", "met"), [
    (300.0, 100.0, "≥ 2x", True), (150.0, 100.0, "≥ 2x", False),
    (1.0, 4.0, "≤ 0.5x", True), (3.0, 4.0, "≤ 0.5x", False), (1.0, 4.0, "", None)])
def test_a_row_meets_its_target_by_the_fake_to_prism_ratio(common, fake, prism, target,
                                                           met) -> None:
    assert common.Row("b", "m", fake, prism, target).met is met


def test_the_table_shows_both_values_the_ratio_and_the_verdict(common) -> None:
    table = common.rows_table([common.Row("throughput: retrieve", "requests/s", 1500.0, 300.0,
                                          "≥ 2x")])
    assert table.splitlines()[-1] == (
        "| throughput: retrieve | requests/s | 1,500 | 300 | 5.00x | ≥ 2x | yes |")


def test_python_m_bench_help_lists_the_sections() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    assert "throughput,startup,scale,persistence" in done.stdout
