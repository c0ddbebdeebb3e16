"""One load test on one event loop: users follow a pattern, metrics every second.

`LoadTest` owns the virtual users, the connection pool and the metrics of a
single process. It decides nothing about presentation or files: observers
receive each `MetricSnapshot` and state change, and `run()` returns the
finished `TestResult` (also kept in `.result`, even when the run failed).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.feeders import on_feeder_exhausted
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.drivers import DriverSettings, LoadDriver, build_driver
from loadforge.engine.lifecycle import RunPhase, StopReason
from loadforge.engine.observers import FINAL_STATES, SnapshotObserver, StateObserver, notify
from loadforge.engine.run_result import DRAIN_SLACK, RunClock, RunFacts, build_result
from loadforge.engine.settings import SCALE_TICK_SECONDS, LoadSettings
from loadforge.metrics.history import SnapshotHistory
from loadforge.metrics.models import (
    RunEvent,
    RunEventKind,
    RunStatus,
    TestResult,
)
from loadforge.metrics.raw_log import collector_for
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.metrics.totals import RunTotals

log = logging.getLogger(__name__)


class LoadTest:
    """Runs virtual users of one scenario against its target for a set duration."""

    def __init__(
        self,
        scenario: ResolvedScenario,
        settings: LoadSettings,
        *,
        on_snapshot: Sequence[SnapshotObserver] = (),
        on_state: Sequence[StateObserver] = (),
        mix: ScenarioMix | None = None,
    ) -> None:
        """`mix`, when given, holds `scenario` and the others run beside it."""
        self.scenario = scenario
        self.mix = mix
        self.settings = settings
        self.state = RunPhase.STARTING
        self.stop_reason: StopReason | None = None
        self.result: TestResult | None = None
        self._on_snapshot = tuple(on_snapshot)
        self._on_state = tuple(on_state)
        self._collector = collector_for(settings.raw_log)
        self._builder = SnapshotBuilder()
        self._history = SnapshotHistory()
        self._interval_start = 0.0
        self._next_snapshot = 0.0  # the next interval's end, seconds from the start
        # When the run stopped starting work (seconds from the start): the
        # intervals that begin there or later are the drain.
        self._drain_from = math.inf
        self._stop_requested = asyncio.Event()
        # What happened to the run itself: a feeder running out of rows.
        self._events: list[RunEvent] = []
        on_feeder_exhausted(self._data_exhausted)
        peak = settings.connection_peak()
        self._users: LoadDriver = build_driver(
            scenario,
            self._collector,
            DriverSettings(
                open_model=settings.open_model,
                max_users=settings.pool_bound() if settings.open_model else 0,
                max_connections=settings.max_connections or max(100, peak),
                grace=settings.grace,
                rps=settings.rps,
                seed=settings.seed,
                mix=mix,
                lane_rates=settings.lane_rates if settings.mixed else (),
            ),
        )

    @property
    def run_name(self) -> str:
        """The scenario's name, or a run of several's names joined by " + "."""
        return self.scenario.definition.name if self.mix is None else self.mix.name

    @property
    def target_users(self) -> int:
        """The pattern's target at the last scale tick."""
        return self._users.target

    def run_totals(self, bounds_us: tuple[int, ...]) -> RunTotals:
        """The run's counts and latency buckets so far; call it on the run's loop."""
        return self._builder.run_totals(bounds_us)

    def request_stop(self, reason: StopReason = StopReason.REQUESTED) -> None:
        """End the run gracefully: users finish within the grace period, then teardown."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self._stop_requested.set()

    def _data_exhausted(self, reason: str) -> None:
        """A feeder in `stop` mode ran out of rows: say so in the result and end the run."""
        if self.stop_reason is StopReason.DATA_EXHAUSTED:
            return
        loop_now = asyncio.get_running_loop().time()
        start = self._interval_start
        self._events.append(
            RunEvent(
                timestamp=time.time(),
                elapsed_seconds=max(0.0, loop_now - start) if start else 0.0,
                kind=RunEventKind.DATA_EXHAUSTED,
                worker_id=0,
                cause=reason,
            )
        )
        self.request_stop(StopReason.DATA_EXHAUSTED)

    def abort(self) -> None:
        """End the run now: cancel every user without waiting; results are still built."""
        self.request_stop(StopReason.SIGNAL)
        self._users.cancel_all()

    async def run(self) -> TestResult:
        """Drive the pattern until the duration ends or a stop is requested."""
        loop = asyncio.get_running_loop()
        clock = RunClock(wall=time.time(), start=loop.time())
        zero = time.monotonic()
        self._users.plan(zero, zero + self.settings.duration)
        self._interval_start = clock.start
        status = RunStatus.FAILED
        try:
            self._set_state(RunPhase.RUNNING)
            await self._drive(clock)
            self._set_state(RunPhase.STOPPING)
            drain = loop.create_task(self._snapshot_the_drain(clock))
            try:
                await self._users.stop_all()
            finally:
                drain.cancel()
            completed = self.stop_reason is None or self.stop_reason.completes_run
            status = RunStatus.COMPLETED if completed else RunStatus.INTERRUPTED
        finally:
            self._users.cancel_all()  # none are left unless the run failed
            await self._users.aclose()
            end = loop.time()
            self._emit_snapshot(clock, end)
            self._collector.close()
            self.result = self._build_result(status, clock, end)
            self._set_state(FINAL_STATES[status])
        return self.result

    async def _drive(self, clock: RunClock) -> None:
        loop = asyncio.get_running_loop()
        duration = self.settings.duration
        interval = self.settings.snapshot_interval
        self._next_snapshot = interval
        while True:
            elapsed = loop.time() - clock.start
            while elapsed >= self._next_snapshot and self._next_snapshot <= duration:
                self._emit_snapshot(clock, clock.start + self._next_snapshot)
                self._next_snapshot += interval
            if elapsed >= duration:
                self._drain_from = duration
                self.request_stop(StopReason.DURATION_REACHED)
                return
            if self.settings.lanes:
                self._users.follow_lanes(self.settings.lanes_at(elapsed))
            else:
                self._users.follow(self.settings.level_at(elapsed))
            wake_in = min(SCALE_TICK_SECONDS, self._next_snapshot - elapsed, duration - elapsed)
            try:
                await asyncio.wait_for(self._stop_requested.wait(), max(wake_in, 0.001))
            except TimeoutError:
                continue
            self._drain_from = min(loop.time() - clock.start, duration)
            return

    async def _snapshot_the_drain(self, clock: RunClock) -> None:
        """While users finish within the grace period, one snapshot a second, as before.

        The last one, shorter, is the final snapshot: its rates are per
        second of its own length.
        """
        loop = asyncio.get_running_loop()
        while True:
            boundary = clock.start + self._next_snapshot
            await asyncio.sleep(max(0.0, boundary - loop.time()))
            self._emit_snapshot(clock, boundary)
            self._next_snapshot += self.settings.snapshot_interval

    def _emit_snapshot(self, clock: RunClock, interval_end: float) -> None:
        seconds = interval_end - self._interval_start
        if seconds <= 0:
            return
        begun = self._interval_start - clock.start
        self._interval_start = interval_end
        drain = begun >= self._drain_from - DRAIN_SLACK
        snapshot = self._builder.add_interval(
            self._collector.take_interval(),
            timestamp=clock.wall_at(interval_end),
            elapsed=interval_end - clock.start,
            interval_seconds=seconds,
            active_users=self._users.peak_active(),
            target_users=self._users.target,
            target_rate=self.settings.target_rate_over(begun, interval_end - clock.start),
            drain=drain,
        )
        self._history.append(snapshot)
        notify(self._on_snapshot, snapshot, "snapshot")

    def _set_state(self, state: RunPhase) -> None:
        self.state = state
        notify(self._on_state, state, "state")

    def _build_result(self, status: RunStatus, clock: RunClock, end: float) -> TestResult:
        facts = RunFacts(
            scenario_name=self.run_name,
            mix=self.mix,
            open_model=self.settings.open_model,
            lane_peaks=self.settings.lane_peaks(end - clock.start),
            lane_rates=self.settings.lane_rates,
            pattern_description=self.settings.describe(),
            config=dict(self.settings.config),
        )
        return build_result(
            facts,
            status,
            clock,
            end,
            self._builder,
            self._history.snapshots(),
            self._events,
            target_rate=self.settings.run_target_rate(end - clock.start),
        )
