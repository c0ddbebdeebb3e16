"""A run's child process dies with the server, even when the server is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadforge.target import running_target

SERVER = """
import asyncio, sys
from pathlib import Path
from loadforge.server.contract import RunJob
from loadforge.server.execution import ProcessRunExecutor, launch_child

class Sink:
    async def run_started(self, run_id, results_dir):
        print("STARTED", flush=True)
    async def run_progress(self, *args): pass
    async def run_log(self, *args): pass
    async def run_finished(self, *args): pass

async def launcher(job):
    child = await launch_child(job)
    print("CHILD", child.pid, flush=True)
    return child

async def main():
    executor = ProcessRunExecutor(Sink(), launcher=launcher)
    spec = {"request": {"method": "GET", "url": sys.argv[1] + "/anything"},
            "load_profile": {"users": 1, "duration": 60, "rps": 5}, "thresholds": []}
    await executor.submit(RunJob(run_id=1, spec=spec, results_root=Path(sys.argv[2])))
    await asyncio.sleep(120)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def target_url() -> Iterator[str]:
    """The built-in demo target on a free port."""
    with running_target() as url:
        yield url


def is_alive(pid: int) -> bool:
    """Running, and not a zombie nobody has reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_child_dies_when_the_server_is_killed(tmp_path: Path, target_url: str) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, target_url, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        child_line = server.stdout.readline()
        assert child_line.startswith("CHILD "), child_line
        child = int(child_line.split()[1])
        assert server.stdout.readline().strip() == "STARTED"
        assert is_alive(child)

        os.kill(server.pid, signal.SIGKILL)
        server.wait(5)
        deadline = time.monotonic() + 5
        while is_alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not is_alive(child)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(5)
        if server.stdout is not None:
            server.stdout.close()
