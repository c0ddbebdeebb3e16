"""A command whose extra is missing says how to install it; `loadforge run` needs none.

The server's stack is made unimportable in the child process by
`tests/import_blocker` (as in an install of the core wheel alone, which
tests/e2e/test_wheel.py checks too).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, blocking, run_process
from loadforge.extras import EXTRA_MODULES

SERVER_STACK = EXTRA_MODULES["server"]


def test_the_blocker_refuses_the_server_stack_and_logs_it(tmp_path: Path) -> None:
    log = tmp_path / "blocked.log"

    completed = subprocess.run(
        [sys.executable, "-c", "import sqlalchemy.orm"],
        capture_output=True, text=True, timeout=30, check=False,
        env={**blocking(SERVER_STACK, log), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip

    assert completed.returncode == 1
    assert "ModuleNotFoundError: No module named 'sqlalchemy'" in completed.stderr
    assert log.read_text() == "sqlalchemy\n"


def test_serve_without_the_server_extra_exits_2_with_the_install_line(tmp_path: Path) -> None:
    log = tmp_path / "blocked.log"

    completed = run_process(
        ["serve", "--port", "0", "--data-dir", str(tmp_path / "data")],
        env=blocking(SERVER_STACK, log),
    )

    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "  pip install 'loadforge[server]'" in completed.stderr.splitlines()
    assert "server extra" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "data").exists()  # it stopped before doing anything


@pytest.mark.slow
@pytest.mark.parametrize("dashboard", [[], ["--dashboard", "--dashboard-port", "0"]])
def test_a_run_never_imports_the_server_stack(
    target: Target, tmp_path: Path, dashboard: list[str]
) -> None:
    log = tmp_path / "blocked.log"
    scenario = str(EXAMPLES / "basic_get.py")
    args = ["run", scenario, "--base-url", target.url, "-u", "2", "-d", "2s", "-w", "2", "-q"]

    completed = run_process(
        [*args, "-o", str(tmp_path / "results"), *dashboard], env=blocking(SERVER_STACK, log)
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert list((tmp_path / "results").glob("*/report.html"))
    tried = {name.partition(".")[0] for name in log.read_text().split()} if log.exists() else set()
    # Starlette (the dashboard's) probes for python_multipart at import, in a try.
    assert tried <= {"python_multipart"}, tried
