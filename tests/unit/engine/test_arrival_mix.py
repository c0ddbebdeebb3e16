"""ArrivalPool in a run of several scenarios: each start runs the scenario its number picks."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from loadforge.dsl import ResolvedScenario, ScenarioDefinition, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.arrivals import ArrivalPool
from loadforge.errors import ScenarioError
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector

URL = "http://127.0.0.1:1"
RAN: Counter[str] = Counter()
USERS: dict[str, set[int]] = {}


@scenario(name="browse", base_url=URL, think_time=0, weight=3)
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        RAN["browse"] += 1
        USERS.setdefault("browse", set()).add(id(client))
        await asyncio.sleep(0.01)


@scenario(name="buy", base_url=URL, think_time=0, weight=1)
class Buy:
    @task
    async def pay(self, client: HttpClient) -> None:
        RAN["buy"] += 1
        USERS.setdefault("buy", set()).add(id(client))
        await asyncio.sleep(0.01)


@scenario(name="admin", base_url=URL, think_time=0, users=1)
class Admin:
    @task
    async def manage(self, client: HttpClient) -> None:
        RAN["admin"] += 1


def definition(cls: type) -> ScenarioDefinition:
    found = scenario_of(cls)
    assert found is not None
    return found


def mix_of(*classes: type) -> ScenarioMix:
    return ScenarioMix(tuple(ResolvedScenario(definition(each), URL, {}) for each in classes))


def run_mix(
    mix: ScenarioMix,
    rate: float,
    end: float,
    *,
    max_users: int = 50,
    workers: int = 1,
    lanes: tuple[float, ...] = (),
) -> MetricsCollector:
    """`workers` pools, each with its share of `rate`, planned to end `end` seconds in.

    With `lanes`, each scenario follows a rate of its own instead (`rate` unused).
    """
    RAN.clear()
    USERS.clear()

    async def main() -> MetricsCollector:
        collector = MetricsCollector()
        pools = [
            ArrivalPool(
                mix.scenarios[0],
                collector=collector,
                max_users=max_users,
                max_connections=max_users,
                grace=5.0,
                worker_index=index,
                worker_count=workers,
                mix=mix,
            )
            for index in range(workers)
        ]
        zero = time.monotonic()
        for index, pool in enumerate(pools):
            pool.plan(zero, zero + end)
            if lanes:
                pool.follow_lanes([each / workers for each in lanes], phase=index / workers)
            else:
                pool.pace(rate / workers, phase=index / workers)
        await asyncio.sleep(end + 0.1)
        for pool in pools:
            await pool.stop_all()
            await pool.aclose()
        return collector

    return asyncio.run(main())


def test_starts_are_shared_by_weight_exactly() -> None:
    # 100 starts/s for 0.4 s is exactly 40 starts: 30 browse, 10 buy.
    run_mix(mix_of(Browse, Buy), rate=100.0, end=0.4)

    assert Counter(browse=30, buy=10) == RAN


def test_each_start_runs_on_a_user_of_its_own_scenario() -> None:
    run_mix(mix_of(Browse, Buy), rate=100.0, end=0.4)

    # Users are reused within a scenario and never cross to the other.
    assert USERS["browse"].isdisjoint(USERS["buy"])
    assert len(USERS["browse"]) < RAN["browse"]


def test_workers_together_keep_the_shares() -> None:
    # Two workers at 50/s each, half a gap apart: starts 0, 1, 2 … alternate
    # between them, and the run-wide numbering keeps the 3 : 1 split.
    run_mix(mix_of(Browse, Buy), rate=100.0, end=0.4, workers=2)

    assert Counter(browse=30, buy=10) == RAN


def test_fixed_counts_take_no_share_of_starts() -> None:
    run_mix(mix_of(Admin, Browse, Buy), rate=100.0, end=0.4)

    assert Counter(browse=30, buy=10) == RAN


def test_a_mix_of_fixed_counts_only_cannot_share_a_rate() -> None:
    with pytest.raises(ScenarioError, match="weight="):
        mix_of(Admin).position_of_start(0)


def test_a_start_with_no_idle_user_of_its_scenario_is_dropped_when_the_pool_is_full() -> None:
    # One user in all: the first start makes a browse user; every later start
    # falls while it is busy or belongs to buy, which has no user to run on.
    collector = run_mix(mix_of(Browse, Buy), rate=100.0, end=0.2, max_users=1)

    assert RAN["buy"] == 0
    interval = collector.take_interval()
    assert RAN["browse"] == interval.started_iterations
    assert interval.started_iterations + interval.dropped_iterations == 20


def test_each_scenario_counts_the_users_its_starts_set_up() -> None:
    collector = run_mix(mix_of(Browse, Buy), rate=100.0, end=0.4)

    # The users the collector counted are the users that ran each scenario.
    set_up = collector.take_interval().users_by_scenario
    assert set_up == {"browse": len(USERS["browse"]), "buy": len(USERS["buy"])}


def test_scenarios_on_rates_of_their_own_start_exactly_rate_times_duration_each() -> None:
    # 30/s and 20/s for 0.4 s: 12 and 8 starts, whatever the weights (3 : 1).
    collector = run_mix(mix_of(Browse, Buy), 0.0, end=0.4, lanes=(30.0, 20.0))

    assert Counter(browse=12, buy=8) == RAN
    assert collector.take_interval().started_iterations == 20
    assert USERS["browse"].isdisjoint(USERS["buy"])


def test_workers_together_keep_each_scenarios_own_rate() -> None:
    run_mix(mix_of(Browse, Buy), 0.0, end=0.4, workers=2, lanes=(30.0, 20.0))

    assert Counter(browse=12, buy=8) == RAN


def test_lanes_must_match_the_mix() -> None:
    async def main() -> None:
        pool = ArrivalPool(
            mix_of(Browse, Buy).scenarios[0],
            collector=MetricsCollector(),
            max_users=5,
            max_connections=5,
            grace=1.0,
        )
        with pytest.raises(ValueError, match="do not match"):
            pool.pace_lanes([1.0, 1.0])
        await pool.aclose()

    asyncio.run(main())


def test_the_users_busy_at_the_most_count_at_every_start() -> None:
    async def main() -> tuple[int, int, int]:
        pool = ArrivalPool(
            mix_of(Browse, Buy).scenarios[0],
            collector=MetricsCollector(),
            max_users=50,
            max_connections=50,
            grace=1.0,
            mix=mix_of(Browse, Buy),
        )
        zero = time.monotonic()
        pool.plan(zero, zero + 0.2)
        pool.pace(200.0)
        await asyncio.sleep(0.3)
        # Every iteration (10 ms, a start every 5 ms) ended: none is busy now.
        idle_now = pool.active
        peak, after = pool.peak_active(), pool.peak_active()
        await pool.stop_all()
        await pool.aclose()
        return idle_now, peak, after

    idle_now, peak, after = asyncio.run(main())

    assert idle_now == 0
    assert peak >= 2
    assert after == 0
