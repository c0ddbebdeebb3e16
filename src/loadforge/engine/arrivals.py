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
When the scenarios follow arrival rates of their own (`pace_lanes`), each
has a start schedule of its own (`StartSchedule`) instead of a share of one.

Each request is also timed from its iteration's intended start (as wrk2
does), so a stalled target shows in `latency_corrected_*` even though the
requests themselves were fast once sent: coordinated omission corrected.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Sequence

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.start_schedule import StartSchedule
from loadforge.engine.user import VirtualUser
from loadforge.engine.user_factory import UserFactory
from loadforge.metrics.collector import MetricsCollector

log = logging.getLogger(__name__)


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
        factory: UserFactory | None = None,
    ) -> None:
        """`factory`, when given, makes its users (a `MixedDriver` shares one between pools)."""
        self.scenario = scenario
        self.collector = collector
        self.grace = grace
        self.max_users = max_users
        # One schedule for the whole rate; one per scenario when they follow
        # rates of their own (`pace_lanes`), made on the first such pace.
        self._schedule = StartSchedule(self._launch)
        self._lanes: list[StartSchedule] = []
        self._plan: tuple[float, float] | None = None
        self._mix = mix
        self._worker_index, self._worker_count = worker_index, worker_count
        self._starts = 0  # starts made here, which number them in the run
        # Idle users, a list per scenario of the mix (one without a mix).
        self._idle_of: list[list[_PooledUser]] = [
            [] for _ in (mix.scenarios if mix is not None else (scenario,))
        ]
        self._all: list[_PooledUser] = []
        # Users busy now, counted as starts take them and they park again,
        # and the most at once since `peak_active` last read it.
        self._busy = self._peak = 0
        self._running: set[asyncio.Task[None]] = set()
        self._factory = factory or UserFactory(
            scenario,
            max_connections=max_connections,
            rps=rps,
            seed=seed,
            worker_index=worker_index,
            worker_count=worker_count,
            mix=mix,
        )

    @property
    def active(self) -> int:
        """Users busy with an iteration (or their setup)."""
        return len(self._all) - sum(len(idle) for idle in self._idle_of)

    @property
    def target(self) -> int:
        """The pool's bound."""
        return self.max_users

    def peak_active(self) -> int:
        """The most users busy at once since the last call, counted at every start.

        Users busy at the moment an interval ends can be none even when
        every start of the interval found one busy: this counts each start
        as it takes a user, so short iterations show too.
        """
        now = self.active
        peak = max(self._peak, now)
        self._busy = self._peak = now
        return peak

    def pace(self, rate: float, max_users: int | None = None, *, phase: float = 0.0) -> None:
        """Start `rate` iterations per second from now on (this process's share).

        Any rate > 0 works, 0.25/s included (a start every 4 s). `phase`
        delays the first start by that fraction of a gap; later changes of
        rate keep the schedule going from the last start.
        """
        if max_users is not None:
            self.max_users = max_users
        self._schedule.pace(rate, phase=phase)

    def pace_lanes(
        self, rates: Sequence[float], max_users: int | None = None, *, phase: float = 0.0
    ) -> None:
        """Start each scenario's own rate (this process's share), in the mix's order.

        Each scenario has a schedule of its own, as `pace` has for the whole
        rate, and its starts run on its own users; the pool's bound is
        shared by all of them.
        """
        if self._mix is None or len(rates) != len(self._mix.scenarios):
            raise ValueError(f"lanes {list(rates)} do not match the run's scenarios")
        if max_users is not None:
            self.max_users = max_users
        if not self._lanes:
            for position in range(len(rates)):
                lane = StartSchedule(functools.partial(self._start, position))
                if self._plan is not None:
                    lane.plan(*self._plan)
                self._lanes.append(lane)
        for lane, rate in zip(self._lanes, rates, strict=True):
            lane.pace(rate, phase=phase)

    def plan(self, start: float, end: float) -> None:
        """The run's time zero and planned end: starts fall at zero + k/rate, strictly before end.

        A rate R for D seconds then starts exactly R×D iterations (k6 does the
        same), however late the stop reaches the pool.
        """
        self._plan = (start, end)
        for schedule in (self._schedule, *self._lanes):
            schedule.plan(start, end)

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """Follow a pattern's value, iterations per second (see `LoadDriver.follow`)."""
        self.pace(value, max_users, phase=phase)

    def follow_lanes(
        self, values: Sequence[float], *, max_users: int | None = None, phase: float = 0.0
    ) -> None:
        """Follow each scenario's own rate (see `LoadDriver.follow_lanes`)."""
        self.pace_lanes(values, max_users, phase=phase)

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps`."""
        self._factory.set_rate(rps)

    def _launch(self, intended: float) -> None:
        """One start of the whole rate, on the scenario its run-wide number picks."""
        position = 0
        if self._mix is not None:
            number = self._starts * self._worker_count + self._worker_index
            position = self._mix.position_of_start(number)
        self._starts += 1
        self._start(position, intended)

    def _start(self, position: int, intended: float) -> None:
        """One start of the scenario at `position`: on an idle user of it, a new one, or dropped."""
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
        busy = self._busy + 1
        self._busy = busy
        if busy > self._peak:
            self._peak = busy
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
            self._busy -= 1
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
            self._busy -= 1
            self._idle_of[pooled.position].append(pooled)
            if not await waiter:
                return

    async def stop_all(self) -> None:
        """Stop starting iterations, let running ones finish within the grace, tear down users.

        Starts that fell due before now (and before the planned end) while
        the loop was busy are made first, so a stop that comes late in a
        busy process does not lose them either.
        """
        for schedule in (self._schedule, *self._lanes):
            schedule.finish()
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
        for schedule in (self._schedule, *self._lanes):
            schedule.cancel()
        for task in self._running:
            task.cancel()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._factory.aclose()
