"""Starting a run's child process and talking to it, without blocking the server's loop.

`RunProcess` is all the executor knows of a run's process, and `Launcher` is
the seam its tests replace: the queue logic is tested with fake processes
that emit canned messages, the real one (`launch_child`) with real runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol

from loadforge.server.contract import RunJob
from loadforge.server.execution.protocol import Message, ProtocolError, decode, job_to_json

__all__ = ["ChildProcess", "Launcher", "RunProcess", "launch_child"]

log = logging.getLogger(__name__)

# A progress line carries one entry per endpoint; a scenario with many named
# endpoints can pass asyncio's default 64 KiB line limit.
LINE_LIMIT = 16 * 1024 * 1024
# Between the two SIGTERMs of an immediate stop: the child's event loop must
# see the first before the second, or the kernel merges them into one.
SECOND_SIGNAL_DELAY = 0.3


class RunProcess(Protocol):
    """A started run: its messages, its exit, and the two ways to stop it."""

    def messages(self) -> AsyncIterator[Message]:
        """The run's messages until its process closes its end of the pipe."""
        ...

    async def wait(self) -> int:
        """The exit code (negative: killed by that signal)."""
        ...

    def stop(self, *, at_once: bool = False) -> None:
        """Graceful stop (SIGTERM); `at_once` stops without waiting for users to finish."""
        ...

    def kill(self) -> None:
        """SIGKILL: for a process that did not stop when asked."""
        ...


Launcher = Callable[[RunJob], Awaitable[RunProcess]]
"""Starts a job's process; `launch_child` unless a test gives its own."""


class ChildProcess:
    """A `python -m loadforge.server.execution.runner` child, read with asyncio."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._process.pid

    async def messages(self) -> AsyncIterator[Message]:
        """Decoded protocol lines; an unreadable line is logged and skipped."""
        stdout = self._process.stdout
        assert stdout is not None  # started with stdout=PIPE
        while line := await stdout.readline():
            try:
                yield decode(line)
            except ProtocolError as exc:
                log.warning("run process %d: %s", self.pid, exc)

    async def wait(self) -> int:
        """The exit code once the child has exited."""
        return await self._process.wait()

    def stop(self, *, at_once: bool = False) -> None:
        """SIGTERM; with `at_once` a second one, which the child reads as 'stop now'."""
        self._signal(signal.SIGTERM)
        if at_once:
            asyncio.get_running_loop().call_later(SECOND_SIGNAL_DELAY, self._signal, signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self._signal(signal.SIGKILL)

    def _signal(self, sig: signal.Signals) -> None:
        if self._process.returncode is not None:
            return
        try:
            self._process.send_signal(sig)
        except ProcessLookupError:  # pragma: no cover - exited between the check and the send
            return


async def launch_child(job: RunJob) -> ChildProcess:
    """Start the child process of one run and hand it its job on stdin.

    Its own session keeps a terminal's Ctrl-C, meant for the server, from
    reaching it: the server decides how its runs end. It still dies with the
    server (`die_with_parent` in the runner).
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "loadforge.server.execution.runner",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=LINE_LIMIT,
    )
    stdin = process.stdin
    assert stdin is not None  # started with stdin=PIPE
    stdin.write(job_to_json(job))
    # A child that died at once cannot take its job; wait() then says why.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        await stdin.drain()
    stdin.close()
    return ChildProcess(process)
