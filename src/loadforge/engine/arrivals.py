"""The open model: iterations start on a schedule, whether or not earlier ones finished.

`ArrivalPool` starts `rate` iterations per second (one weighted task each) on
a pool of at most `max_users` virtual users, as k6's constant- and
ramping-arrival-rate executors do. A user is created (and set up) the first
time no idle one is free; when all `max_users` are busy, the start is
missed and counted as a dropped iteration, never silently skipped.

In a run of several scenarios (a `ScenarioMix`) each start picks its
scenario from its run-wide number (start k of worker w of W is k·W + w) by
the weights alone (`ScenarioMix.position_of_start`), and runs on an idle
user of that scenario, or a new one. A start whose scenario has no idle user
when the pool is full is dropped, even if users of another scenario idle.
Each scenario's users are counted as they are set up
(`MetricsCollector.count_user`), so the run reports how many each needed.

Each request is also timed from its iteration's intended start (as wrk2
does), so a stalled target shows in `latency_corrected_*` even though the
requests themselves were fast once sent: coordinated omission corrected.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.user import VirtualUser
from loadforge.engine.user_factory import UserFactory
from loadforge.metrics.collector import MetricsCollector

log = logging.getLogger(__name__)

LAUNCH_WINDOW = 0.0005
"""Starts due within this many seconds are made at once rather than slept for.

uvloop times callbacks to the millisecond, rounding, so a sleep shorter
than half a millisecond returns at once: sleeping until each start would
spin the schedule around the loop, a whole core from about 2,000 starts/s
whatever the work (benchmarks/README.md, Open model). Each start is made
within about half a millisecond of its intended time, early or late.
"""


END_SLACK = 1e-6
"""A start due within this many seconds of the planned end counts as due at the end.

A phased schedule's last gap, (zero + phase/rate) + k/rate, can round an ulp
below zero + D: without the slack it would make the start due at D itself.
"""


class IntendedStartRecorder:
    """A user's recorder that also times each request from its iteration's intended start."""

    __slots__ = ("_collector", "intended")

    def __init__(self, collector: MetricsCollector) -> None:
        self._collector = collector
        self.intended = time.monotonic()

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        """Count the request, and its latency measured from the intended start."""
        self._collector.record(name, method, status, latency_us, nbytes, error)
        corrected = int((time.monotonic() - self.intended) * 1_000_000)
        self._collector.record_corrected(name, max(corrected, latency_us))

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """See `RequestRecorder.mark_failed`."""
        self._collector.mark_failed(name, status, error)

    def count_iterations(self, count: int) -> None:
        """See `RequestRecorder.count_iterations`."""
        self._collector.count_iterations(count)

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """See `RequestRecorder.record_task_error`."""
        self._collector.record_task_error(task, exc)

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """See `RequestRecorder.record_check`."""
        self._collector.record_check(check, endpoint, passed, error)

    def record_group(self, group: str, duration_us: int) -> None:
        """See `RequestRecorder.record_group`."""
        self._collector.record_group(group, duration_us)

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """See `RequestRecorder.record_timings`."""
        self._collector.record_timings(name, waiting_us, receiving_us)

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """See `RequestRecorder.record_connecting`."""
        self._collector.record_connecting(name, connecting_us, dns_us, tls_us)


class _PooledUser:
    """A virtual user of the open model: its recorder, and the start it is parked waiting for."""

    __slots__ = ("position", "recorder", "user", "waiter")

    def __init__(
        self, user: VirtualUser, recorder: IntendedStartRecorder, position: int = 0
    ) -> None:
        self.user = user
        self.recorder = recorder
        self.position = position  # its scenario's place in the run's mix (0 without one)
        self.waiter: asyncio.Future[bool] | None = None

    def wake(self, go: bool) -> None:
        """Start its next iteration (True), or end its life (False)."""
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(go)


class ArrivalPool:
    """Starts iterations at a rate on a bounded pool of users; counts the starts it misses."""

    def __init__(
        self,
        scenario: ResolvedScenario,
        *,
        collector: MetricsCollector,
        max_users: int,
        max_connections: int,
        grace: float,
        rps: float | None = None,
        seed: int | None = None,
        worker_index: int = 0,
        worker_count: int = 1,
        mix: ScenarioMix | None = None,
    ) -> None:
        self.scenario = scenario
        self.collector = collector
        self.grace = grace
        self.max_users = max_users
        self.rate = 0.0
        self.phase = 0.0
        self._origin = 0.0  # when the schedule (re)started: starts are due from here
        # The run's time zero and planned end (time.monotonic()), once known:
        # the first start is due at its zero, and none is due at its end or after.
        self._zero: float | None = None
        self._end = math.inf
        # The schedule: start k is due at anchor + k / gap_rate.
        self._anchor, self._k, self._gap_rate = 0.0, 0, 0.0
        self._mix = mix
        self._worker_index, self._worker_count = worker_index, worker_count
        self._starts = 0  # starts made here, which number them in the run
        # Idle users, a list per scenario of the mix (one without a mix).
        self._idle_of: list[list[_PooledUser]] = [
            [] for _ in (mix.scenarios if mix is not None else (scenario,))
        ]
        self._all: list[_PooledUser] = []
        self._running: set[asyncio.Task[None]] = set()
        self._factory = UserFactory(
            scenario,
            max_connections=max_connections,
            rps=rps,
            seed=seed,
            worker_index=worker_index,
            worker_count=worker_count,
            mix=mix,
        )
        self._schedule: asyncio.Task[None] | None = None
        self._paced = asyncio.Event()

    @property
    def active(self) -> int:
        """Users busy with an iteration (or their setup)."""
        return len(self._all) - sum(len(idle) for idle in self._idle_of)

    @property
    def target(self) -> int:
        """The pool's bound."""
        return self.max_users

    def pace(self, rate: float, max_users: int | None = None, *, phase: float = 0.0) -> None:
        """Start `rate` iterations per second from now on (this process's share).

        Any rate > 0 works, 0.25/s included (a start every 4 s). `phase`
        delays the first start by that fraction of a gap; later changes of
        rate keep the schedule going from the last start.
        """
        if max_users is not None:
            self.max_users = max_users
        self.phase = phase
        if rate == self.rate and self._schedule is not None:
            return
        self.rate = max(rate, 0.0)
        if self._schedule is None:
            self._origin = time.monotonic() if self._zero is None else self._zero
            loop = asyncio.get_running_loop()
            self._schedule = loop.create_task(self._run_schedule(), name="loadforge-arrivals")
        self._paced.set()

    def plan(self, start: float, end: float) -> None:
        """The run's time zero and planned end: starts fall at zero + k/rate, strictly before end.

        A rate R for D seconds then starts exactly R×D iterations (k6 does the
        same), however late the stop reaches the pool.
        """
        self._zero = start
        self._end = end

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """Follow a pattern's value, iterations per second (see `LoadDriver.follow`)."""
        self.pace(value, max_users, phase=phase)

    def follow_lanes(self, targets: Sequence[int]) -> None:
        """Refused: scenarios with arrival rates of their own do not run side by side yet.

        `loadforge.runs.request` refuses such a run with a message before it
        starts, so reaching this is a LoadForge bug.
        """
        raise NotImplementedError("the open model shares one arrival rate between scenarios")

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps`."""
        self._factory.set_rate(rps)

    def _first_due(self) -> float:
        return self._origin + (self.phase / self.rate if self.rate > 0 else 0.0)

    async def _run_schedule(self) -> None:
        # Start k is due at anchor + k / rate, computed from the anchor (never
        # by adding gaps to the clock or to each other), so the schedule does
        # not drift however late the loop wakes or however long the run.
        self._anchor, self._k, self._gap_rate = self._first_due(), 0, self.rate
        while True:
            if self.rate <= 0:
                self._paced.clear()
                await self._paced.wait()
                self._paced.clear()
                self._origin = time.monotonic()
                self._anchor, self._k, self._gap_rate = self._first_due(), 0, self.rate
                continue
            if self._paced.is_set():
                self._paced.clear()
                if self._k:
                    # A new rate: the next start is one new gap after the last one.
                    self._anchor += (self._k - 1) / self._gap_rate
                    self._k = 1
                else:
                    self._anchor = self._first_due()
                self._gap_rate = self.rate
            next_due = self._anchor + self._k / self._gap_rate
            if next_due >= self._end - END_SLACK:
                return  # the planned end: no start is due from here on
            now = time.monotonic()
            if next_due > now + LAUNCH_WINDOW:
                # Capped so that a lower rate set meanwhile is seen within 50 ms.
                await asyncio.sleep(min(next_due - now, 0.05))
                continue
            self._launch_due(now + LAUNCH_WINDOW)

    def _launch_due(self, until: float) -> None:
        """Make every start due by `until` and before the planned end.

        Each start keeps its own intended time, so a late loop shows up in
        corrected latency (a start made early does not lower it).
        """
        next_due = self._anchor + self._k / self._gap_rate
        while next_due <= until and next_due < self._end - END_SLACK:
            self._launch(next_due)
            self._k += 1
            next_due = self._anchor + self._k / self._gap_rate

    def _launch(self, intended: float) -> None:
        position = 0
        if self._mix is not None:
            number = self._starts * self._worker_count + self._worker_index
            position = self._mix.position_of_start(number)
        self._starts += 1
        idle = self._idle_of[position]
        if idle:
            pooled = idle.pop()
            pooled.recorder.intended = intended
            pooled.wake(True)
        elif len(self._all) < self.max_users:
            pooled = self._new_user(position)
            pooled.recorder.intended = intended
            task = asyncio.get_running_loop().create_task(self._live(pooled))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        else:
            self.collector.count_dropped()
            return
        self.collector.count_started()

    def _new_user(self, position: int) -> _PooledUser:
        recorder = IntendedStartRecorder(self.collector)
        user = self._factory.new_user(recorder, None if self._mix is None else position)
        pooled = _PooledUser(user, recorder, position)
        self._all.append(pooled)
        return pooled

    async def _live(self, pooled: _PooledUser) -> None:
        """A user's life: set up, then one iteration per start it is woken for.

        Between iterations the user parks on a future that `_launch` resolves,
        rather than each start being a task of its own (its creation, its
        done callback, the set that held it, two more coroutine frames):
        work on every start that a saturated open-model run pays for in
        requests (benchmarks/README.md, Open model).
        """
        user = pooled.user
        if not await user.begin():
            self._all.remove(pooled)
            return
        if self._mix is not None:
            self.collector.count_user(self._mix.scenarios[pooled.position].definition.name)
        loop = asyncio.get_running_loop()
        while True:
            await user.iterate()
            if user.stopping:
                return
            waiter: asyncio.Future[bool] = loop.create_future()
            pooled.waiter = waiter
            self._idle_of[pooled.position].append(pooled)
            if not await waiter:
                return

    async def stop_all(self) -> None:
        """Stop starting iterations, let running ones finish within the grace, tear down users.

        Starts that fell due before now (and before the planned end) while
        the loop was busy are made first, so a stop that comes late in a
        busy process does not lose them either.
        """
        if self._schedule is not None:
            if not self._schedule.done() and self._gap_rate > 0 and not self._paced.is_set():
                self._launch_due(time.monotonic())
            self._schedule.cancel()
        self._factory.close_gate()
        for pooled in self._all:
            pooled.user.stop()
        for idle in self._idle_of:
            for pooled in idle:
                pooled.wake(False)
        if self._running:
            await asyncio.wait(set(self._running), timeout=self.grace)
        self.cancel_all()
        teardowns = [
            asyncio.ensure_future(pooled.user.finish())
            for pooled in self._all
            if pooled.user.started
        ]
        if teardowns:
            _, late = await asyncio.wait(teardowns, timeout=self.grace)
            for task in late:
                task.cancel()
        self._all = []
        self._idle_of = [[] for _ in self._idle_of]

    def cancel_all(self) -> None:
        """Cancel every running iteration now."""
        if self._schedule is not None:
            self._schedule.cancel()
        for task in self._running:
            task.cancel()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._factory.aclose()
