"""`loadforge run` as a process: SIGTERM (what Kubernetes and CI send) and `--verbose`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, run_process


def _wait_for_snapshots(directory: Path, count: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        found = list(directory.glob("*/snapshots.jsonl"))
        if found and found[0].read_text().count("\n") >= count:
            return
        assert time.monotonic() < deadline, f"the run never wrote {count} snapshots"
        time.sleep(0.1)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_stops_gracefully_runs_teardowns_and_writes_results(
    fresh_target: Target, tmp_path: Path, workers: str
) -> None:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "loadforge", "run", str(EXAMPLES / "rest_api.py"),
            "--base-url", fresh_target.url, "-u", "3", "-d", "60s", "-o", str(tmp_path),
            "-w", workers,
        ],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_for_snapshots(tmp_path, 2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "SIGTERM: stopping gracefully" in out
    result = json.loads(next(tmp_path.glob("*/result.json")).read_text())
    assert result["status"] == "interrupted"
    assert result["final_summary"]["endpoints"]["Log Out"]["requests"] == 3  # teardowns ran
    assert result["final_summary"]["requests"] == fresh_target.served()
    assert result["duration_seconds"] < 30


def test_verbose_logs_the_engines_debug_lines_and_quiet_by_default(
    fresh_target: Target, tmp_path: Path
) -> None:
    args = [
        "run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
        "-u", "2", "-d", "1s", "-w", "2", "-o", str(tmp_path), "-q",
    ]  # fmt: skip
    verbose = run_process([*args, "--verbose"])
    plain = run_process(args)
    assert verbose.returncode == plain.returncode == 0, verbose.stderr + plain.stderr
    assert "DEBUG loadforge.engine.process_worker: started worker 0" in verbose.stderr
    assert "DEBUG loadforge.engine.process_worker: started worker 1" in verbose.stderr
    assert "DEBUG" not in plain.stderr
    assert "Traceback" not in verbose.stderr


def test_log_format_json_makes_logs_and_progress_one_object_a_line(
    fresh_target: Target, tmp_path: Path
) -> None:
    done = run_process(
        [
            "run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
            "-u", "2", "-d", "2s", "-w", "2", "-o", str(tmp_path), "-v", "--log-format", "json",
        ]
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    logs = [json.loads(line) for line in lines if line.startswith("{")]
    # Under `make test` the child runs with coverage, whose own warnings (a
    # path, then the indented source line) are the only other lines allowed.
    others = [line for line in lines if not line.startswith("{")]
    assert all("CoverageWarning" in line or line.startswith(" ") for line in others), others
    assert {"time", "level", "logger", "message"} <= set(logs[0])
    assert any(entry["message"].startswith("started worker 0") for entry in logs)
    progress = [json.loads(line) for line in done.stdout.splitlines() if line.startswith('{"time"')]
    assert len(progress) >= 2
    assert all(entry["logger"] == "loadforge.progress" for entry in progress)
    assert progress[-1]["total_requests"] == sum(entry["requests"] for entry in progress)
