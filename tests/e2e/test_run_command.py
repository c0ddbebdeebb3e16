"""`loadforge run` end to end against the built-in target."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, CliRun, Target, invoke, run_process
from loadforge.formatting import ms, percent
from loadforge.metrics.models import RunStatus


def run_against(
    target: Target, out: Path, scenario: str | Path, *flags: str, env: dict[str, str] | None = None
) -> CliRun:
    """`loadforge run` of an example (or a file) against the demo API, results in `out`."""
    path = scenario if isinstance(scenario, Path) else EXAMPLES / scenario
    return invoke(["run", str(path), "--base-url", target.url, "-o", str(out), *flags], env=env)


def test_basic_run_counts_exactly_what_the_target_served(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = run_against(fresh_target, tmp_path, "basic_get.py", "-u", "5", "-d", "3s")
    assert run.exit_code == 0, run.output
    result = run.result()
    summary = result.final_summary
    assert result.status is RunStatus.COMPLETED
    assert summary.requests > 50
    assert summary.requests == fresh_target.served()
    assert summary.errors == 0
    assert sum(s.requests for s in result.snapshots) == summary.requests
    assert 3 <= len(result.snapshots) <= 5
    assert 0 < summary.latency_p50 <= summary.latency_p99 <= summary.latency_max
    directory = run.results_dir
    assert directory.parent == tmp_path
    assert directory.name.startswith("basic-get") or directory.name.startswith("basic")
    lines = (directory / "snapshots.jsonl").read_text().splitlines()
    assert len(lines) == len(result.snapshots)
    with (directory / "snapshots.csv").open() as rows_file:
        rows = list(csv.DictReader(rows_file))
    assert len(rows) == len(result.snapshots)


def test_rest_example_with_setup_and_teardown(fresh_target: Target, tmp_path: Path) -> None:
    run = run_against(fresh_target, tmp_path, "rest_api.py", "-u", "4", "-d", "3s", "--seed", "1")
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.errors == 0, summary.errors_by_type
    assert summary.task_errors == 0
    assert summary.requests == fresh_target.served()
    assert {"List Items", "Get Item"} <= set(summary.endpoints)


def test_the_seed_plan_example_runs_unchanged(fresh_target: Target, tmp_path: Path) -> None:
    run = run_against(
        fresh_target, tmp_path, "seed_plan_example.py", "-u", "3", "-d", "2s",
        env={"TOKEN": "initial-token"},
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.errors == 0, summary.errors_by_type
    assert "POST /auth/login" in summary.endpoints
    assert summary.endpoints["POST /auth/logout"].requests == 3
    assert summary.requests == fresh_target.served()


@pytest.mark.parametrize(
    ("example", "flags"),
    [
        ("auth_flow.py", ["-u", "2", "-d", "2s"]),
        ("spike_test.py", ["-p", "spike", "-u", "1", "--spike-users", "4", "--spike-at", "1s",
                           "--spike-duration", "1s", "-d", "3s"]),
        ("diurnal_simulation.py", ["-c", str(EXAMPLES / "diurnal_simulation.toml"), "-d", "3s"]),
        ("composite_pattern.py", ["-c", str(EXAMPLES / "composite_pattern.toml"), "-d", "3s"]),
    ],
)  # fmt: skip
def test_every_example_runs_cleanly(
    fresh_target: Target, tmp_path: Path, example: str, flags: list[str]
) -> None:
    run = invoke(
        [
            "run",
            str(EXAMPLES / example),
            "--base-url",
            fresh_target.url,
            "-o",
            str(tmp_path),
            *flags,
        ]
    )
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.requests > 0
    assert summary.errors == 0, summary.errors_by_type
    assert summary.requests == fresh_target.served()


def test_ramp_pattern_follows_its_target(fresh_target: Target, tmp_path: Path) -> None:
    run = run_against(
        fresh_target,
        tmp_path,
        "basic_get.py",
        "-p",
        "ramp",
        "-u",
        "0",
        "--ramp-to",
        "8",
        "-d",
        "4s",
    )
    assert run.exit_code == 0, run.output
    snapshots = run.result().snapshots
    # The four planned seconds, then the drain, after every user stopped.
    planned = [s for s in snapshots if not s.drain]
    targets = [s.target_users for s in planned]
    assert len(targets) == 4
    assert targets == sorted(targets)
    assert targets[-1] >= 5
    assert all(s.active_users == s.target_users for s in planned)
    assert snapshots[-1].drain
    assert snapshots[-1].active_users == 0


def test_rps_cap_is_exact(fresh_target: Target, tmp_path: Path) -> None:
    run = run_against(
        fresh_target, tmp_path, "basic_get.py", "-u", "20", "-d", "4s", "--rps", "100"
    )
    assert run.exit_code == 0, run.output
    total = run.result().final_summary.requests
    assert 400 * 0.98 <= total <= 400 * 1.02 + 1


def test_error_rate_gate_fails_the_run(fresh_target: Target, tmp_path: Path) -> None:
    scenario = tmp_path / "errors.py"
    scenario.write_text(
        "from loadforge import HttpClient, scenario, task\n\n"
        '@scenario(base_url="http://127.0.0.1:1", think_time=0.01)\n'
        "class Errors:\n"
        "    @task\n"
        "    async def boom(self, client: HttpClient) -> None:\n"
        '        await client.get("/status/503", name="boom")\n'
    )
    run = run_against(
        fresh_target, tmp_path, scenario, "-u", "2", "-d", "1s", "--fail-on-error-rate", "0.05"
    )
    assert run.exit_code == 1
    assert "FAILED: threshold error_rate<=5% (--fail-on-error-rate)" in run.output
    assert "error_rate was 100%" in run.output
    summary = run.result().final_summary
    assert summary.error_rate == 1.0
    assert summary.errors_by_status == {503: summary.requests}
    assert summary.errors_by_type == {"http_503": summary.requests}


def test_plain_lines_when_stdout_is_not_a_terminal(fresh_target: Target, tmp_path: Path) -> None:
    run = run_against(fresh_target, tmp_path, "basic_get.py", "-u", "2", "-d", "2s")
    lines = [line for line in run.output.splitlines() if line.startswith("[0:0")]
    assert len(lines) >= 2
    assert "users 2/2" in lines[0]
    assert "rps" in lines[0]
    assert "p99" in lines[0]


def test_sigint_stops_gracefully_and_writes_results(fresh_target: Target, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "loadforge", "run", str(EXAMPLES / "rest_api.py"),
            "--base-url", fresh_target.url, "-u", "3", "-d", "60s", "-o", str(tmp_path),
        ],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not list(tmp_path.glob("*/snapshots.jsonl")) or not (
        next(tmp_path.glob("*/snapshots.jsonl")).read_text().count("\n") >= 2
    ):
        assert time.monotonic() < deadline, "the run never wrote two snapshots"
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 130, err
    assert "stopping gracefully" in out
    result = json.loads(next(tmp_path.glob("*/result.json")).read_text())
    assert result["status"] == "interrupted"
    assert result["final_summary"]["endpoints"]["Log Out"]["requests"] == 3  # teardowns ran
    assert result["final_summary"]["requests"] == fresh_target.served()
    assert list(tmp_path.glob("*/report.html"))  # an interrupted run still gets its report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.py"], "does not exist"),
        (["run", "{examples}/basic_get.py", "-d", "soon"], "--duration"),
        (["run", "{examples}/basic_get.py", "-p", "zigzag"], "Unknown pattern"),
        (["run", "{examples}/basic_get.py", "--fail-on-error-rate", "5"], "between 0 and 1"),
        (["run", "{examples}/seed_plan_example.py", "--base-url", "http://127.0.0.1:9"], "TOKEN"),
        (["run", "{examples}/basic_get.py", "--config", "nope.toml"], "does not exist"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(args: list[str], message: str) -> None:
    completed = run_process([a.format(examples=EXAMPLES) for a in args], without=("TOKEN",))
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout


def test_syntax_error_in_scenario_shows_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("from loadforge import scenario\n\ndef oops(:\n")
    completed = run_process(["run", str(broken)])
    assert completed.returncode == 2
    assert f"{broken}:3" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_an_error_naming_a_long_path_keeps_it_on_one_line(tmp_path: Path) -> None:
    deep = tmp_path / ("a-directory-with-a-long-name-" * 4)
    deep.mkdir()
    broken = deep / "broken.py"
    broken.write_text("def oops(:\n")
    completed = run_process(["run", str(broken)], env={"COLUMNS": "80"})
    assert completed.returncode == 2
    assert f"{broken}:1" in completed.stderr, completed.stderr


def test_quiet_prints_the_one_line_summary(target: Target, tmp_path: Path) -> None:
    run = run_against(
        target, tmp_path, "basic_get.py", "-u", "2", "-d", "1s", "-q", "--no-report",
        "--threshold", "p95<10s", "--threshold", "requests<1",
    )  # fmt: skip
    assert run.exit_code == 1, run.output
    lines = run.output.strip().splitlines()
    assert len(lines) == 3, run.output
    summary = run.result().final_summary
    assert lines[0] == (
        f"requests {summary.requests:,} · {summary.rps:,.1f} rps · "
        f"p50 {ms(summary.latency_p50)} p95 {ms(summary.latency_p95)} "
        f"p99 {ms(summary.latency_p99)} · errors 0 (0.00%) · thresholds 1 passed, 1 failed"
    )
    assert lines[1].startswith("FAILED: threshold requests<1")
    assert lines[2].startswith("Results: ")


LONG_NAMES = """
from loadforge import HttpClient, scenario, task


@scenario(name="Long names", base_url="http://127.0.0.1:8080", think_time=0)
class LongNames:
    @task
    async def redirect(self, client: HttpClient) -> None:
        await client.get("/anything/redirect", name="absolute-redirect-followed-three-times")

    @task
    async def failing(self, client: HttpClient) -> None:
        await client.get("/status/503", name="GET /status/503 answered with a server error")
"""


def test_piped_output_at_80_columns_fits_and_keeps_names_whole(
    target: Target, tmp_path: Path
) -> None:
    scenario = tmp_path / "long_names.py"
    scenario.write_text(LONG_NAMES)
    run = run_against(
        target, tmp_path, scenario, "--arrival-rate", "10", "-d", "1s", "-w", "1", "--no-report",
        env={"COLUMNS": "80"},
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    endpoints = run.result().final_summary.endpoints
    assert set(endpoints) == {
        "absolute-redirect-followed-three-times",
        "GET /status/503 answered with a server error",
    }
    start = next(i for i, line in enumerate(lines) if line.startswith("Endpoints"))
    for line in lines[start : start + 2 + 2 * len(endpoints)]:
        assert len(line) <= 80, line
    for name, endpoint in endpoints.items():
        where = lines.index(name)  # the whole name, on a line of its own
        cells = lines[where + 1].split()
        assert cells[:2] == [f"{endpoint.requests:,}", f"{endpoint.rps:,.1f}"]
        errors = f"{endpoint.errors:,} ({percent(endpoint.error_rate)})"
        assert lines[where + 1].endswith(f"  {errors}")  # the cell, never wrapped
    assert not any(line.strip().startswith("(") for line in lines), run.output
