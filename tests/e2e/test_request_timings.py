"""Request timings through the CLI: run-wide and per endpoint, in the results and the gates."""

from __future__ import annotations

import json
from pathlib import Path

from cli_harness import CliRun, Target, invoke, run_process
from junit_schema import validate_junit

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="timed", base_url="http://127.0.0.1:1", think_time=0.01, record_timings=True)
class Timed:
    @task
    async def items(self, client: HttpClient) -> None:
        await client.get("/items", name="List Items")
"""

TWO_ENDPOINTS = """
from loadforge import HttpClient, scenario, task


@scenario(name="split", base_url="http://127.0.0.1:1", think_time=0, record_timings=True)
class Split:
    @task
    async def both(self, client: HttpClient) -> None:
        await client.get("/delay/60", name="Slow")
        await client.get("/items", name="List Items")
"""

UNTIMED = """
from loadforge import HttpClient, scenario, task


@scenario(name="untimed", base_url="http://127.0.0.1:1", think_time=0.01)
class Untimed:
    @task
    async def items(self, client: HttpClient) -> None:
        client.record_timings = True
        await client.get("/items")
"""


def test_timings_reach_result_json_and_gate_the_run(target: Target, tmp_path: Path) -> None:
    scenario = tmp_path / "timed.py"
    scenario.write_text(SCENARIO)
    junit = tmp_path / "junit.xml"
    run = invoke([
        "run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
        "-u", "2", "-d", "1s", "-w", "1", "--plotly", "cdn", "--junit", str(junit),
        "--threshold", "ttfb: p95<30s", "--threshold", "receiving: max<30s",
        "--threshold", "connecting: max<30s", "--threshold", "ttfb: min<0.001ms",
    ])  # fmt: skip

    assert run.exit_code == 1, run.output
    result = run.result()
    metrics = result.final_summary.metrics
    requests = result.final_summary.endpoints["List Items"].requests
    assert metrics["ttfb"].count == requests
    assert metrics["receiving"].count == requests
    assert 1 <= metrics["connecting"].count <= 2
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert set(stored["trend_histograms"]) == {"ttfb", "receiving", "connecting"}
    assert stored["final_summary"]["metrics"]["ttfb"]["type"] == "trend"
    assert [o["passed"] for o in stored["thresholds"]] == [True, True, True, False]
    metrics_csv = (run.results_dir / "metrics.csv").read_text()
    assert all(name in metrics_csv for name in ("ttfb", "receiving", "connecting"))
    assert 'id="metrics-table"' in (run.results_dir / "report.html").read_text()
    suite = validate_junit(junit.read_text()).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")


def _split_run(target: Target, tmp_path: Path, *thresholds: str) -> CliRun:
    scenario = tmp_path / "split.py"
    scenario.write_text(TWO_ENDPOINTS)
    flags = [arg for threshold in thresholds for arg in ("--threshold", threshold)]
    return invoke([
        "run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
        "-u", "2", "-d", "1s", "-w", "1", "--plotly", "cdn", *flags,
    ])  # fmt: skip


def test_each_endpoint_has_its_own_timings_in_the_results(target: Target, tmp_path: Path) -> None:
    run = _split_run(target, tmp_path, '"ttfb{Slow}": p50>50ms', '"ttfb{List Items}": p95<50ms')

    assert run.exit_code == 0, run.output
    result = run.result()
    slow = result.final_summary.endpoints["Slow"]
    assert set(slow.timings) == {"connecting", "ttfb", "receiving"}
    assert slow.timings["ttfb"].count == slow.requests
    assert slow.timings["ttfb"].p50 >= 50
    assert result.final_summary.endpoints["List Items"].timings["ttfb"].p50 < 50
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert set(stored["timing_histograms"]) == {"Slow", "List Items"}
    assert set(stored["timing_histograms"]["Slow"]) == {"connecting", "ttfb", "receiving"}
    assert stored["final_summary"]["endpoints"]["Slow"]["timings"]["ttfb"]["count"] > 0
    metrics_csv = (run.results_dir / "metrics.csv").read_text()
    assert "ttfb{Slow}," in metrics_csv
    assert "receiving{List Items}," in metrics_csv
    report = (run.results_dir / "report.html").read_text()
    assert 'id="timings-table"' in report
    assert '<td class="text">Slow</td>' in report


def test_a_gate_on_one_endpoint_s_ttfb_fails_the_run(target: Target, tmp_path: Path) -> None:
    run = _split_run(target, tmp_path, '"ttfb{Slow}": p95<20ms', '"ttfb{List Items}": p95<50ms')

    assert run.exit_code == 1, run.output
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert [o["passed"] for o in stored["thresholds"]] == [False, True]
    assert stored["thresholds"][0]["message"].startswith("failed: p95 was ")
    assert stored["thresholds"][0]["actual"] >= 50


def test_a_ttfb_threshold_without_recorded_timings_is_refused_before_any_load(
    fresh_target: Target, tmp_path: Path
) -> None:
    scenario = tmp_path / "untimed.py"
    scenario.write_text(UNTIMED)
    completed = run_process([
        "run", str(scenario), "--base-url", fresh_target.url, "-o", str(tmp_path / "out"),
        "-u", "1", "-d", "1s", "--threshold", "ttfb: p95<100ms",
    ])  # fmt: skip

    assert completed.returncode == 2, completed.stderr
    assert "record_timings=True" in " ".join(completed.stderr.split())
    assert fresh_target.served() == 0
