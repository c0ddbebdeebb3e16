"""`loadforge run --workers N` end to end: processes, lost workers, orphans, signals, rates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, invoke, is_running, worker_pids
from loadforge.metrics.models import RunStatus


@contextmanager
def running(target: Target, out: Path, *flags: str) -> Iterator[subprocess.Popen[str]]:
    """A real `loadforge run` process of basic_get.py, killed if the test leaves it running."""
    process = subprocess.Popen(
        [
            sys.executable, "-m", "loadforge", "run", str(EXAMPLES / "basic_get.py"),
            "--base-url", target.url, "-o", str(out), *flags,
        ],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def wait_for_snapshots(out: Path, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        files = list(out.glob("*/snapshots.jsonl"))
        if files and files[0].read_text().count("\n") >= count:
            return
        assert time.monotonic() < deadline, f"the run never wrote {count} snapshots"
        time.sleep(0.05)


def result_json(out: Path) -> dict[str, object]:
    document = json.loads(next(out.glob("*/result.json")).read_text())
    assert isinstance(document, dict)
    return document


def test_two_workers_count_exactly_what_the_target_served(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "rest_api.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "-u", "5", "-d", "2s", "-w", "2", "--seed", "3"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.workers == 2
    assert result.status is RunStatus.COMPLETED
    summary = result.final_summary
    assert summary.errors == 0, summary.errors_by_type
    assert summary.requests == fresh_target.served()
    assert summary.endpoints["Log Out"].requests == 5  # every user's teardown, in both workers


def test_one_worker_and_two_workers_write_the_same_result_form(
    target: Target, tmp_path: Path
) -> None:
    forms = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        run = invoke(
            ["run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url,
             "-o", str(out), "-u", "2", "-d", "1s", "-w", workers]
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        document = result_json(out)
        summary = document["final_summary"]
        assert isinstance(summary, dict)
        forms.append((sorted(document), sorted(summary)))
        assert document["workers"] == int(workers)
    assert forms[0] == forms[1]


def test_queue_transport_counts_exactly(fresh_target: Target, tmp_path: Path) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "-u", "4", "-d", "2s", "-w", "2", "--metrics-transport", "queue"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert run.result().final_summary.requests == fresh_target.served()


def test_a_worker_killed_mid_run_is_recorded_and_the_run_completes(
    target: Target, tmp_path: Path
) -> None:
    with running(target, tmp_path, "-u", "4", "-d", "3s", "-w", "2") as process:
        wait_for_snapshots(tmp_path, 1)
        workers = worker_pids(process.pid)
        assert len(workers) == 2
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "lost" in out
    document = result_json(tmp_path)
    assert document["status"] == "completed"
    events = document["events"]
    assert isinstance(events, list)
    assert len(events) == 1
    assert events[0]["kind"] == "worker_lost"
    assert events[0]["cause"] == "killed by signal 9"


def test_no_worker_outlives_a_killed_coordinator(target: Target, tmp_path: Path) -> None:
    with running(target, tmp_path, "-u", "4", "-d", "30s", "-w", "2") as process:
        wait_for_snapshots(tmp_path, 1)
        workers = [pid for pid in worker_pids(process.pid) if is_running(pid)]
        assert len(workers) == 2
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=5)
        deadline = time.monotonic() + 2.0
        while any(is_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if is_running(pid)]


def test_sigint_with_workers_stops_them_and_writes_results(
    fresh_target: Target, tmp_path: Path
) -> None:
    with running(fresh_target, tmp_path, "-u", "3", "-d", "60s", "-w", "2") as process:
        wait_for_snapshots(tmp_path, 1)
        workers = worker_pids(process.pid)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "stopping gracefully" in out
    assert not [pid for pid in workers if is_running(pid)]
    document = result_json(tmp_path)
    assert document["status"] == "interrupted"
    summary = document["final_summary"]
    assert isinstance(summary, dict)
    assert summary["requests"] == fresh_target.served()


def test_rps_is_split_among_workers_and_exact(fresh_target: Target, tmp_path: Path) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "-u", "20", "-d", "4s", "-w", "2", "--rps", "200"]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    total = run.result().final_summary.requests
    assert 800 * 0.98 <= total <= 800 * 1.02 + 2


@pytest.mark.parametrize(
    ("flags", "message"),
    [(["-w", "0"], "--workers must be at least 1"),
     (["--metrics-transport", "pigeon"], "'shm' or 'queue'")],
)  # fmt: skip
def test_bad_worker_flags_are_clear_errors(flags: list[str], message: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "loadforge", "run", str(EXAMPLES / "basic_get.py"), *flags],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr
