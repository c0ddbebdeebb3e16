"""The executor's queue and endings, with fake run processes instead of children."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from loadforge.server.contract import RunEnding, RunJob, RunState
from loadforge.server.execution import ProcessRunExecutor
from loadforge.server.execution import executor as executor_module
from loadforge.server.execution.protocol import Finished, Log, Message, Progress, Started
from server_runs import RecordingSink, run_summary

ROOT = Path("/tmp/loadforge-test-results")


class FakeProcess:
    """A run process whose messages and exit the test scripts."""

    def __init__(self, job: RunJob) -> None:
        self.job = job
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue()
        self.exit_code = asyncio.get_running_loop().create_future()
        self.stops: list[bool] = []
        self.killed = False

    async def messages(self) -> AsyncIterator[Message]:
        while (message := await self.queue.get()) is not None:
            yield message

    async def wait(self) -> int:
        code: int = await self.exit_code
        return code

    def stop(self, *, at_once: bool = False) -> None:
        self.stops.append(at_once)

    def kill(self) -> None:
        self.killed = True
        self.end(-9)

    def emit(self, *messages: Message) -> None:
        for message in messages:
            self.queue.put_nowait(message)

    def end(self, code: int = 0, ending: RunEnding | None = None) -> None:
        """Report the ending (if any), close the stream, exit."""
        if ending is not None:
            self.emit(Finished.from_ending(ending))
        self.queue.put_nowait(None)
        if not self.exit_code.done():
            self.exit_code.set_result(code)


class FakeLauncher:
    """Hands out FakeProcesses and remembers them by run id."""

    def __init__(self) -> None:
        self.processes: dict[int, FakeProcess] = {}
        self.fail_with: Exception | None = None

    async def __call__(self, job: RunJob) -> FakeProcess:
        if self.fail_with is not None:
            raise self.fail_with
        process = FakeProcess(job)
        self.processes[job.run_id] = process
        return process


def job(run_id: int) -> RunJob:
    return RunJob(run_id=run_id, spec={}, results_root=ROOT)


def completed(run_id: int) -> RunEnding:
    return RunEnding(RunState.COMPLETED, summary=run_summary(requests=run_id), results_dir=ROOT)


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def launcher() -> FakeLauncher:
    return FakeLauncher()


async def test_messages_reach_the_sink_in_order(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    assert await executor.submit(job(1)) is RunState.RUNNING
    await settle()
    process = launcher.processes[1]
    process.emit(Started(str(ROOT)), Log("hello"), Progress({"rps": 1.0}, 1.0, 10.0))
    process.end(0, completed(1))

    assert await sink.finished(1) == completed(1)
    assert sink.kinds(1) == ["started", "log", "progress", "finished"]
    assert sink.calls[0] == ("started", 1, ROOT)
    assert not executor.is_active(1)


async def test_jobs_beyond_the_limit_queue_in_order(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, max_concurrent=2, launcher=launcher)
    states = [await executor.submit(job(n)) for n in (1, 2, 3, 4)]

    assert states == [RunState.RUNNING, RunState.RUNNING, RunState.QUEUED, RunState.QUEUED]
    await settle()
    assert sorted(launcher.processes) == [1, 2]
    assert all(executor.is_active(n) for n in (1, 2, 3, 4))
    assert "queued=[3, 4]" in repr(executor)

    launcher.processes[2].end(0, completed(2))
    await sink.finished(2)
    await settle()
    assert sorted(launcher.processes) == [1, 2, 3]

    launcher.processes[1].end(0, completed(1))
    launcher.processes[3].end(0, completed(3))
    await sink.finished(3)
    await settle()
    launcher.processes[4].end(0, completed(4))
    await sink.finished(4)


async def test_stopping_a_queued_job_ends_it_at_once(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await executor.submit(job(2))

    assert await executor.stop(2) is True
    assert sink.ending(2) == RunEnding(RunState.STOPPED)
    assert not executor.is_active(2)
    await settle()
    launcher.processes[1].end(0, completed(1))
    await sink.finished(1)
    await settle()
    assert 2 not in launcher.processes


async def test_stopping_a_running_job_signals_its_process(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()

    assert await executor.stop(1) is True
    assert await executor.stop(1) is True  # asked already: signalled once
    assert launcher.processes[1].stops == [False]
    stopped = RunEnding(RunState.STOPPED, summary=run_summary(requests=5), results_dir=ROOT)
    launcher.processes[1].end(0, stopped)
    assert await sink.finished(1) == stopped
    assert await executor.stop(1) is False
    assert await executor.stop(99) is False


async def test_a_stop_during_launch_reaches_the_process_once_started(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await executor.stop(1)  # before the launcher has run
    await settle()

    assert launcher.processes[1].stops == [False]
    launcher.processes[1].end(-15)
    assert (await sink.finished(1)).state is RunState.STOPPED


async def test_a_process_that_dies_without_reporting_fails(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await executor.submit(job(2))
    await settle()
    launcher.processes[1].emit(Started(str(ROOT)))
    launcher.processes[1].end(-9)

    ending = await sink.finished(1)
    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "SIGKILL" in ending.error
    assert ending.results_dir == ROOT
    launcher.processes[2].end(3)
    ending = await sink.finished(2)
    assert ending.error is not None
    assert "exited with code 3" in ending.error


async def test_a_launch_failure_fails_the_run_and_the_queue_moves_on(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    launcher.fail_with = OSError("no python")
    await executor.submit(job(1))
    await executor.submit(job(2))

    ending = await sink.finished(1)
    assert ending.state is RunState.FAILED
    assert ending.error == "OSError: no python"
    assert (await sink.finished(2)).state is RunState.FAILED


async def test_shutdown_interrupts_running_and_queued_jobs(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await executor.submit(job(2))
    await settle()
    process = launcher.processes[1]

    shutdown = asyncio.create_task(executor.shutdown())
    await settle()
    assert process.stops == [True]
    assert sink.ending(2) == RunEnding(RunState.INTERRUPTED)
    stopped = RunEnding(RunState.STOPPED, summary=run_summary(requests=1), results_dir=ROOT)
    process.end(0, stopped)
    await shutdown

    ending = sink.ending(1)
    assert ending is not None
    assert ending.state is RunState.INTERRUPTED
    assert ending.summary == run_summary(requests=1)
    with pytest.raises(RuntimeError, match="shut down"):
        await executor.submit(job(3))


async def test_shutdown_kills_a_process_that_does_not_stop(
    sink: RecordingSink, launcher: FakeLauncher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("loadforge.server.execution.executor.SHUTDOWN_SECONDS", 0.05)
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()

    await executor.shutdown()

    assert launcher.processes[1].killed
    assert (await sink.finished(1)).state is RunState.INTERRUPTED


async def test_a_failing_sink_does_not_lose_the_ending(launcher: FakeLauncher) -> None:
    class BrokenSink(RecordingSink):
        async def run_log(self, run_id: int, line: str) -> None:
            raise RuntimeError("database is locked")

    sink = BrokenSink()
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()
    launcher.processes[1].emit(Log("x"))
    launcher.processes[1].end(0, completed(1))

    assert await sink.finished(1) == completed(1)


async def test_a_job_cannot_be_submitted_twice(sink: RecordingSink, launcher: FakeLauncher) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    with pytest.raises(ValueError, match="already queued or running"):
        await executor.submit(job(1))
    await settle()
    launcher.processes[1].end(0, completed(1))
    await sink.finished(1)


def test_max_concurrent_must_be_positive(sink: RecordingSink) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ProcessRunExecutor(sink, 0)


async def test_a_stop_escalates_to_stop_now_then_kill(
    sink: RecordingSink, launcher: FakeLauncher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_module, "STOP_NOW_SECONDS", 0.05)
    monkeypatch.setattr(executor_module, "KILL_STARTING_SECONDS", 0.1)
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()
    await executor.stop(1)  # the process ignores it: stuck before starting its load

    ending = await sink.finished(1)
    process = launcher.processes[1]
    assert process.stops == [False, False]  # graceful, then "stop now"
    assert process.killed
    assert ending.state is RunState.STOPPED
    assert ending.error is not None
    assert "killed" in ending.error


async def test_a_started_run_gets_longer_to_write_its_results(
    sink: RecordingSink, launcher: FakeLauncher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_module, "KILL_STARTING_SECONDS", 0.05)
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()
    launcher.processes[1].emit(Started(str(ROOT)))
    await sink.wait_for("started", 1)
    await executor.stop(1)
    await asyncio.sleep(0.2)
    assert not launcher.processes[1].killed
    stopped = RunEnding(RunState.STOPPED, summary=run_summary(requests=5), results_dir=ROOT)
    launcher.processes[1].end(0, stopped)
    assert await sink.finished(1) == stopped


async def test_a_process_that_dies_while_stopping_fails_with_its_cause(
    sink: RecordingSink, launcher: FakeLauncher
) -> None:
    executor = ProcessRunExecutor(sink, launcher=launcher)
    await executor.submit(job(1))
    await settle()
    launcher.processes[1].emit(Started(str(ROOT)))
    await executor.stop(1)
    launcher.processes[1].end(-9)  # the kernel's OOM killer, not us

    ending = await sink.finished(1)
    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "SIGKILL" in ending.error
