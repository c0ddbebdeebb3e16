"""What end-to-end tests share: the demo target's counter and ways to call the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from loadforge.cli.app import app
from loadforge.metrics.models import TestResult
from loadforge.results import load_result

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@dataclass(frozen=True)
class Target:
    """The demo API under test and its request counter."""

    url: str

    def served(self) -> int:
        with urllib.request.urlopen(f"{self.url}/stats", timeout=5) as response:
            counts = json.loads(response.read())
        return int(counts["total"])

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/stats/reset", method="POST")
        with urllib.request.urlopen(request, timeout=5):
            pass


@dataclass(frozen=True)
class CliRun:
    """What one `loadforge` invocation printed and returned."""

    exit_code: int
    output: str

    @property
    def results_dir(self) -> Path:
        last = self.output.strip().splitlines()[-1]
        assert last.startswith("Results: "), self.output
        return Path(last.removeprefix("Results: "))

    def result(self) -> TestResult:
        return load_result(self.results_dir)


def invoke(args: Sequence[str], env: dict[str, str] | None = None) -> CliRun:
    """Run the CLI in this process (fast, and counted by coverage)."""
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return CliRun(result.exit_code, result.output)


def run_process(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    without: Sequence[str] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m loadforge` as a real process, as a user would."""
    environment = {k: v for k, v in os.environ.items() if k not in without}
    return subprocess.run(
        [sys.executable, "-m", "loadforge", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**environment, **(env or {})},
        check=False,
    )


def child_pids(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def worker_pids(pid: int) -> list[int]:
    """The worker processes a `loadforge run` process started (not its resource tracker)."""
    workers = []
    for child in child_pids(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            workers.append(child)
    return workers


IMPORT_BLOCKER = REPO / "tests" / "import_blocker"


def blocking(modules: Sequence[str], log: Path) -> dict[str, str]:
    """Environment for `run_process` in which `modules` cannot be imported.

    `tests/import_blocker/sitecustomize.py` refuses them in the child and in
    every process it spawns, and appends each attempt to `log`.
    """
    path = os.pathsep.join(filter(None, [str(IMPORT_BLOCKER), os.environ.get("PYTHONPATH")]))
    return {
        "PYTHONPATH": path,
        "LOADFORGE_BLOCKED_MODULES": ",".join(modules),
        "LOADFORGE_BLOCKED_LOG": str(log),
    }
