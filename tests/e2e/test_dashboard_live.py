"""`loadforge run --dashboard` end to end: a real run, real WebSocket clients, the real API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, run_process
from dashboard_harness import Recorder, dashboard_process, idle_client
from loadforge.dashboard.schemas import (
    HistoryMessage,
    Phase,
    RunInfo,
    SnapshotMessage,
    TestStatusMessage,
)
from loadforge.metrics.models import RunStatus
from loadforge.results import load_result

pytestmark = pytest.mark.slow


def _run_args(target: Target, output: str, *extra: str) -> list[str]:
    return [
        "run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url, "-o", output,
        "--dashboard", "--dashboard-port", "0", *extra,
    ]  # fmt: skip


def test_every_message_fits_the_schema_and_late_joiners_get_the_history(
    target: Target, tmp_path: Path
) -> None:
    args = _run_args(target, str(tmp_path), "-u", "5", "-d", "3s", "--rps", "200")
    with dashboard_process(args) as run:
        early = Recorder(run.ws_url)
        early.wait_for('"type":"snapshot"', count=2)
        late = Recorder(run.ws_url)
        info = RunInfo.model_validate(run.get_json("api/run"))
        assert run.wait() == 0, run.output
        early.closed.wait(10)
        late.closed.wait(10)

    assert info.mode == "live"
    assert info.scenario == "Basic GET"
    assert info.latest is not None
    assert info.snapshots >= 2

    messages = early.messages()
    assert isinstance(messages[0], HistoryMessage)
    # Usually connected before the first snapshot; the history covers it otherwise.
    snapshots = [
        *messages[0].data.snapshots,
        *(m.data for m in messages if isinstance(m, SnapshotMessage)),
    ]
    statuses = [m.data.status for m in messages if isinstance(m, TestStatusMessage)]
    # The three planned seconds, then the drain's short last interval.
    assert [round(s.elapsed_seconds) for s in snapshots if not s.drain] == [1, 2, 3]
    assert all(s.drain for s in snapshots[3:])
    assert statuses[-2:] == [Phase.RAMPING_DOWN, Phase.COMPLETED]
    if messages[0].data.status is None:  # connected before the run started
        assert statuses[0] is Phase.RUNNING
    assert sum(s.requests for s in snapshots) == load_result(run.results_dir).final_summary.requests

    history = late.messages()[0]
    assert isinstance(history, HistoryMessage)
    assert [round(s.elapsed_seconds) for s in history.data.snapshots][:2] == [1, 2]
    assert history.data.status is not None
    assert history.data.status.status is Phase.RUNNING
    assert history.data.status.scenario == "Basic GET"
    later = [m for m in late.messages()[1:] if isinstance(m, SnapshotMessage)]
    assert [round(m.data.elapsed_seconds) for m in later if not m.data.drain] == [3]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_stop_via_the_api_ends_the_run_gracefully_and_writes_results(
    target: Target, tmp_path: Path, workers: str
) -> None:
    args = _run_args(target, str(tmp_path), "-u", "3", "-d", "60s", "--rps", "100", "-w", workers)
    with dashboard_process(args) as run:
        client = Recorder(run.ws_url)
        client.wait_for('"type":"snapshot"')
        started = time.monotonic()
        assert run.post("api/stop") == 202
        code = run.wait(30)
        stopped_in = time.monotonic() - started
        client.closed.wait(10)

    assert code == 0, run.output  # the operator ended it on purpose: a completed run
    assert stopped_in < 10
    result = load_result(run.results_dir)
    assert result.status is RunStatus.COMPLETED
    assert result.final_summary.requests > 0
    statuses = [m.data.status for m in client.messages() if isinstance(m, TestStatusMessage)]
    assert statuses[-1] is Phase.COMPLETED


def test_a_client_that_never_reads_does_not_slow_the_run(target: Target, tmp_path: Path) -> None:
    # A modest fixed rate: the run must send every planned request (100/s for 3 s)
    # while two clients never read, so a lost request is the dashboard's doing,
    # not a busy machine's (a comparison with a run without the dashboard at 300/s
    # failed on a loaded CI machine whose baseline itself fell to 218/s).
    load = ["-u", "10", "-d", "3s", "--rps", "100"]
    with (
        dashboard_process(_run_args(target, str(tmp_path / "dash"), *load)) as run,
        idle_client(run.url),
        idle_client(run.url),
    ):
        assert run.wait() == 0, run.output

    sent = load_result(run.results_dir).final_summary.requests
    assert sent == pytest.approx(300, rel=0.05)


def test_a_port_in_use_is_a_clear_error(target: Target, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = _run_args(target, str(tmp_path), "-d", "1s", "--dashboard-port", str(port))
        completed = run_process(args)
    assert completed.returncode == 2
    assert f"Dashboard port {port} on 127.0.0.1 is already in use" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_replay_serves_a_finished_run(target: Target, tmp_path: Path) -> None:
    finished = run_process(
        ["run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url, "-o", str(tmp_path),
         "-u", "2", "-d", "2s", "--rps", "50"]
    )  # fmt: skip
    directory = finished.stdout.strip().splitlines()[-1].removeprefix("Results: ")
    with dashboard_process(["dashboard", directory, "--port", "0"]) as replay:
        info = RunInfo.model_validate(replay.get_json("api/run"))
        assert replay.post("api/stop") == 409
        client = Recorder(replay.ws_url)
        client.wait_for('"type":"history"')
        client.close()
        with urllib.request.urlopen(replay.url, timeout=5) as page:
            html = page.read().decode()
    assert info.mode == "replay"
    stored = load_result(Path(directory)).snapshots
    assert info.snapshots == len(stored) >= 2
    history = client.messages()[0]
    assert isinstance(history, HistoryMessage)
    assert history.data.mode == "replay"
    assert [s.drain for s in history.data.snapshots] == [s.drain for s in stored]
    assert [round(s.elapsed_seconds) for s in history.data.snapshots if not s.drain] == [1, 2]
    assert history.data.status is not None
    assert history.data.status.status is Phase.COMPLETED
    assert '<div id="root">' in html


def test_the_config_file_turns_the_dashboard_on(target: Target, tmp_path: Path) -> None:
    config = tmp_path / "load.toml"
    config.write_text("dashboard = true\ndashboard_port = 0\n")
    args = [
        "run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url, "-o", str(tmp_path),
        "-u", "2", "-d", "2s", "--rps", "50", "--config", str(config),
    ]  # fmt: skip
    with dashboard_process(args) as run:
        Recorder(run.ws_url).wait_for('"type":"snapshot"')
        info = RunInfo.model_validate(run.get_json("api/run"))
        assert run.wait() == 0, run.output
    assert info.mode == "live"
    assert info.scenario == "Basic GET"


def test_the_demo_can_show_the_dashboard(tmp_path: Path) -> None:
    args = ["demo", "-d", "2s", "-o", str(tmp_path), "--dashboard", "--dashboard-port", "0"]
    with dashboard_process(args) as run:
        Recorder(run.ws_url).wait_for('"type":"snapshot"')
        info = RunInfo.model_validate(run.get_json("api/run"))
        assert run.wait() == 0, run.output
    assert info.scenario == "REST API"
    assert (run.results_dir / "result.json").exists()


def test_bad_flags_fail_before_the_dashboard_starts(target: Target, tmp_path: Path) -> None:
    completed = run_process(_run_args(target, str(tmp_path), "-d", "0s"))
    assert completed.returncode == 2
    assert "--duration must be more than 0 seconds" in completed.stderr
    assert "Dashboard:" not in completed.stdout


def test_replaying_a_directory_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    completed = run_process(["dashboard", str(tmp_path / "nope"), "--port", "0"])
    assert completed.returncode == 2
    assert "pass a LoadForge results directory" in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr


def test_a_run_without_the_flag_imports_nothing_of_the_dashboard(
    target: Target, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from loadforge.cli.app import app\n"
        f"r = CliRunner().invoke(app, ['run', {str(EXAMPLES / 'basic_get.py')!r}, '--base-url',"
        f" {target.url!r}, '-d', '1s', '-u', '1', '-q', '-o', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "server = ('loadforge.dashboard', 'uvicorn', 'fastapi', 'starlette', 'websockets')\n"
        "print(sorted(m for m in sys.modules if m.startswith(server)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
