"""The coordinator's logic with in-process fake workers: no processes, pipes or shared memory.

`FakeWorker` implements `WorkerHandle` the way a worker behaves: Ready at
once, a heartbeat with every read, one interval per boundary of the run's
clock with a known number of requests per user it was told to run, and a
last interval plus Finished on Stop. One of them dies after its first
interval, as a killed process would.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from loadforge import eventloop
from loadforge.dsl import resolve_scenario, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.engine.coordinator import Coordinator
from loadforge.engine.interval_publisher import PUBLISH_DEADLINE_SECONDS
from loadforge.engine.messages import (
    Command,
    DataExhausted,
    Finished,
    Heartbeat,
    Pace,
    Ready,
    Report,
    Scale,
    Start,
    Stop,
)
from loadforge.engine.settings import LoadSettings
from loadforge.engine.worker import ScenarioSource, WorkerSpec
from loadforge.engine.worker_handle import WorkerHandle
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import MetricSnapshot, RunStatus
from loadforge.metrics.placement import ClusterNode, ClusterPlacement
from loadforge.metrics.wire import WorkerInterval
from loadforge.patterns import ITERATIONS_PER_SECOND, ConstantPattern
from loadforge.patterns.parallel import ParallelPattern

REQUESTS_PER_USER = 10  # per interval
INTERVAL = 0.25


@scenario(name="fake", base_url="http://127.0.0.1:1", think_time=0)
class Unused:
    @task
    async def get(self, client: HttpClient) -> None:
        raise AssertionError("fake workers run no scenario")


class FakeWorker:
    """A worker in this process, driven only through the `WorkerHandle` methods."""

    def __init__(
        self,
        worker_id: int,
        *,
        dies_after: int | None = None,
        node: str | None = None,
        runs_out_after: int | None = None,
        garbles: int | None = None,
    ) -> None:
        self.worker_id = worker_id
        self._runs_out_after = runs_out_after
        self._garbles = garbles
        self._garbled: list[str] = []
        self.node = node
        self.commands: list[Command] = []
        self.shipped_requests = 0
        self.killed = False
        self.closed = False
        self._dies_after = dies_after
        self._dead: str | None = None
        self._users = 0
        self._start: Start | None = None
        self._index = 0
        self._reports: list[Report] = [Ready(worker_id)]
        self._outbox: list[WorkerInterval] = []

    @property
    def location(self) -> str:
        return f"fake {self.worker_id}"

    @property
    def pid(self) -> int | None:
        return None

    def send(self, command: Command) -> bool:
        if self._dead is not None:
            return False
        self.commands.append(command)
        match command:
            case Start():
                self._start = command
            case Scale():
                self._users = command.users
            case Stop():
                self._ship_due(time.monotonic())
                self._ship()
                self._reports.append(Finished(self.worker_id, self._index))
        return True

    def reports(self) -> list[Report]:
        if self._dead is not None:
            return []
        received, self._reports = [*self._reports, Heartbeat(self.worker_id)], []
        return received

    def intervals(self) -> list[WorkerInterval]:
        if self._dead is None:
            self._ship_due(time.monotonic())
        shipped, self._outbox = self._outbox, []
        return shipped

    def dropped_intervals(self) -> list[str]:
        dropped, self._garbled = self._garbled, []
        return dropped

    def exit_cause(self) -> str | None:
        return self._dead

    def kill(self) -> None:
        self.killed = True
        self._dead = self._dead or "killed"

    def join(self, timeout: float) -> None:
        assert timeout > 0

    def close(self) -> None:
        self.closed = True

    def scales(self) -> list[int]:
        return [command.users for command in self.commands if isinstance(command, Scale)]

    def _ship_due(self, now: float) -> None:
        start = self._start
        while start is not None and now >= start.start + (self._index + 1) * start.interval:
            if self._dead is not None:
                return
            self._ship()
            if self._index == self._dies_after:
                self._dead = "killed by signal 9"
            if self._index == self._runs_out_after:
                self._reports.append(
                    DataExhausted(self.worker_id, f"rows ran out in {self.worker_id}")
                )

    def _ship(self) -> None:
        self._index += 1
        collector = MetricsCollector()
        requests = self._users * REQUESTS_PER_USER
        for _ in range(requests):
            collector.record("fake", "GET", 200, 1_000, 10, None)
        stats = collector.take_interval()
        if self._index == self._garbles:  # as a payload the coordinator cannot decode
            self._garbled.append(f"interval {self._index} is not valid JSON")
            return
        self.shipped_requests += requests
        self._outbox.append(WorkerInterval(self._index, self._users, self._users, stats))


class FakeLauncher:
    """Hands out the fake workers in order, keeping the specs it was given."""

    publish_deadline = PUBLISH_DEADLINE_SECONDS

    def __init__(self, workers: list[FakeWorker], address: str | None = None) -> None:
        self.workers = workers
        self.specs: list[WorkerSpec] = []
        self._address = address

    def start(self, spec: WorkerSpec) -> WorkerHandle:
        self.specs.append(spec)
        return self.workers[spec.worker_id]

    def placement(self) -> ClusterPlacement | None:
        """The fake workers' nodes, as a cluster launcher reports them."""
        if self._address is None:
            return None
        nodes = {w.worker_id: w.node for w in self.workers if w.node is not None}
        return ClusterPlacement.of(
            self._address, nodes, {"node-a": "10.0.0.1", "node-b": "10.0.0.2"}
        )


def test_a_run_over_fake_workers_merges_their_counts_and_survives_a_lost_one() -> None:
    found = scenario_of(Unused)
    assert found is not None
    workers = [FakeWorker(0, dies_after=1, node="node-a"), FakeWorker(1, node="node-b")]
    launcher = FakeLauncher(workers, address="10.0.0.1:6379")
    snapshots: list[MetricSnapshot] = []
    settings = LoadSettings(
        pattern=ConstantPattern(5), duration=1.5, snapshot_interval=INTERVAL, workers=2
    )
    coordinator = Coordinator(
        resolve_scenario(found, {}),
        ScenarioSource(path=Path("unused.py"), name=None, base_url=None),
        settings,
        launcher=launcher,
        on_snapshot=(snapshots.append,),
    )

    async def main() -> None:
        await asyncio.wait_for(coordinator.run(), 10)

    eventloop.run(main())

    result = coordinator.result
    assert result is not None
    assert result.status is RunStatus.COMPLETED
    assert [spec.worker_id for spec in launcher.specs] == [0, 1]
    # 5 users: 3 and 2, then all 5 on the survivor.
    assert workers[0].scales() == [3]
    assert workers[1].scales() == [2, 5]
    [event] = result.events
    assert (event.kind, event.worker_id, event.cause) == ("worker_lost", 0, "killed by signal 9")
    assert event.node == "node-a"
    assert result.cluster is not None
    assert result.cluster.nodes == (
        ClusterNode("node-a", "10.0.0.1", 1),
        ClusterNode("node-b", "10.0.0.2", 1),
    )
    assert result.cluster.worker_nodes == {0: "node-a", 1: "node-b"}
    assert INTERVAL <= event.elapsed_seconds < settings.duration
    assert [worker.killed for worker in workers] == [True, False]
    assert all(worker.closed for worker in workers)
    # Every request either worker shipped is in the merged snapshots, once.
    shipped = sum(worker.shipped_requests for worker in workers)
    assert shipped > 0
    assert sum(s.endpoints["fake"].requests for s in snapshots) == shipped
    assert result.final_summary.endpoints["fake"].requests == shipped
    assert snapshots == result.snapshots
    assert (snapshots[-2].active_users, snapshots[-2].target_users) == (5, 5)
    assert coordinator.worker_pids == []


def test_the_run_ends_for_want_of_rows_only_once_every_worker_ran_out() -> None:
    found = scenario_of(Unused)
    assert found is not None
    workers = [FakeWorker(0, runs_out_after=1), FakeWorker(1, runs_out_after=3)]
    settings = LoadSettings(
        pattern=ConstantPattern(4), duration=5.0, snapshot_interval=INTERVAL, workers=2
    )
    coordinator = Coordinator(
        resolve_scenario(found, {}),
        ScenarioSource(path=Path("unused.py"), name=None, base_url=None),
        settings,
        launcher=FakeLauncher(workers),
    )

    async def main() -> None:
        await asyncio.wait_for(coordinator.run(), 10)

    eventloop.run(main())

    result = coordinator.result
    assert result is not None
    [event] = result.events
    assert (event.kind, event.worker_id, event.cause) == ("data_exhausted", 1, "rows ran out in 1")
    # Worker 0 ran out after its first interval; the run went on until worker 1 did.
    assert 3 * INTERVAL <= event.elapsed_seconds < 4 * INTERVAL + 0.2
    assert result.duration_seconds < settings.duration


def test_an_undecodable_interval_is_an_event_and_the_run_goes_on_without_its_counts() -> None:
    found = scenario_of(Unused)
    assert found is not None
    workers = [FakeWorker(0, garbles=2), FakeWorker(1)]
    snapshots: list[MetricSnapshot] = []
    settings = LoadSettings(
        pattern=ConstantPattern(4), duration=1.5, snapshot_interval=INTERVAL, workers=2
    )
    coordinator = Coordinator(
        resolve_scenario(found, {}),
        ScenarioSource(path=Path("unused.py"), name=None, base_url=None),
        settings,
        launcher=FakeLauncher(workers),
        on_snapshot=(snapshots.append,),
    )

    async def main() -> None:
        await asyncio.wait_for(coordinator.run(), 10)

    eventloop.run(main())

    result = coordinator.result
    assert result is not None
    assert result.status is RunStatus.COMPLETED
    [event] = result.events
    assert (event.kind, event.worker_id) == ("interval_dropped", 0)
    assert event.cause == (
        "an interval cannot be decoded and its counts are left out: interval 2 is not valid JSON"
    )
    assert event.describe().startswith("worker 0 at ")
    # Both workers stay; the second after the dropped one is still published in turn.
    assert [worker.killed for worker in workers] == [False, False]
    shipped = sum(worker.shipped_requests for worker in workers)
    assert sum(s.endpoints["fake"].requests for s in snapshots) == shipped
    assert result.final_summary.endpoints["fake"].requests == shipped


def run_side_by_side(
    pattern: ParallelPattern, duration: float, workers: list[FakeWorker]
) -> Coordinator:
    """A finished run of `pattern`'s parts side by side over the fake workers."""
    found = scenario_of(Unused)
    assert found is not None
    settings = LoadSettings(
        pattern=pattern, duration=duration, snapshot_interval=INTERVAL, workers=len(workers)
    )
    coordinator = Coordinator(
        resolve_scenario(found, {}),
        ScenarioSource(path=Path("unused.py"), name=None, base_url=None),
        settings,
        launcher=FakeLauncher(workers),
    )
    eventloop.run(asyncio.wait_for(coordinator.run(), 10))
    return coordinator


def test_scenarios_on_patterns_of_their_own_are_split_lane_by_lane() -> None:
    workers = [FakeWorker(0, dies_after=1), FakeWorker(1)]
    pattern = ParallelPattern((("Browse", ConstantPattern(3)), ("Admin", ConstantPattern(1))))

    coordinator = run_side_by_side(pattern, 1.0, workers)

    def lanes(worker: FakeWorker) -> list[tuple[int, tuple[int, ...]]]:
        return [(c.users, c.lanes) for c in worker.commands if isinstance(c, Scale)]

    # Each scenario's users split on their own, lane i's remainder from
    # worker i on (3 → 2 + 1, 1 → 0 + 1); then the survivor runs both whole.
    assert lanes(workers[0]) == [(2, (2, 0))]
    assert lanes(workers[1]) == [(2, (1, 1)), (4, (3, 1))]
    assert coordinator.result is not None
    assert (
        coordinator.result.pattern_description == "Browse: constant 3 users; Admin: constant 1 user"
    )


def test_scenarios_on_rates_of_their_own_pace_each_worker_with_its_share_of_each() -> None:
    workers = [FakeWorker(0), FakeWorker(1)]
    browse, admin = (ConstantPattern(rate, ITERATIONS_PER_SECOND) for rate in (30, 10))

    run_side_by_side(ParallelPattern((("Browse", browse), ("Admin", admin))), 0.5, workers)

    # Each worker starts half of each scenario's rate, half a gap apart; the
    # pool's bound (100 by default) splits like users.
    paces = [[c for c in w.commands if isinstance(c, Pace)] for w in workers]
    assert paces == [
        [Pace(20.0, 50, phase=0.0, lanes=(15.0, 5.0))],
        [Pace(20.0, 50, phase=0.5, lanes=(15.0, 5.0))],
    ]


def test_users_beside_a_rate_split_the_users_lane_by_lane_and_the_rate_evenly() -> None:
    workers = [FakeWorker(0, dies_after=1), FakeWorker(1)]
    browse = ConstantPattern(3)
    buy = ConstantPattern(10, ITERATIONS_PER_SECOND)

    pattern = ParallelPattern((("Browse", browse), ("Buy", buy)))
    coordinator = run_side_by_side(pattern, 1.0, workers)

    # Browse's 3 users split 2 + 1 and Buy's 10/s 5 + 5; the bound (the
    # rate lane's 100) like users. The survivor then holds both whole.
    paces = [[c for c in w.commands if isinstance(c, Pace)] for w in workers]
    assert paces[0] == [Pace(5.0, 50, phase=0.0, lanes=(2.0, 5.0))]
    assert paces[1] == [
        Pace(5.0, 50, phase=0.5, lanes=(1.0, 5.0)),
        Pace(10.0, 100, phase=0.0, lanes=(3.0, 10.0)),
    ]
    assert not any(isinstance(c, Scale) for w in workers for c in w.commands)
    assert coordinator.result is not None
    assert coordinator.result.pattern_description == (
        "Browse: constant 3 users; Buy: constant 10 iterations/s"
    )
