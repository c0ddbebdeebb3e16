"""`ProcessRunExecutor`: the server's runs, at most N at a time, the rest queued in order.

Each run is a child process (see `child` and `runner`); the executor reads
its messages on the server's event loop and passes them to the API's
`RunSink`. The server's own work per run is one small JSON line a second.

Endings, whoever causes them, go through one place (`_drive`), so the sink
hears `run_finished` exactly once per submitted job:

| what happened                                     | ending                         |
|---------------------------------------------------|--------------------------------|
| the child reported its ending                     | that ending                    |
| ... STOPPED, because the server is shutting down  | INTERRUPTED                    |
| the child was killed by us, a stop bound passed   | STOPPED                        |
| the child exited without reporting, after `shutdown` | INTERRUPTED                 |
| ... otherwise (a crash, a kill, even mid-stop)    | FAILED, exit code in `error`   |
| the launch or the executor itself failed          | FAILED, the exception          |
| a queued job is stopped                           | STOPPED, at once               |
| a queued job at `shutdown`                        | INTERRUPTED, at once           |
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from loadforge.server.contract import RunEnding, RunJob, RunSink, RunState
from loadforge.server.execution.child import Launcher, RunProcess, launch_child
from loadforge.server.execution.protocol import Finished, Log, Progress, Started

__all__ = ["ProcessRunExecutor"]

log = logging.getLogger(__name__)

# How long `shutdown` waits for stopped runs to write their results before
# killing their processes.
SHUTDOWN_SECONDS = 20.0

# A stop is a graceful SIGTERM; STOP_NOW_SECONDS later a second one stops the
# users at once, so the load ends within 2 s whatever the users are doing.
# A child that has not started its load has nothing to save and is killed
# KILL_STARTING_SECONDS after the stop; one that has is given KILL_SECONDS to
# write its results (a 500-user run's report takes about 2 s).
STOP_NOW_SECONDS = 1.0
KILL_STARTING_SECONDS = 1.5
KILL_SECONDS = 10.0


@dataclass(eq=False)
class _Active:
    """A job whose process is starting or running."""

    job: RunJob
    process: RunProcess | None = None
    stopping: bool = False
    interrupted: bool = False
    killed: bool = False  # by the executor, after a stop that did not end the process
    results_dir: Path | None = None
    finished: Finished | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class ProcessRunExecutor:
    """Runs `RunJob`s in child processes, FIFO, at most `max_concurrent` at once."""

    def __init__(
        self, sink: RunSink, max_concurrent: int = 1, *, launcher: Launcher = launch_child
    ) -> None:
        if max_concurrent < 1:
            raise ValueError(f"max_concurrent must be at least 1, got {max_concurrent}")
        self._sink = sink
        self._max_concurrent = max_concurrent
        self._launch = launcher
        self._queue: deque[RunJob] = deque()
        self._running: dict[int, _Active] = {}
        self._closed = False
        self._handlers: Mapping[type, Callable[[_Active, Any], Awaitable[None]]] = {
            Started: self._on_started,
            Progress: self._on_progress,
            Log: self._on_log,
            Finished: self._on_finished,
        }

    def __repr__(self) -> str:
        running = sorted(self._running)
        queued = [job.run_id for job in self._queue]
        return f"<ProcessRunExecutor running={running} queued={queued}>"

    async def submit(self, job: RunJob) -> RunState:
        """Start the job now (RUNNING) or queue it behind the others (QUEUED)."""
        if self._closed:
            raise RuntimeError("the executor is shut down")
        if self.is_active(job.run_id):
            raise ValueError(f"run {job.run_id} is already queued or running")
        if len(self._running) < self._max_concurrent:
            self._start(job)
            return RunState.RUNNING
        self._queue.append(job)
        return RunState.QUEUED

    async def stop(self, run_id: int) -> bool:
        """Stop a running job gracefully or drop a queued one; False when unknown or ended."""
        for job in self._queue:
            if job.run_id == run_id:
                self._queue.remove(job)
                await self._finished(run_id, RunEnding(RunState.STOPPED))
                return True
        active = self._running.get(run_id)
        if active is None:
            return False
        if not active.stopping:
            active.stopping = True
            if active.process is not None:
                active.process.stop()
            asyncio.get_running_loop().call_later(STOP_NOW_SECONDS, self._stop_now, active)
            bound = KILL_SECONDS if active.results_dir is not None else KILL_STARTING_SECONDS
            asyncio.get_running_loop().call_later(bound, self._kill, active)
        return True

    def _stop_now(self, active: _Active) -> None:
        if active.process is not None and self._running.get(active.job.run_id) is active:
            active.process.stop()  # the second SIGTERM: the child stops its users at once

    def _kill(self, active: _Active) -> None:
        if active.process is not None and self._running.get(active.job.run_id) is active:
            log.warning("run %d did not stop in time; killing it", active.job.run_id)
            active.killed = True
            active.process.kill()

    def is_active(self, run_id: int) -> bool:
        """True while the job is queued or running."""
        return run_id in self._running or any(job.run_id == run_id for job in self._queue)

    async def shutdown(self) -> None:
        """Stop every job at once; they end INTERRUPTED, with whatever results they wrote."""
        self._closed = True
        while self._queue:
            await self._finished(self._queue.popleft().run_id, RunEnding(RunState.INTERRUPTED))
        actives = list(self._running.values())
        for active in actives:
            active.stopping = active.interrupted = True
            if active.process is not None:
                active.process.stop(at_once=True)
        tasks = [active.task for active in actives if active.task is not None]
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
        for active in actives:
            if active.task in pending and active.process is not None:
                log.warning("run %d did not stop in time; killing it", active.job.run_id)
                active.process.kill()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _start(self, job: RunJob) -> None:
        active = _Active(job)
        self._running[job.run_id] = active
        active.task = asyncio.create_task(self._drive(active), name=f"loadforge-run-{job.run_id}")

    def _start_next(self) -> None:
        while self._queue and len(self._running) < self._max_concurrent and not self._closed:
            self._start(self._queue.popleft())

    async def _drive(self, active: _Active) -> None:
        """One job from launch to `run_finished`, whatever happens on the way."""
        run_id = active.job.run_id
        try:
            ending = await self._run(active)
        except Exception as exc:
            log.exception("run %d failed in the executor", run_id)
            ending = RunEnding(
                RunState.INTERRUPTED if active.interrupted else RunState.FAILED,
                results_dir=active.results_dir,
                error=f"{type(exc).__name__}: {exc}",
            )
        del self._running[run_id]
        await self._finished(run_id, ending)
        self._start_next()

    async def _run(self, active: _Active) -> RunEnding:
        process = await self._launch(active.job)
        active.process = process
        if active.stopping:  # asked while the process was starting
            process.stop(at_once=active.interrupted)
        async for message in process.messages():
            await self._handlers[type(message)](active, message)
        code = await process.wait()
        return _ending(active, code)

    async def _on_started(self, active: _Active, message: Started) -> None:
        active.results_dir = Path(message.results_dir)
        await self._tell(self._sink.run_started(active.job.run_id, active.results_dir))

    async def _on_progress(self, active: _Active, message: Progress) -> None:
        await self._tell(
            self._sink.run_progress(
                active.job.run_id,
                message.snapshot,
                message.elapsed_seconds,
                message.duration_seconds,
            )
        )

    async def _on_log(self, active: _Active, message: Log) -> None:
        await self._tell(self._sink.run_log(active.job.run_id, message.line))

    async def _on_finished(self, active: _Active, message: Finished) -> None:
        active.finished = message

    async def _finished(self, run_id: int, ending: RunEnding) -> None:
        await self._tell(self._sink.run_finished(run_id, ending))

    @staticmethod
    async def _tell(call: Awaitable[None]) -> None:
        """A sink call whose failure is logged: one bad write must not orphan a run."""
        try:
            await call
        except Exception:
            log.exception("the run sink failed")


def _ending(active: _Active, code: int) -> RunEnding:
    """The run's ending from what its child reported and how it exited (see the module table)."""
    if active.finished is not None:
        ending = active.finished.ending()
        if active.interrupted and ending.state is RunState.STOPPED:
            return replace(ending, state=RunState.INTERRUPTED)
        return ending
    if active.interrupted:
        return RunEnding(RunState.INTERRUPTED, results_dir=active.results_dir)
    if active.killed:
        return RunEnding(
            RunState.STOPPED,
            results_dir=active.results_dir,
            error="the run's process did not stop in time and was killed",
        )
    if active.stopping and code == -signal.SIGTERM:
        return RunEnding(RunState.STOPPED, results_dir=active.results_dir)  # our own signal
    # Dying on its own, even while it was being stopped, is a failure with its cause.
    return RunEnding(RunState.FAILED, results_dir=active.results_dir, error=_describe_exit(code))


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the run's process was killed by {name} (exit code {code})"
    return f"the run's process exited with code {code} before reporting how the run ended"
