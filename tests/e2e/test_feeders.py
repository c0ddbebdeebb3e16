"""Feeders end to end: `loadforge run` on two workers, unique rows, the run's end, bad files."""

from __future__ import annotations

from pathlib import Path

from cli_harness import EXAMPLES, Target, invoke, run_process
from loadforge.metrics.models import RunEventKind, RunStatus

SCENARIO = """
from loadforge import Feeder, HttpClient, scenario, task

accounts = Feeder.csv("accounts.csv", mode="unique")


@scenario(name="unique", base_url="http://127.0.0.1:9", think_time=0.02)
class Unique:
    @task
    async def buy(self, client: HttpClient) -> None:
        row = accounts.next()
        await client.get("/anything/" + row["user"], name=row["user"])
"""


def scenario_with(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "accounts.csv").write_text(csv_text)
    path = tmp_path / "unique.py"
    path.write_text(SCENARIO)
    return path


def test_unique_rows_go_out_once_across_workers_and_end_the_run(
    fresh_target: Target, tmp_path: Path
) -> None:
    rows = "user\n" + "".join(f"u{i}\n" for i in range(30))
    scenario = scenario_with(tmp_path, rows)
    run = invoke([
        "run", str(scenario), "--base-url", fresh_target.url, "-o", str(tmp_path / "out"),
        "-u", "4", "-d", "30s", "-w", "2", "--no-report",
    ])  # fmt: skip

    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.status is RunStatus.COMPLETED
    assert result.duration_seconds < 25, "the run ends when the rows run out"
    summary = result.final_summary
    assert {name: e.requests for name, e in summary.endpoints.items()} == {
        f"u{i}": 1 for i in range(30)
    }
    assert summary.task_errors == 0
    assert fresh_target.served() == 30
    (event, *_) = [e for e in result.events if e.kind is RunEventKind.DATA_EXHAUSTED]
    assert "accounts.csv ran out of rows (mode unique" in event.cause
    assert "ran out of rows" in " ".join(run.output.split()), "the terminal says why it stopped"


def test_a_bad_row_stops_the_run_before_traffic_naming_file_and_line(
    fresh_target: Target, tmp_path: Path
) -> None:
    scenario = scenario_with(tmp_path, "user,password\nann,a\nbob\n")
    run = run_process(["run", str(scenario), "--base-url", fresh_target.url, "-o", str(tmp_path)])

    assert run.returncode == 2, run.stderr
    message = " ".join(run.stderr.split())
    assert "accounts.csv:3: 1 fields, but the header has 2" in message
    assert "Traceback" not in run.stderr
    assert fresh_target.served() == 0


def test_the_feeders_example_runs_cleanly(fresh_target: Target, tmp_path: Path) -> None:
    run = invoke([
        "run", str(EXAMPLES / "feeders.py"), "--base-url", fresh_target.url,
        "-o", str(tmp_path), "-u", "3", "-d", "2s", "-w", "2", "--no-report",
    ])  # fmt: skip

    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.errors == 0, summary.errors_by_type
    assert summary.endpoints["Log In"].requests > 0
    assert summary.endpoints["Get Item"].requests > 0
