"""One load test on one event loop: users follow a pattern, metrics every second.

`LoadTest` owns the virtual users, the connection pool and the metrics of a
single process. It decides nothing about presentation or files: observers
receive each `MetricSnapshot` and state change, and `run()` returns the
finished `TestResult` (also kept in `.result`, even when the run failed).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from loadforge.dsl import ResolvedScenario
from loadforge.engine.lifecycle import RunState, StopReason
from loadforge.engine.rate_limiter import TokenBucket
from loadforge.engine.scheduler import plan_scale
from loadforge.engine.user import VirtualUser
from loadforge.http import ConnectionPool, HttpClient
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.patterns import LoadPattern
from loadforge.version import __version__

log = logging.getLogger(__name__)

SnapshotObserver = Callable[[MetricSnapshot], None]
StateObserver = Callable[[RunState], None]

# How often the target is re-read from the pattern: ten times a second keeps
# ramps smooth (a 0 → 100 ramp over 10 s starts one user per tick) for one
# pure function call per tick.
SCALE_TICK_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """How hard and how long to drive the target."""

    pattern: LoadPattern
    duration: float
    rps: float | None = None
    grace: float = 5.0
    max_connections: int | None = None
    snapshot_interval: float = 1.0
    seed: int | None = None
    config: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _RunClock:
    """The run's start on the wall clock and on the loop's monotonic clock."""

    wall: float
    start: float

    def wall_at(self, loop_time: float) -> float:
        return self.wall + (loop_time - self.start)


class LoadTest:
    """Runs virtual users of one scenario against its target for a set duration."""

    def __init__(
        self,
        scenario: ResolvedScenario,
        settings: LoadSettings,
        *,
        on_snapshot: Sequence[SnapshotObserver] = (),
        on_state: Sequence[StateObserver] = (),
    ) -> None:
        self.scenario = scenario
        self.settings = settings
        self.state = RunState.STARTING
        self.stop_reason: StopReason | None = None
        self.result: TestResult | None = None
        self._on_snapshot = tuple(on_snapshot)
        self._on_state = tuple(on_state)
        self._collector = MetricsCollector()
        self._builder = SnapshotBuilder()
        self._snapshots: list[MetricSnapshot] = []
        self._users: list[tuple[VirtualUser, asyncio.Task[None]]] = []
        self._stopping: set[asyncio.Task[None]] = set()
        self._rng = random.Random(settings.seed)
        self._next_user_id = 0
        self._target = 0
        self._interval_start = 0.0
        self._stop_requested = asyncio.Event()
        peak = settings.pattern.peak_users(settings.duration)
        self._pool = ConnectionPool(
            max_connections=settings.max_connections or max(100, peak),
            verify=scenario.definition.verify,
        )
        self._gate = TokenBucket(settings.rps) if settings.rps else None

    @property
    def active_users(self) -> int:
        """Users running and not asked to stop."""
        return len(self._users)

    @property
    def target_users(self) -> int:
        """The pattern's target at the last scale tick."""
        return self._target

    def request_stop(self, reason: StopReason = StopReason.REQUESTED) -> None:
        """End the run gracefully: users finish within the grace period, then teardown."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self._stop_requested.set()

    def abort(self) -> None:
        """End the run now: cancel every user without waiting; results are still built."""
        self.request_stop(StopReason.SIGNAL)
        self._cancel_users()

    async def run(self) -> TestResult:
        """Drive the pattern until the duration ends or a stop is requested."""
        loop = asyncio.get_running_loop()
        clock = _RunClock(wall=time.time(), start=loop.time())
        self._interval_start = clock.start
        status = RunStatus.FAILED
        try:
            self._set_state(RunState.RUNNING)
            await self._drive(clock)
            self._set_state(RunState.STOPPING)
            await self._stop_all_users()
            finished_early = self.stop_reason not in (None, StopReason.DURATION_REACHED)
            status = RunStatus.INTERRUPTED if finished_early else RunStatus.COMPLETED
        finally:
            self._cancel_users()  # none are left unless the run failed
            await self._pool.aclose()
            end = loop.time()
            self._emit_snapshot(clock, end)
            self.result = self._build_result(status, clock, end)
            self._set_state(_FINAL_STATES[status])
        return self.result

    def _cancel_users(self) -> None:
        for _, task in self._users:
            task.cancel()
        for task in self._stopping:
            task.cancel()

    async def _drive(self, clock: _RunClock) -> None:
        loop = asyncio.get_running_loop()
        duration = self.settings.duration
        interval = self.settings.snapshot_interval
        next_snapshot = interval
        while True:
            elapsed = loop.time() - clock.start
            # The second that ends the run is left open: the final snapshot
            # covers it together with the drain (users finishing within the
            # grace period), so no snapshot reports a few stragglers over a
            # few milliseconds as a huge rate.
            while elapsed >= next_snapshot and next_snapshot < duration:
                self._emit_snapshot(clock, clock.start + next_snapshot)
                next_snapshot += interval
            if elapsed >= duration:
                self.request_stop(StopReason.DURATION_REACHED)
                return
            self._scale_to(self.settings.pattern.users_at(elapsed))
            wake_in = min(SCALE_TICK_SECONDS, next_snapshot - elapsed, duration - elapsed)
            try:
                await asyncio.wait_for(self._stop_requested.wait(), max(wake_in, 0.001))
            except TimeoutError:
                continue
            return

    def _scale_to(self, target: int) -> None:
        self._target = target
        step = plan_scale(len(self._users), target)
        for _ in range(step.start):
            self._start_user()
        for _ in range(step.stop):
            user, task = self._users.pop()
            self._retire(user, task)

    def _start_user(self) -> None:
        definition = self.scenario.definition
        client = HttpClient(
            base_url=self.scenario.base_url,
            pool=self._pool,
            recorder=self._collector,
            default_headers=self.scenario.default_headers,
            timeout=definition.timeout,
            rate_gate=self._gate,
        )
        user_id = self._next_user_id
        self._next_user_id += 1
        rng = random.Random(self._rng.getrandbits(64))
        user = VirtualUser(user_id, definition, client, self._collector, rng)
        task = asyncio.get_running_loop().create_task(user.run(), name=f"loadforge-user-{user_id}")
        task.add_done_callback(_report_crash)
        self._users.append((user, task))

    def _retire(self, user: VirtualUser, task: asyncio.Task[None]) -> None:
        """Stop a user; it gets the grace period to finish its request and teardown."""
        user.stop()
        if task.done():
            return
        self._stopping.add(task)
        deadline = asyncio.get_running_loop().call_later(self.settings.grace, task.cancel)
        task.add_done_callback(lambda _: deadline.cancel())
        task.add_done_callback(self._stopping.discard)

    async def _stop_all_users(self) -> None:
        if self._gate is not None:
            self._gate.close()
        while self._users:
            user, task = self._users.pop()
            self._retire(user, task)
        if self._stopping:
            await asyncio.wait(set(self._stopping))

    def _emit_snapshot(self, clock: _RunClock, interval_end: float) -> None:
        seconds = interval_end - self._interval_start
        if seconds <= 0:
            return
        self._interval_start = interval_end
        snapshot = self._builder.add_interval(
            self._collector.take_interval(),
            timestamp=clock.wall_at(interval_end),
            elapsed=interval_end - clock.start,
            interval_seconds=seconds,
            active_users=self.active_users,
            target_users=self._target,
        )
        self._snapshots.append(snapshot)
        for observer in self._on_snapshot:
            try:
                observer(snapshot)
            except Exception:  # a broken view must not end the run
                log.exception("snapshot observer %r failed", observer)

    def _set_state(self, state: RunState) -> None:
        self.state = state
        for observer in self._on_state:
            try:
                observer(state)
            except Exception:
                log.exception("state observer %r failed", observer)

    def _build_result(self, status: RunStatus, clock: _RunClock, end: float) -> TestResult:
        elapsed = end - clock.start
        # The summary's user counts are the run's peaks: the last snapshot,
        # taken after every user stopped, would always say 0.
        summary = self._builder.summary(
            timestamp=clock.wall_at(end),
            elapsed=elapsed,
            active_users=max((s.active_users for s in self._snapshots), default=0),
            target_users=max((s.target_users for s in self._snapshots), default=0),
        )
        return TestResult(
            scenario_name=self.scenario.definition.name,
            status=status,
            start_time=datetime.fromtimestamp(clock.wall, tz=UTC),
            end_time=datetime.fromtimestamp(clock.wall_at(end), tz=UTC),
            duration_seconds=elapsed,
            pattern_description=self.settings.pattern.describe(),
            snapshots=list(self._snapshots),
            final_summary=summary,
            latency_histogram=self._builder.whole_run_histogram(),
            endpoint_histograms=self._builder.endpoint_histograms(),
            config=dict(self.settings.config),
            loadforge_version=__version__,
        )


_FINAL_STATES = {
    RunStatus.COMPLETED: RunState.COMPLETED,
    RunStatus.INTERRUPTED: RunState.INTERRUPTED,
    RunStatus.FAILED: RunState.FAILED,
}


def _report_crash(task: asyncio.Task[None]) -> None:
    """Log a user that died of something other than cancellation (a LoadForge bug)."""
    if not task.cancelled() and task.exception() is not None:
        log.error("virtual user crashed", exc_info=task.exception())
