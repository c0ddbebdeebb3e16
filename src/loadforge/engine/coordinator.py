"""A multi-process run: worker processes run the users, the coordinator steers and merges.

The coordinator starts N workers through a `WorkerLauncher` (by default
spawned processes, each re-importing the scenario file by path), splits the
pattern's target among the live ones every tick, watches their heartbeats,
and hands their intervals to an `IntervalPublisher`, which merges them into
one `MetricSnapshot` per second for the same observers a single-process
`LoadTest` feeds. A worker that exits or stays
silent for `LOST_AFTER_SECONDS` is declared lost: the run goes on, its users
move to the others, and the loss becomes a `RunEvent`. Workers are reached
only through `WorkerHandle`; what the coordinator knows of each one is in
its `WorkerRecord`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Sequence
from typing import assert_never

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.interval_publisher import IntervalPublisher
from loadforge.engine.lifecycle import RunPhase, StopReason
from loadforge.engine.messages import (
    DataExhausted,
    Finished,
    Heartbeat,
    Pace,
    Ready,
    Report,
    Scale,
    SetRate,
    Start,
    Stop,
    WorkerFailed,
)
from loadforge.engine.observers import (
    FINAL_STATES,
    EventObserver,
    SnapshotObserver,
    StateObserver,
    notify,
)
from loadforge.engine.process_worker import ProcessLauncher
from loadforge.engine.run_result import RunClock, RunFacts, build_result
from loadforge.engine.settings import SCALE_TICK_SECONDS, LoadSettings
from loadforge.engine.splitting import (
    assign,
    split_lanes,
    split_paced_lanes,
    split_rate,
    split_users,
)
from loadforge.engine.worker import ScenarioSource, WorkerSpec
from loadforge.engine.worker_handle import WorkerLauncher
from loadforge.engine.worker_records import WorkerRecord, WorkerState
from loadforge.errors import ScenarioError
from loadforge.metrics.models import (
    RunEvent,
    RunEventKind,
    RunStatus,
    TestResult,
)
from loadforge.metrics.raw_log import merge_parts, part_path
from loadforge.metrics.totals import RunTotals

log = logging.getLogger(__name__)

LOST_AFTER_SECONDS = 3.0
READY_TIMEOUT_SECONDS = 60.0
POLL_SECONDS = 0.005
# Time zero is set a little ahead so every worker receives Start before it.
START_LEAD_SECONDS = 0.2


class Coordinator:
    """Runs one scenario on several workers; `run()` returns the merged result.

    `launcher` starts the workers; by default they are processes on this
    machine, with the metrics transport `settings` name. Every worker must
    report Ready within `ready_timeout` seconds.
    """

    def __init__(
        self,
        scenario: ResolvedScenario,
        source: ScenarioSource,
        settings: LoadSettings,
        *,
        launcher: WorkerLauncher | None = None,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        on_snapshot: Sequence[SnapshotObserver] = (),
        on_state: Sequence[StateObserver] = (),
        on_event: Sequence[EventObserver] = (),
        mix: ScenarioMix | None = None,
    ) -> None:
        self.scenario = scenario
        self.mix = mix
        self.settings = settings
        self.state = RunPhase.STARTING
        self.stop_reason: StopReason | None = None
        self.result: TestResult | None = None
        self.events: list[RunEvent] = []
        self._source = source
        self._launcher: WorkerLauncher = launcher or ProcessLauncher(settings.metrics_transport)
        self._ready_timeout = ready_timeout
        self._on_state = tuple(on_state)
        self._on_event = tuple(on_event)
        self._workers: list[WorkerRecord] = []
        self._publisher = IntervalPublisher(
            settings,
            list(range(settings.workers)),
            self._running_users,
            on_snapshot,
            deadline=self._launcher.publish_deadline,
        )
        self._abort_sent = False
        # Workers whose feeder ran out of rows (`on_exhausted="stop"`): id -> why.
        self._exhausted: dict[int, str] = {}
        self._next_scale = 0.0

    @property
    def run_name(self) -> str:
        """The scenario's name, or a run of several's names joined by " + "."""
        return self.scenario.definition.name if self.mix is None else self.mix.name

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the workers started on this machine (for tests and diagnostics)."""
        return [w.handle.pid for w in self._workers if w.handle.pid is not None]

    @property
    def publish_delays(self) -> Sequence[float]:
        """How late each snapshot went out, for tests and diagnostics: the last hour's."""
        return self._publisher.delays

    def run_totals(self, bounds_us: tuple[int, ...]) -> RunTotals:
        """The run's counts and latency buckets so far; call it on the run's loop."""
        return self._publisher.builder.run_totals(bounds_us)

    def request_stop(self, reason: StopReason = StopReason.REQUESTED) -> None:
        """End the run gracefully: workers stop their users within the grace period."""
        if self.stop_reason is None:
            self.stop_reason = reason

    def abort(self) -> None:
        """End the run now: workers cancel their users; results are still built."""
        self.request_stop(StopReason.SIGNAL)
        self._abort_sent = True
        for worker in self._workers:
            if worker.in_play:
                worker.handle.send(Stop(abort=True))

    async def run(self) -> TestResult:
        """Start the workers, drive the pattern, stop them, merge everything they measured."""
        status = RunStatus.FAILED
        try:
            self._start_workers()
            await self._wait_until_ready()
            self._begin()
            await self._drive()
            self._set_state(RunPhase.STOPPING)
            await self._stop_workers()
            if not any(w.state is WorkerState.FINISHED for w in self._workers):
                status = RunStatus.FAILED
            elif self.stop_reason is not None and not self.stop_reason.completes_run:
                status = RunStatus.INTERRUPTED
            else:
                status = RunStatus.COMPLETED
        finally:
            self._shut_down()
            if self.settings.raw_log is not None:
                merge_parts(self.settings.raw_log, self.settings.workers)
        end = time.monotonic()
        publisher = self._publisher
        publisher.publish_final(end)
        facts = RunFacts(
            scenario_name=self.run_name,
            mix=self.mix,
            open_model=self.settings.open_model,
            lane_peaks=self.settings.lane_peaks(end - publisher.clock.start),
            lane_rates=self.settings.lane_rates,
            pattern_description=self.settings.describe(),
            config=dict(self.settings.config),
            workers=self.settings.workers,
            cluster=self._launcher.placement(),
        )
        self.result = build_result(
            facts,
            status,
            publisher.clock,
            end,
            publisher.builder,
            publisher.history.snapshots(),
            self.events,
            target_rate=self.settings.run_target_rate(end - publisher.clock.start),
        )
        self._set_state(FINAL_STATES[status])
        return self.result

    def _start_workers(self) -> None:
        settings = self.settings
        share = settings.connection_peak() // settings.workers + 1
        rps = settings.rps / settings.workers if settings.rps else None
        bounds = split_users(settings.pool_bound(), settings.workers) if settings.open_model else []
        for worker_id in range(settings.workers):
            spec = WorkerSpec(
                worker_id=worker_id,
                coordinator_pid=os.getpid(),
                source=self._source,
                max_connections=settings.max_connections or max(100, share),
                grace=settings.grace,
                rps=rps,
                seed=settings.seed,
                open_model=settings.open_model,
                max_users=bounds[worker_id] if bounds else 0,
                workers=settings.workers,
                lane_rates=settings.lane_rates if settings.mixed else (),
                raw_log=None
                if settings.raw_log is None
                else part_path(settings.raw_log, worker_id),
            )
            self._workers.append(WorkerRecord(self._launcher.start(spec)))

    async def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self._ready_timeout
        while any(w.state is WorkerState.STARTING for w in self._workers):
            self._read_reports()
            for worker in self._workers:
                if worker.failure is not None:
                    raise ScenarioError(f"Worker {worker.worker_id} failed: {worker.failure}")
                cause = worker.handle.exit_cause()
                if worker.state is WorkerState.STARTING and cause is not None:
                    self._read_reports()
                    if worker.state is WorkerState.STARTING:
                        raise ScenarioError(f"Worker {worker.worker_id} {cause} while starting.")
            if self.stop_reason is not None:
                return  # stopped while starting: Start then Stop ends every worker cleanly
            if time.monotonic() > deadline:
                raise ScenarioError(f"The workers did not start within {self._ready_timeout:g}s.")
            await asyncio.sleep(0.01)

    def _begin(self) -> None:
        now = time.monotonic()
        clock = self._publisher.clock = RunClock(
            wall=time.time() + START_LEAD_SECONDS, start=now + START_LEAD_SECONDS
        )
        for worker in self._workers:
            worker.state = WorkerState.RUNNING
            worker.last_heard = now
            worker.handle.send(
                Start(
                    clock.start,
                    self.settings.snapshot_interval,
                    end=clock.start + self.settings.duration,
                )
            )
        self._set_state(RunPhase.RUNNING)

    async def _drive(self) -> None:
        duration = self.settings.duration
        while True:
            now = time.monotonic()
            elapsed = now - self._publisher.clock.start
            self._poll(now)
            self._publisher.publish_due(now)
            if self.stop_reason is not None:
                self._publisher.drain_from = min(max(elapsed, 0.0), duration)
                return
            if elapsed >= duration:
                self._publisher.drain_from = duration
                self.request_stop(StopReason.DURATION_REACHED)
                return
            if not any(w.in_play for w in self._workers):
                log.error("every worker was lost; stopping the run")
                self.request_stop(StopReason.REQUESTED)
                return
            if now >= self._next_scale:
                self._rescale(max(elapsed, 0.0))
                self._next_scale = now + SCALE_TICK_SECONDS
            await asyncio.sleep(POLL_SECONDS)

    def _rescale(self, elapsed: float) -> None:
        live = [w for w in self._workers if w.state is WorkerState.RUNNING]
        if not live:
            return
        ids = [w.worker_id for w in live]
        if self.settings.open_model:
            self._pace(self.settings.rate_at(elapsed), elapsed, live, ids)
            return
        if self.settings.lanes:
            users = tuple(int(each) for each in self.settings.lanes_at(elapsed))
            self._scale_lanes(users, live, ids)
            return
        target = self.settings.pattern.users_at(elapsed)
        shares = assign(split_users(target, len(live)), ids)
        for worker in live:
            share = shares[worker.worker_id]
            if share != worker.users_share:
                worker.users_share = share
                worker.handle.send(Scale(share))

    def _scale_lanes(
        self, targets: tuple[int, ...], live: list[WorkerRecord], ids: list[int]
    ) -> None:
        """Closed model, each scenario on its own pattern: split each lane's users like users."""
        shares = assign(split_lanes(list(targets), len(live)), ids)
        for worker in live:
            lanes = shares[worker.worker_id]
            if lanes != worker.lanes_share:
                worker.lanes_share = lanes
                worker.users_share = sum(lanes)
                worker.handle.send(Scale(sum(lanes), lanes=lanes))

    def _pace(self, rate: float, elapsed: float, live: list[WorkerRecord], ids: list[int]) -> None:
        """Open model: split the rate evenly and the user bound like users.

        Each worker's schedule is offset by its place among the live workers
        (`phase`), so N workers at rate/N each start iterations one total gap
        apart instead of N at a time: 0.5/s over 2 workers is one start every
        2 s, alternating between them.
        """
        bounds = assign(split_users(self.settings.pool_bound(), len(live)), ids)
        share = split_rate(rate, len(live))[0]
        phases = assign(list(range(len(live))), ids)
        # Scenarios on rates of their own split each rate evenly; a mixed
        # run's scenarios on users split their users as `_scale_lanes` does.
        levels = self.settings.lanes_at(elapsed)
        lanes = assign(split_paced_lanes(levels, self.settings.lane_rates, len(live)), ids)
        for worker in live:
            key = (share, bounds[worker.worker_id], lanes[worker.worker_id])
            if key != worker.pace:
                worker.pace = key
                phase = phases[worker.worker_id] / len(live)
                worker.handle.send(Pace(share, key[1], phase=phase, lanes=key[2]))

    async def _stop_workers(self) -> None:
        for worker in self._workers:
            if worker.in_play:
                worker.state = WorkerState.STOPPING
                worker.handle.send(Stop(abort=self._abort_sent))
        deadline = time.monotonic() + self.settings.grace + 5.0
        while any(w.in_play for w in self._workers) and time.monotonic() < deadline:
            now = time.monotonic()
            self._poll(now)
            self._publisher.publish_due(now)  # the drain, second by second like the rest
            await asyncio.sleep(POLL_SECONDS)
        for worker in self._workers:
            if worker.in_play:
                self._lose(worker, "did not stop within the grace period")

    def _poll(self, now: float) -> None:
        """Read reports and intervals, and declare lost any worker that exited or went silent."""
        self._read_reports()
        self._read_intervals()
        for worker in self._workers:
            if not worker.in_play:
                continue
            cause = worker.handle.exit_cause()
            if cause is not None:
                # It may have finished just now: what it sent before ending still counts.
                self._read_reports()
                self._read_intervals()
                if worker.in_play:
                    self._lose(worker, cause)
            elif now - worker.last_heard > LOST_AFTER_SECONDS:
                worker.handle.kill()
                self._lose(worker, f"silent for {LOST_AFTER_SECONDS:g}s (no heartbeat)")

    def _read_reports(self) -> None:
        for worker in self._workers:
            if worker.state is WorkerState.LOST:
                continue
            reports = worker.handle.reports()
            worker.heard(len(reports))
            for report in reports:
                self._on_report(worker, report)

    def _on_report(self, worker: WorkerRecord, report: Report) -> None:
        match report:
            case Ready():
                if worker.state is WorkerState.STARTING:
                    worker.state = WorkerState.READY
            case Heartbeat():
                pass  # a sign of life, as every report is
            case Finished():
                self._read_intervals()
                worker.finished(report.last_interval)
            case WorkerFailed():
                worker.failure = report.message
                if worker.state is not WorkerState.STARTING:
                    self._lose(worker, report.message)
            case DataExhausted():
                self._data_exhausted(worker.worker_id, report.reason)
            case _:
                assert_never(report)

    def _read_intervals(self) -> None:
        for worker in self._workers:
            for interval in worker.handle.intervals():
                self._publisher.add(worker.worker_id, interval)
                worker.received(interval.index)
            for reason in worker.handle.dropped_intervals():
                self._interval_dropped(worker, reason)

    def _record_event(
        self, kind: RunEventKind, worker_id: int, cause: str, node: str | None = None
    ) -> RunEvent:
        """A run event now, kept for result.json (observers are told by the caller)."""
        now = time.monotonic()
        clock = self._publisher.clock
        event = RunEvent(
            timestamp=clock.wall_at(now),
            elapsed_seconds=max(0.0, now - clock.start),
            kind=kind,
            worker_id=worker_id,
            cause=cause,
            node=node,
        )
        self.events.append(event)
        return event

    def _interval_dropped(self, worker: WorkerRecord, reason: str) -> None:
        """An interval of the worker could not be decoded: an event says its counts are out."""
        event = self._record_event(
            RunEventKind.INTERVAL_DROPPED,
            worker.worker_id,
            f"an interval cannot be decoded and its counts are left out: {reason}",
            worker.handle.node,
        )
        notify(self._on_event, event, "event")

    def _data_exhausted(self, worker_id: int, reason: str) -> None:
        """A feeder ran out of rows: once every running worker's share has, end the run, once.

        Each worker holds its own share of a file's rows, so one worker running
        out while another still has rows leaves the run going: a `unique`
        file's rows are all sent before the run ends, however the workers' paces differ.
        """
        self._exhausted[worker_id] = reason
        running = {w.worker_id for w in self._workers if w.state is WorkerState.RUNNING}
        if self.stop_reason is StopReason.DATA_EXHAUSTED or not running <= self._exhausted.keys():
            return
        event = self._record_event(RunEventKind.DATA_EXHAUSTED, worker_id, reason)
        notify(self._on_event, event, "event")
        self.request_stop(StopReason.DATA_EXHAUSTED)

    def _lose(self, worker: WorkerRecord, cause: str) -> None:
        worker.state = WorkerState.LOST
        worker.handle.kill()
        self._read_intervals()
        self._publisher.forget(worker.worker_id)
        event = self._record_event(
            RunEventKind.WORKER_LOST, worker.worker_id, cause, worker.handle.node
        )
        survivors = [w for w in self._workers if w.state is WorkerState.RUNNING]
        log.warning(
            "worker %d (%s) lost (%s); its users move to %d others",
            worker.worker_id,
            worker.handle.location,
            cause,
            len(survivors),
        )
        if self.settings.rps and survivors:
            for other in survivors:
                other.handle.send(SetRate(self.settings.rps / len(survivors)))
        self._next_scale = 0.0  # re-split at once
        notify(self._on_event, event, "event")
        if self._exhausted:  # the rows left were the lost worker's: the others have none
            self._data_exhausted(*next(reversed(self._exhausted.items())))

    def _shut_down(self) -> None:
        for worker in self._workers:
            if worker.state is WorkerState.FINISHED:
                worker.handle.join(2.0)
            else:
                worker.handle.kill()
                worker.handle.join(1.0)
        self._read_intervals()
        for worker in self._workers:
            worker.handle.close()

    def _running_users(self) -> int:
        """The users the workers not lost were last told to run (the closed model's count)."""
        return sum(max(w.users_share, 0) for w in self._workers if w.state is not WorkerState.LOST)

    def _set_state(self, state: RunPhase) -> None:
        self.state = state
        notify(self._on_state, state, "state")
