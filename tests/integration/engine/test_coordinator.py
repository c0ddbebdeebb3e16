"""The coordinator with real worker processes: splitting, merging, losing workers."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target
from loadforge import eventloop
from loadforge.dsl import load_scenarios, resolve_scenario
from loadforge.engine.coordinator import Coordinator
from loadforge.engine.lifecycle import StopReason
from loadforge.engine.settings import LoadSettings
from loadforge.engine.worker import ScenarioSource
from loadforge.errors import ScenarioError
from loadforge.metrics.models import MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import ConstantPattern

Action = Callable[[Coordinator], None]


def make_coordinator(
    target: Target,
    path: Path,
    *,
    users: int = 4,
    duration: float = 2.0,
    transport: MetricsTransport = MetricsTransport.SHM,
    snapshots: list[MetricSnapshot] | None = None,
) -> Coordinator:
    definition = load_scenarios(path)[0]
    scenario = resolve_scenario(definition, {}, target.url)
    settings = LoadSettings(
        pattern=ConstantPattern(users),
        duration=duration,
        grace=2.0,
        workers=2,
        metrics_transport=transport,
    )
    source = ScenarioSource(path=path, name=None, base_url=target.url)
    observers = (snapshots.append,) if snapshots is not None else ()
    return Coordinator(scenario, source, settings, on_snapshot=observers)


def run(coordinator: Coordinator, after: float = 0.0, action: Action | None = None) -> TestResult:
    async def main() -> TestResult:
        task = asyncio.get_running_loop().create_task(coordinator.run())
        if action is not None:
            # The workers take a moment to spawn; polling keeps the helper simple.
            while coordinator.state.value == "starting":  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            await asyncio.sleep(after)
            action(coordinator)
        return await task

    return eventloop.run(main())


@pytest.mark.parametrize("transport", list(MetricsTransport))
def test_two_workers_split_users_and_count_every_request(
    target: Target, transport: MetricsTransport
) -> None:
    target.reset()
    snapshots: list[MetricSnapshot] = []
    coordinator = make_coordinator(
        target, EXAMPLES / "basic_get.py", users=5, transport=transport, snapshots=snapshots
    )

    result = run(coordinator)

    assert result.status is RunStatus.COMPLETED
    assert result.workers == 2
    assert result.events == []
    assert snapshots == result.snapshots
    # The planned seconds, the one that ends the run included; the drain follows.
    per_second = [s for s in result.snapshots if not s.drain]
    assert [s.elapsed_seconds for s in per_second] == pytest.approx([1.0, 2.0])
    assert [(s.active_users, s.target_users) for s in per_second] == [(5, 5), (5, 5)]
    assert result.final_summary.requests > 0
    assert result.final_summary.requests == target.served()
    assert len(coordinator.publish_delays) >= len(per_second)


def test_a_killed_worker_is_lost_and_its_users_move(target: Target) -> None:
    coordinator = make_coordinator(target, EXAMPLES / "basic_get.py", users=5, duration=3.0)

    def kill_first(c: Coordinator) -> None:
        os.kill(c.worker_pids[0], signal.SIGKILL)

    result = run(coordinator, 0.3, kill_first)

    assert result.status is RunStatus.COMPLETED
    [event] = result.events
    assert (event.kind, event.worker_id) == ("worker_lost", 0)
    assert event.cause == "killed by signal 9"
    last_second = result.snapshots[-2]
    assert (last_second.active_users, last_second.target_users) == (5, 5)
    assert result.final_summary.requests > 0


def test_a_silent_worker_is_lost_after_three_seconds(target: Target) -> None:
    coordinator = make_coordinator(target, EXAMPLES / "basic_get.py", users=2, duration=4.5)

    def freeze_second(c: Coordinator) -> None:
        os.kill(c.worker_pids[1], signal.SIGSTOP)

    result = run(coordinator, 0.2, freeze_second)

    [event] = result.events
    assert event.worker_id == 1
    assert "silent" in event.cause
    assert 2.5 <= event.elapsed_seconds <= 4.5  # last heartbeat <= 0.5 s before the freeze
    assert result.snapshots[-2].active_users == 2


def test_a_scenario_that_fails_in_the_workers_is_a_scenario_error(
    target: Target, tmp_path: Path
) -> None:
    path = tmp_path / "worker_only_failure.py"
    path.write_text(
        "import multiprocessing\n"
        "from loadforge import HttpClient, scenario, task\n\n"
        "if multiprocessing.parent_process() is not None:\n"
        "    raise RuntimeError('no workers here')\n\n"
        "@scenario(base_url='http://127.0.0.1:1')\n"
        "class Fails:\n"
        "    @task\n"
        "    async def get(self, client: HttpClient) -> None:\n"
        "        await client.get('/anything')\n"
    )
    coordinator = make_coordinator(target, path)

    with pytest.raises(ScenarioError, match="no workers here"):
        run(coordinator)
    assert coordinator.result is None


def test_a_stop_while_workers_start_ends_the_run_cleanly(target: Target) -> None:
    coordinator = make_coordinator(target, EXAMPLES / "basic_get.py", duration=30.0)

    async def main() -> TestResult:
        task = asyncio.get_running_loop().create_task(coordinator.run())
        await asyncio.sleep(0.05)  # the workers are still importing
        coordinator.request_stop()
        return await task

    result = eventloop.run(main())

    assert result.status is RunStatus.INTERRUPTED
    assert result.events == []
    assert result.duration_seconds < 10


def test_an_operator_stop_completes_the_run(target: Target) -> None:
    coordinator = make_coordinator(target, EXAMPLES / "basic_get.py", duration=30.0)

    result = run(coordinator, 1.2, lambda c: c.request_stop(StopReason.OPERATOR))

    assert result.status is RunStatus.COMPLETED
    assert result.final_summary.requests > 0
    assert result.duration_seconds < 10


def test_abort_cancels_users_at_once_and_keeps_what_was_measured(target: Target) -> None:
    coordinator = make_coordinator(target, EXAMPLES / "rest_api.py", users=4, duration=30.0)

    result = run(coordinator, 1.2, lambda c: c.abort())

    assert result.status is RunStatus.INTERRUPTED
    assert result.final_summary.requests > 0
    assert result.duration_seconds < 10
