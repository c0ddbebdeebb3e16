"""RunFacts.shares: each scenario's users, shared by weight (closed) or as set up (open)."""

from __future__ import annotations

from loadforge.dsl import ResolvedScenario, ScenarioDefinition, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.run_result import RunFacts
from loadforge.http import HttpClient

URL = "http://127.0.0.1:1"


@scenario(name="browse", base_url=URL, weight=3)
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/")


@scenario(name="buy", base_url=URL, weight=1)
class Buy:
    @task
    async def pay(self, client: HttpClient) -> None:
        await client.get("/")


def definition(cls: type) -> ScenarioDefinition:
    found = scenario_of(cls)
    assert found is not None
    return found


MIX = ScenarioMix(tuple(ResolvedScenario(definition(each), URL, {}) for each in (Browse, Buy)))


def facts(*, open_model: bool) -> RunFacts:
    return RunFacts("browse + buy", "constant", {}, mix=MIX, open_model=open_model)


def test_the_closed_model_shares_its_peak_users_by_weight() -> None:
    shares = facts(open_model=False).shares(8, {"browse": 1})

    assert [(each.name, each.weight, each.users) for each in shares] == [
        ("browse", 3, 6),
        ("buy", 1, 2),
    ]


def test_the_open_model_reports_the_users_each_scenario_set_up() -> None:
    shares = facts(open_model=True).shares(0, {"browse": 2})

    assert [(each.name, each.users) for each in shares] == [("browse", 2), ("buy", 0)]


def test_one_scenario_has_no_shares() -> None:
    assert RunFacts("browse", "constant", {}).shares(5) == ()


def test_a_mixed_run_takes_each_scenarios_users_from_its_own_model() -> None:
    # browse follows users (its pattern's most, 4), buy a rate (the users its starts set up).
    mixed = RunFacts(
        "browse + buy",
        "mixed",
        {},
        mix=MIX,
        open_model=True,
        lane_peaks=(4, 0),
        lane_rates=(False, True),
    )

    shares = mixed.shares(0, {"buy": 3})

    assert [(each.name, each.users) for each in shares] == [("browse", 4), ("buy", 3)]
