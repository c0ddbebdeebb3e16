"""`loadforge serve` as a process: it serves, stops cleanly on Ctrl-C, refuses an unsafe bind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from loadforge.cli.serve_command import executor_factory, scheduler_factory, serve_command
from loadforge.errors import ConfigError
from loadforge.server.settings import ServerSettings

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

LOADFORGE = [sys.executable, "-c", "from loadforge.cli.app import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_serves_until_ctrl_c(tmp_path: Path, database_url: str | None) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "LOADFORGE_API_TOKEN"}
    command = [*LOADFORGE, "serve", "--port", str(port), "--data-dir", str(tmp_path / "d")]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    page = _get(f"http://127.0.0.1:{port}/api/specs")
                    break
                except OSError:
                    assert process.poll() is None, process.communicate()
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.1)
            assert page == {"items": [], "total": 0, "limit": 50, "offset": 0}
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=15)
            assert process.stderr is not None
            errors = process.stderr.read()
            assert code == 0, errors
            assert "Traceback" not in errors
        finally:
            if process.poll() is None:
                process.kill()
    assert (tmp_path / "d" / "loadforge.db").is_file()


def test_refuses_other_hosts_without_a_token(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOADFORGE_API_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="LOADFORGE_API_TOKEN") as refused:
        serve_command(host="0.0.0.0", data_dir=tmp_path)
    assert refused.value.exit_code == 2
    assert not (tmp_path / "loadforge.db").exists()


def test_refuses_a_short_token_off_loopback(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOADFORGE_API_TOKEN", "1")
    with pytest.raises(ConfigError, match="at least 16") as refused:
        serve_command(host="0.0.0.0", data_dir=tmp_path)
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("pattern", ["*example.com", "10.*.0.1", "*"])
def test_refuses_an_allow_target_that_cannot_mean_what_it_says(
    tmp_path: Path, database_url: str | None, pattern: str
) -> None:
    with pytest.raises(ConfigError, match="--allow-target") as refused:
        serve_command(data_dir=tmp_path, allow_target=[pattern])
    assert refused.value.exit_code == 2


def test_serve_builds_the_process_executor_and_the_scheduler(
    tmp_path: Path, database_url: str | None
) -> None:
    from loadforge.server.api.app import create_app
    from loadforge.server.execution import ProcessRunExecutor
    from loadforge.server.scheduling import Scheduler

    settings = ServerSettings(data_dir=tmp_path)
    app = create_app(settings, executor_factory=executor_factory(settings))
    assert isinstance(app.state.server.runs.executor, ProcessRunExecutor)
    assert isinstance(scheduler_factory()(app.state.server.schedules), Scheduler)
