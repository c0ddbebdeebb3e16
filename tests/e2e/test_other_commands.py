"""`loadforge init`, `demo`, `target` and `--version`, end to end."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cli_harness import Target, invoke, run_process
from loadforge.version import __version__


def test_version() -> None:
    completed = run_process(["--version"])
    assert completed.returncode == 0
    assert completed.stdout.splitlines()[0] == f"loadforge {__version__}"
    assert completed.stdout.splitlines()[1].startswith("request path: ")


def test_init_writes_a_starter_that_runs(fresh_target: Target, tmp_path: Path) -> None:
    created = invoke(["init", "My API", "--directory", str(tmp_path)])
    assert created.exit_code == 0, created.output
    starter = next(tmp_path.glob("*.py"))
    assert str(starter) in created.output
    run = invoke(
        ["run", str(starter), "--base-url", fresh_target.url, "-u", "2", "-d", "2s",
         "-o", str(tmp_path / "results")]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.requests > 0
    assert summary.errors == 0, summary.errors_by_type
    again = run_process(["init", "My API", "--directory", str(tmp_path)])
    assert again.returncode == 2
    assert "Traceback" not in again.stderr


def test_demo_runs_the_rest_example_against_the_built_in_target(tmp_path: Path) -> None:
    run = invoke(["demo", "--duration", "4s", "-o", str(tmp_path)])
    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.scenario_name
    assert "ramp 0 → 20" in result.pattern_description
    assert "then spike" in result.pattern_description
    assert result.final_summary.requests > 0
    assert result.final_summary.errors == 0, result.final_summary.errors_by_type


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_target_command_serves_the_demo_api() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "loadforge", "target", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/anything", timeout=1) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline, "the target never answered"
                time.sleep(0.1)
        assert body["method"] == "GET"
    finally:
        process.terminate()
        process.communicate(timeout=10)
    # uvicorn shuts down gracefully, then re-raises SIGTERM as servers do.
    assert process.returncode in (0, -signal.SIGTERM)
