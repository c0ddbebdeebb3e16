"""MixedDriver: scenarios on users beside scenarios on arrival rates, in one process."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from loadforge.dsl import ResolvedScenario, ScenarioDefinition, current_user, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.drivers import DriverSettings, build_driver
from loadforge.engine.mixed_driver import MixedDriver
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector

URL = "http://127.0.0.1:1"
RAN: Counter[str] = Counter()
INDICES: dict[str, set[int]] = {}


@scenario(name="browse", base_url=URL, think_time=0)
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        RAN["browse"] += 1
        INDICES.setdefault("browse", set()).add(current_user().index)
        await asyncio.sleep(0.02)


@scenario(name="buy", base_url=URL, think_time=0)
class Buy:
    @task
    async def pay(self, client: HttpClient) -> None:
        RAN["buy"] += 1
        INDICES.setdefault("buy", set()).add(current_user().index)
        await asyncio.sleep(0.01)


def definition(cls: type) -> ScenarioDefinition:
    found = scenario_of(cls)
    assert found is not None
    return found


MIX = ScenarioMix(tuple(ResolvedScenario(definition(each), URL, {}) for each in (Browse, Buy)))


def settings(worker_index: int = 0, workers: int = 1) -> DriverSettings:
    return DriverSettings(
        open_model=True,
        max_users=20,
        max_connections=20,
        grace=5.0,
        worker_index=worker_index,
        worker_count=workers,
        mix=MIX,
        lane_rates=(False, True),
    )


def run_mixed(lanes: list[tuple[float, float]], end: float) -> tuple[MetricsCollector, list[int]]:
    """One driver per entry of `lanes` (a worker each), planned to end `end` seconds in.

    Returns the shared collector and each driver's (peak busy, target) read mid-run.
    """
    RAN.clear()
    INDICES.clear()

    async def main() -> tuple[MetricsCollector, list[int]]:
        collector = MetricsCollector()
        drivers = [
            build_driver(MIX.scenarios[0], collector, settings(index, len(lanes)))
            for index in range(len(lanes))
        ]
        zero = time.monotonic()
        for index, (driver, values) in enumerate(zip(drivers, lanes, strict=True)):
            driver.plan(zero, zero + end)
            driver.follow_lanes(values, phase=index / len(lanes))
        await asyncio.sleep(end / 2)
        seen = [driver.target for driver in drivers]
        await asyncio.sleep(end / 2 + 0.1)
        for driver in drivers:
            await driver.stop_all()
            await driver.aclose()
        return collector, seen

    return asyncio.run(main())


def test_the_settings_of_a_mixed_run_build_a_mixed_driver() -> None:
    async def main() -> None:
        driver = build_driver(MIX.scenarios[0], MetricsCollector(), settings())
        assert isinstance(driver, MixedDriver)
        with pytest.raises(ValueError, match="do not match"):
            driver.follow_lanes([1.0])
        with pytest.raises(ValueError, match="follows its lanes"):
            driver.follow(1.0)
        await driver.aclose()

    asyncio.run(main())


def test_users_run_beside_a_rate_that_starts_exactly_rate_times_duration() -> None:
    # Two browse users loop for the whole run while buy starts 25/s for 0.4 s: exactly 10.
    collector, targets = run_mixed([(2.0, 25.0)], end=0.4)

    assert RAN["buy"] == 10
    assert RAN["browse"] >= 2 * 5  # each browse user loops on its own, 20 ms an iteration
    interval = collector.take_interval()
    assert interval.started_iterations == 10
    assert interval.dropped_iterations == 0
    # The rate's users are counted as they are set up; the users lane's are its target.
    assert interval.users_by_scenario == {"buy": len(INDICES["buy"])}
    assert targets == [2 + 20]
    assert len(INDICES["browse"]) == 2


def test_both_pools_number_their_users_from_one_sequence() -> None:
    collector, _ = run_mixed([(2.0, 25.0), (1.0, 25.0)], end=0.4)

    browse, buy = INDICES["browse"], INDICES["buy"]
    assert browse.isdisjoint(buy)
    # Worker w of 2 gives its users the indices w, w+2, w+4 …: together a run without gaps.
    assert sorted(browse | buy) == list(range(len(browse | buy)))
    assert RAN["buy"] == 20
    assert collector.take_interval().started_iterations == 20


def test_a_lane_scaled_to_zero_retires_its_users_and_the_rate_goes_on() -> None:
    RAN.clear()
    INDICES.clear()

    async def main() -> tuple[int, int]:
        driver = build_driver(MIX.scenarios[0], MetricsCollector(), settings())
        zero = time.monotonic()
        driver.plan(zero, zero + 0.4)
        driver.follow_lanes((3.0, 10.0))
        await asyncio.sleep(0.05)
        busy = driver.active
        driver.follow_lanes((0.0, 10.0))
        await asyncio.sleep(0.05)
        after = driver.active
        await asyncio.sleep(0.4)
        await driver.stop_all()
        await driver.aclose()
        return busy, after

    busy, after = asyncio.run(main())

    assert busy >= 3
    assert after <= 1  # at most one buy iteration in flight
    assert RAN["buy"] == 4
