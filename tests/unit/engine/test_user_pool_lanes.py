"""UserPool lanes: each scenario of a mix scaled to its own target, on users of its own."""

from __future__ import annotations

import asyncio

import pytest

from loadforge import current_user
from loadforge.dsl import ResolvedScenario, ScenarioDefinition, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.user_pool import UserPool
from loadforge.http import HttpClient
from loadforge.metrics.collector import MetricsCollector

URL = "http://127.0.0.1:1"
SEEN: dict[str, set[int]] = {}


@scenario(name="browse", base_url=URL, think_time=0.01)
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        SEEN.setdefault("browse", set()).add(current_user().index)


@scenario(name="admin", base_url=URL, think_time=0.01, weight=5)
class Admin:
    @task
    async def manage(self, client: HttpClient) -> None:
        SEEN.setdefault("admin", set()).add(current_user().index)


def definition(cls: type) -> ScenarioDefinition:
    found = scenario_of(cls)
    assert found is not None
    return found


MIX = ScenarioMix(tuple(ResolvedScenario(definition(each), URL, {}) for each in (Browse, Admin)))


def run_lanes(*steps: tuple[int, int]) -> list[int]:
    """Scale the lanes through `steps`, 50 ms each; the pool's users after each step."""
    SEEN.clear()

    async def main() -> list[int]:
        pool = UserPool(
            MIX.scenarios[0], collector=MetricsCollector(), max_connections=4, grace=1.0, mix=MIX
        )
        active = []
        for step in steps:
            pool.follow_lanes(step)
            await asyncio.sleep(0.05)
            active.append(pool.active)
        await pool.stop_all()
        await pool.aclose()
        return active

    return asyncio.run(main())


def test_each_lane_runs_its_own_count_of_its_own_scenario_whatever_the_weights() -> None:
    active = run_lanes((3, 1))

    assert active == [4]
    # Users take the next places in the run as they start: 0 … 3, each on its lane.
    assert len(SEEN["browse"]) == 3
    assert len(SEEN["admin"]) == 1
    assert SEEN["browse"] | SEEN["admin"] == {0, 1, 2, 3}


def test_a_lane_scales_down_on_its_own() -> None:
    active = run_lanes((3, 1), (1, 2))

    assert active == [4, 3]
    assert len(SEEN["admin"]) == 2
    assert len(SEEN["browse"]) == 3


def test_lanes_must_match_the_mix() -> None:
    async def main() -> None:
        pool = UserPool(MIX.scenarios[0], collector=MetricsCollector(), max_connections=4, grace=1)
        with pytest.raises(ValueError, match="do not match"):
            pool.follow_lanes((1, 1))
        await pool.aclose()

    asyncio.run(main())
