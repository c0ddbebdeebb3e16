"""Task exceptions end to end: their message and line in every output, and the exit rule."""

from __future__ import annotations

import json
from pathlib import Path

from cli_harness import CliRun, Target, invoke

ALWAYS_RAISES = """
from loadforge import HttpClient, scenario, task


@scenario(name="Broken", base_url="http://127.0.0.1:1", think_time=0.05)
class Broken:
    @task
    async def browse(self, client: HttpClient) -> None:
        await client.get("/anything", no_such_argument=("u", "p"))
"""

SOMETIMES_RAISES = """
from loadforge import HttpClient, scenario, task


@scenario(name="Flaky", base_url="http://127.0.0.1:1", think_time=0.05)
class Flaky:
    calls = 0

    @task
    async def browse(self, client: HttpClient) -> None:
        self.calls += 1
        if self.calls % 2 == 0:
            raise ValueError("every other call fails")
        await client.get("/anything", name="Anything")
"""


def _run(target: Target, tmp_path: Path, source: str, *flags: str) -> CliRun:
    scenario = tmp_path / "scenario.py"
    scenario.write_text(source, encoding="utf-8")
    return invoke(
        ["run", str(scenario), "--base-url", target.url, "-o", str(tmp_path), "-d", "2s", *flags]
    )


def test_a_run_where_every_task_raised_fails_and_says_why(target: Target, tmp_path: Path) -> None:
    run = _run(target, tmp_path, ALWAYS_RAISES, "-u", "2")

    assert run.exit_code == 1, run.output
    assert "FAILED: no request was sent and the tasks raised" in run.output
    assert "TypeError: " in run.output
    assert "unexpected keyword argument 'no_such_argument'" in run.output
    assert f"{tmp_path / 'scenario.py'}:9 in browse" in run.output
    summary = run.result().final_summary
    assert summary.requests == 0
    (exception,) = summary.task_exceptions
    assert exception.type == "TypeError"
    assert exception.count == summary.task_errors > 0
    assert exception.traceback.endswith(
        'scenario.py:9 in browse: await client.get("/anything", no_such_argument=("u", "p"))'
    )
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert stored["final_summary"]["task_exceptions"][0]["message"] == exception.message
    report = (run.results_dir / "report.html").read_text(encoding="utf-8")
    assert "Task exceptions" in report
    assert "no_such_argument" in report


def test_the_failure_holds_with_thresholds_that_pass(target: Target, tmp_path: Path) -> None:
    run = _run(target, tmp_path, ALWAYS_RAISES, "-u", "1", "--threshold", "p95<10s")

    assert run.exit_code == 1, run.output
    assert "no request was sent" in run.output


def test_verbose_prints_each_distinct_exception_once(target: Target, tmp_path: Path) -> None:
    run = _run(target, tmp_path, ALWAYS_RAISES, "-u", "2", "-v")

    assert run.output.count("(first of its kind)") == 1, run.output


def test_a_partial_failure_exits_as_its_thresholds_say(target: Target, tmp_path: Path) -> None:
    run = _run(target, tmp_path, SOMETIMES_RAISES, "-u", "2")

    assert run.exit_code == 0, run.output
    assert "ValueError: every other call fails" in run.output
    summary = run.result().final_summary
    assert summary.requests > 0
    assert summary.task_errors > 0
    # The exceptions are not request errors: error_rate is failed requests over requests.
    assert (summary.errors, summary.error_rate) == (0, 0.0)
    assert summary.iterations == summary.requests + summary.task_errors
    assert summary.task_error_rate == summary.task_errors / summary.iterations
    assert f"Task exceptions {summary.task_errors:,} (" in run.output


def test_a_task_error_rate_threshold_gates_a_partial_failure(
    target: Target, tmp_path: Path
) -> None:
    run = _run(target, tmp_path, SOMETIMES_RAISES, "-u", "2", "--threshold", "task_error_rate<10%")

    assert run.exit_code == 1, run.output
    assert "FAILED: threshold task_error_rate<10%" in run.output
