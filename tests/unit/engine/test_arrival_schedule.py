"""ArrivalPool starts iterations on an exact schedule, at any rate above 0."""

from __future__ import annotations

import asyncio
import time

import pytest

from loadforge import eventloop
from loadforge.dsl import ScenarioDefinition, resolve_scenario, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.engine.arrivals import ArrivalPool
from loadforge.engine.start_schedule import StartSchedule
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector


@scenario(name="noop", base_url="http://127.0.0.1:1", think_time=0)
class Noop:
    @task
    async def nothing(self, client: HttpClient) -> None:
        return None


def definition() -> ScenarioDefinition:
    found = scenario_of(Noop)
    assert found is not None
    return found


def starts_over(seconds: float, *, rate: float, phase: float = 0.0) -> list[float]:
    """Intended start times (from the first pace) the pool makes in `seconds`."""
    origin, starts = schedule(seconds, rate=rate, phase=phase)
    return [start - origin for start in starts]


def recording_pool() -> tuple[ArrivalPool, list[float]]:
    """A pool that, instead of starting iterations, records their intended start times."""
    pool = ArrivalPool(
        resolve_scenario(definition(), {}),
        collector=MetricsCollector(),
        max_users=10,
        max_connections=10,
        grace=0.1,
    )
    starts: list[float] = []
    pool._schedule = StartSchedule(starts.append)
    return pool, starts


def schedule(seconds: float, *, rate: float, phase: float = 0.0) -> tuple[float, list[float]]:
    """The pool's origin and the intended start times it makes in `seconds`."""

    async def main() -> tuple[float, list[float]]:
        pool, starts = recording_pool()
        pool.pace(rate, phase=phase)
        origin = pool._schedule.origin
        await asyncio.sleep(seconds)
        pool.cancel_all()
        await pool.aclose()
        return origin, starts

    return asyncio.run(main())


def test_one_iteration_starts_every_gap_from_the_first_pace() -> None:
    starts = starts_over(0.45, rate=5.0)

    assert starts == pytest.approx([0.0, 0.2, 0.4])


def test_a_phase_delays_the_first_start_by_that_part_of_a_gap() -> None:
    starts = starts_over(0.45, rate=4.0, phase=0.5)

    assert starts == pytest.approx([0.125, 0.375])


def test_fractional_rates_are_not_rounded() -> None:
    starts = starts_over(0.3, rate=12.5)

    assert starts == pytest.approx([0.0, 0.08, 0.16, 0.24])


def test_starts_are_computed_from_the_anchor_so_they_do_not_drift() -> None:
    origin, starts = schedule(0.5, rate=300.0)

    assert len(starts) == pytest.approx(150, abs=3)
    assert starts == [origin + index / 300.0 for index in range(len(starts))]


def test_a_rate_below_one_per_second_waits_a_whole_gap() -> None:
    assert starts_over(0.3, rate=0.5) == [0.0]
    assert starts_over(0.3, rate=0.5, phase=0.5) == []


def test_a_high_rate_does_not_spin_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # On uvloop a sleep under half a millisecond returns at once; sleeping
    # until each of 5,000 starts a second spun a whole core. Starts due
    # within the launch window are made together instead, so the schedule
    # wakes about once per millisecond of the loop's timer, not once per start.
    sleeps = 0
    real_sleep = asyncio.sleep

    async def counted_sleep(seconds: float) -> None:
        nonlocal sleeps
        sleeps += 1
        await real_sleep(seconds)

    async def main() -> int:
        pool, starts = recording_pool()
        monkeypatch.setattr(asyncio, "sleep", counted_sleep)
        pool.pace(5_000.0)
        await real_sleep(0.3)
        monkeypatch.setattr(asyncio, "sleep", real_sleep)
        pool.cancel_all()
        await pool.aclose()
        return len(starts)

    starts = eventloop.run(main())

    assert starts >= 1_400  # the rate is kept: 5,000/s for 0.3 s
    assert sleeps < starts / 3


def planned_starts(seconds: float, run: float, *, rate: float, phase: float = 0.0) -> list[float]:
    """Intended starts (from the run's zero) of a pool told the run lasts `run` seconds."""

    async def main() -> list[float]:
        pool, starts = recording_pool()
        zero = time.monotonic()
        pool.plan(zero, zero + run)
        pool.pace(rate, phase=phase)
        await asyncio.sleep(seconds)
        pool.cancel_all()
        await pool.aclose()
        return [start - zero for start in starts]

    return asyncio.run(main())


def test_rate_r_for_d_seconds_starts_exactly_r_times_d_iterations() -> None:
    # Running on past the planned end (a late stop) starts nothing more.
    starts = planned_starts(0.7, 0.5, rate=10.0)

    assert starts == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_split_over_two_workers_the_starts_still_add_up_to_r_times_d() -> None:
    # -w 2 at 10/s: 5/s each, the second half a gap later (the coordinator's phases).
    first = planned_starts(0.7, 0.5, rate=5.0, phase=0.0)
    second = planned_starts(0.7, 0.5, rate=5.0, phase=0.5)

    assert sorted(first + second) == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_an_odd_total_splits_without_an_extra_start() -> None:
    first = planned_starts(0.5, 0.3, rate=5.0, phase=0.0)
    second = planned_starts(0.5, 0.3, rate=5.0, phase=0.5)

    assert len(first) + len(second) == 3
