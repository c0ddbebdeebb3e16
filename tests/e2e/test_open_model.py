"""`loadforge run --arrival-rate` end to end: rate accuracy, dropped iterations, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, invoke

DELAYED = (
    "from loadforge import HttpClient, scenario, task\n\n"
    '@scenario(name="Delayed", base_url="http://127.0.0.1:1")\n'
    "class Delayed:\n"
    "    @task\n"
    "    async def slow(self, client: HttpClient) -> None:\n"
    '        await client.get("/delay/200", name="slow")\n'
)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_iterations_start_at_the_set_rate(
    fresh_target: Target, tmp_path: Path, workers: str
) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "--arrival-rate", "100", "-d", "3s", "-w", workers]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    summary = result.final_summary
    # Starts at 0, 1/100, ... strictly before 3 s: exactly 300, split or not.
    assert summary.requests == fresh_target.served() == 300
    assert summary.started_iterations == 300
    assert summary.dropped_iterations == 0
    assert summary.latency_corrected_p50 >= summary.latency_min
    assert "iterations/s" in result.pattern_description
    assert "dropped iterations" in run.output


def test_two_workers_keep_the_rate_against_a_delayed_target(target: Target, tmp_path: Path) -> None:
    scenario = tmp_path / "delayed.py"
    scenario.write_text(DELAYED.replace("/delay/200", "/delay/50"))
    run = invoke(
        ["run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
         "--arrival-rate", "40", "-d", "3s", "-w", "2"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert 120 * 0.95 <= summary.requests <= 120 * 1.05
    assert summary.dropped_iterations == 0
    assert 50 <= summary.latency_p50 <= summary.latency_corrected_p99
    (endpoint,) = summary.endpoints.values()
    assert 50 <= endpoint.latency_p50 <= endpoint.latency_corrected_p99
    assert endpoint.latency_corrected_p99 <= summary.latency_corrected_max


def test_starts_missed_when_every_user_is_busy_are_counted(target: Target, tmp_path: Path) -> None:
    scenario = tmp_path / "delayed.py"
    scenario.write_text(DELAYED)
    # 2 users at 200 ms per iteration manage 10 of the 40 starts per second.
    run = invoke(
        ["run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
         "--arrival-rate", "40", "--max-users", "2", "-d", "2s", "-w", "1"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.requests <= 24
    assert summary.dropped_iterations >= 50
    assert summary.started_iterations + summary.dropped_iterations == 80
    assert summary.latency_corrected_p99 >= summary.latency_p50


def test_ramping_the_rate_over_two_workers(fresh_target: Target, tmp_path: Path) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "-p", "ramp", "--arrival-rate", "10", "--ramp-to", "110",
         "-d", "2s", "-w", "2"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    snapshots = run.result().snapshots
    # The mean rate of a 10 → 110 ramp over 2 s is 60 per second.
    total = sum(s.requests for s in snapshots)
    assert 120 * 0.9 <= total <= 120 * 1.1
    planned = [s for s in snapshots if not s.drain]
    assert planned[0].requests < planned[-1].requests


def test_half_an_iteration_per_second_over_two_workers(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "--arrival-rate", "0.5", "-d", "5s", "-w", "2"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    # Starts at 0, 2 and 4 s, alternating between the workers: neither share
    # of 0.25/s rounds to 0, and the two schedules do not start together.
    assert result.final_summary.requests == fresh_target.served() == 3
    assert "constant 0.5 iterations/s" in result.pattern_description


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--arrival-rate", "10", "-u", "5"], "either --users"),
        (["--max-users", "5"], "--max-users bounds the open model"),
        (["--arrival-rate", "0"], "--arrival-rate must be more than 0"),
        (["--arrival-rate", "0.0001"], "steps of 0.001"),
    ],
)
def test_bad_open_model_flags_are_clear_errors(flags: list[str], message: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "loadforge", "run", str(EXAMPLES / "basic_get.py"), *flags],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_rate_asked_for_and_the_starts_made_are_recorded(
    target: Target, tmp_path: Path, workers: str
) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url,
         "-o", str(tmp_path), "--arrival-rate", "20", "-d", "3s", "-w", workers, "-q"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    summary = result.final_summary
    planned = [s for s in result.snapshots if s.elapsed_seconds <= 3.0]
    assert len(planned) >= 2
    assert all(s.target_rate == pytest.approx(20.0) for s in planned)
    assert summary.target_rate == pytest.approx(20.0)
    assert summary.started_iterations == sum(s.started_iterations for s in result.snapshots)
    assert summary.started_iterations == 60
    assert summary.started_iterations == summary.requests  # one request per iteration
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert stored["final_summary"]["target_rate"] == pytest.approx(20.0)
    assert stored["snapshots"][0]["started_iterations"] == result.snapshots[0].started_iterations
