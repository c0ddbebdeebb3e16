"""ArrivalPool's users: set up once, reused start after start, stopped and torn down once."""

from __future__ import annotations

import asyncio
import time
from typing import NamedTuple

from loadforge.dsl import ScenarioDefinition, resolve_scenario, scenario, setup, task, teardown
from loadforge.dsl.decorators import scenario_of
from loadforge.engine.arrivals import ArrivalPool
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector

LIFE: dict[str, int] = {}


@scenario(name="counted", base_url="http://127.0.0.1:1", think_time=0)
class Counted:
    @setup
    async def begin(self, client: HttpClient) -> None:
        LIFE["setups"] = LIFE.get("setups", 0) + 1

    @task
    async def work(self, client: HttpClient) -> None:
        LIFE["iterations"] = LIFE.get("iterations", 0) + 1
        await asyncio.sleep(0.02)

    @teardown
    async def end(self, client: HttpClient) -> None:
        LIFE["teardowns"] = LIFE.get("teardowns", 0) + 1


def definition() -> ScenarioDefinition:
    found = scenario_of(Counted)
    assert found is not None
    return found


class Outcome(NamedTuple):
    collector: MetricsCollector
    paced_for: float  # seconds from the first start to the stop
    stopped_in: float  # seconds stop_all took
    active: int  # users still busy after stop_all


def run_pool(rate: float, seconds: float, max_users: int) -> Outcome:
    """Pace the pool for about `seconds`, stop it, and say what happened."""
    LIFE.clear()

    async def main() -> Outcome:
        collector = MetricsCollector()
        pool = ArrivalPool(
            resolve_scenario(definition(), {}),
            collector=collector,
            max_users=max_users,
            max_connections=max_users,
            grace=5.0,
        )
        pool.pace(rate)
        await asyncio.sleep(seconds)
        stopping = time.monotonic()
        await pool.stop_all()
        outcome = Outcome(
            collector, stopping - pool._schedule.origin, time.monotonic() - stopping, pool.active
        )
        await pool.aclose()
        return outcome

    return asyncio.run(main())


def test_users_are_set_up_once_and_reused_for_every_start() -> None:
    # A pool of 32 leaves room for a loop slowed by a busy machine, where an
    # iteration's 20 ms sleep takes longer and more users are busy at once.
    outcome = run_pool(rate=200.0, seconds=0.5, max_users=32)

    # 200 starts/s of 20 ms iterations need about 4 users at a time, far
    # fewer than the starts; every start made before the stop ran to its end.
    starts = int(outcome.paced_for * 200.0) + 1
    assert starts - 3 <= LIFE["iterations"] <= starts + 1
    assert 4 <= LIFE["setups"] <= LIFE["iterations"] // 3
    assert LIFE["teardowns"] == LIFE["setups"]
    assert outcome.collector.take_interval().dropped_iterations == 0
    assert outcome.active == 0


def test_stopping_wakes_parked_users_at_once_and_lets_busy_ones_finish() -> None:
    # 20 starts/s of 20 ms iterations: most users are parked when the stop comes.
    outcome = run_pool(rate=20.0, seconds=0.3, max_users=4)

    assert outcome.stopped_in < 0.5  # far under the 5 s grace: parked users did not wait for it
    assert LIFE["teardowns"] == LIFE["setups"] >= 1


def test_starts_beyond_the_pool_are_counted_as_dropped() -> None:
    outcome = run_pool(rate=400.0, seconds=0.3, max_users=2)

    # Two users finish at most 2 / 0.02 s = 100 iterations/s of the 400 started.
    dropped = outcome.collector.take_interval().dropped_iterations
    assert LIFE["setups"] == 2
    assert dropped >= 60
    assert LIFE["iterations"] + dropped >= 100


def test_every_start_made_is_counted_as_started() -> None:
    outcome = run_pool(rate=400.0, seconds=0.3, max_users=2)

    interval = outcome.collector.take_interval()
    # A start is made (on an idle or a new user) or dropped; the task of
    # each start made runs to its end before stop_all returns.
    assert interval.started_iterations == LIFE["iterations"]
    assert interval.started_iterations + interval.dropped_iterations >= 100
    assert outcome.collector.take_interval().started_iterations == 0
