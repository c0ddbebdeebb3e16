"""Several scenarios in one run: which scenario each user runs, from its run-wide index."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from loadforge.dsl import ResolvedScenario, ScenarioDefinition, scenario, task
from loadforge.dsl.loader import select_scenarios
from loadforge.dsl.mix import ScenarioMix, interleave
from loadforge.engine.splitting import split_users
from loadforge.engine.user_factory import UserFactory
from loadforge.errors import ScenarioError
from loadforge.metrics.collector import MetricsCollector

URL = "http://127.0.0.1:1"


def declare(name: str, **share: object) -> ScenarioDefinition:
    """A one-task scenario called `name` with `weight=` or `users=` as given."""

    @scenario(name, base_url=URL, think_time=0, **share)  # type: ignore[arg-type]
    class Declared:
        @task
        async def work(self, client: object) -> None:
            """Nothing: only which scenario a user runs is looked at."""

    definition: ScenarioDefinition = Declared.__loadforge_scenario__  # type: ignore[attr-defined]
    return definition


def mix(*definitions: ScenarioDefinition) -> ScenarioMix:
    return ScenarioMix(tuple(ResolvedScenario(each, URL, {}) for each in definitions))


def picks(chosen: ScenarioMix, users: int) -> Counter[str]:
    return Counter(chosen.scenario_for(index).definition.name for index in range(users))


@pytest.mark.parametrize("weights", [[1], [1, 1], [3, 1], [2, 5, 1], [7, 0, 3], [10, 1, 1, 1]])
def test_interleave_gives_each_weight_its_share_within_one_pick_at_every_prefix(
    weights: list[int],
) -> None:
    order = interleave(weights)
    period = sum(weights)

    assert Counter(order) == {i: w for i, w in enumerate(weights) if w}
    for prefix in range(1, period + 1):
        counts = Counter(order[:prefix])
        for i, weight in enumerate(weights):
            assert abs(counts[i] - prefix * weight / period) < 1


def test_weights_3_to_1_share_a_multiple_of_4_users_exactly() -> None:
    chosen = mix(declare("Browse", weight=3), declare("Buy", weight=1))

    assert picks(chosen, 8) == {"Browse": 6, "Buy": 2}
    assert picks(chosen, 400) == {"Browse": 300, "Buy": 100}
    assert chosen.users_of(8) == {"Browse": 6, "Buy": 2}


def test_weights_with_a_common_divisor_interleave_as_their_reduced_form() -> None:
    chosen = mix(declare("A", weight=30), declare("B", weight=10))

    assert [chosen.scenario_for(i).definition.name for i in range(4)] == ["A", "A", "B", "A"]


def test_fixed_counts_take_the_first_indices_and_weights_the_rest() -> None:
    chosen = mix(declare("Browse", weight=1), declare("Admin", users=2), declare("Buy", weight=1))

    assert [chosen.scenario_for(i).definition.name for i in range(2)] == ["Admin", "Admin"]
    assert picks(chosen, 12) == {"Admin": 2, "Browse": 5, "Buy": 5}
    assert chosen.users_of(12) == {"Browse": 5, "Admin": 2, "Buy": 5}


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
@pytest.mark.parametrize("total", [4, 9, 12, 40])
def test_users_started_by_any_number_of_workers_hold_the_same_exact_shares(
    workers: int, total: int
) -> None:
    definitions = (declare("Admin", users=1), declare("Browse", weight=3), declare("Buy"))
    chosen = mix(*definitions)
    names: Counter[str] = Counter()
    for worker, share in enumerate(split_users(total, workers)):
        factory = UserFactory(
            chosen.scenarios[0],
            max_connections=1,
            worker_index=worker,
            worker_count=workers,
            mix=chosen,
        )
        for _ in range(share):
            user = factory.new_user(MetricsCollector())
            names[chosen.scenario_for(user.info.index).definition.name] += 1

    assert names == picks(chosen, total)
    if (total - 1) % 4 == 0:
        weighted = (total - 1) // 4
        assert names == {"Admin": 1, "Browse": 3 * weighted, "Buy": weighted}


def test_weights_that_add_up_to_0_are_refused() -> None:
    with pytest.raises(ScenarioError, match=r"weights of 'A', 'B' add up to 0"):
        mix(declare("A", weight=0), declare("B", weight=0))


def test_fixed_counts_over_the_runs_peak_users_are_refused() -> None:
    chosen = mix(declare("Admin", users=5), declare("Browse"))

    with pytest.raises(ScenarioError, match=r"add up to 5, more than the 3 users"):
        chosen.check_users(3)
    chosen.check_users(5)


def test_a_run_of_only_fixed_counts_must_ask_for_exactly_their_users() -> None:
    chosen = mix(declare("A", users=2), declare("B", users=1))

    with pytest.raises(ScenarioError, match=r"asks for 10 users.*add up to 3; give -u 3"):
        chosen.check_users(10)
    chosen.check_users(3)
    assert chosen.users_of(10) == {"A": 2, "B": 1}


@pytest.mark.parametrize(
    ("share", "message"),
    [
        ({"weight": -1}, r"weight=-1, but a scenario's weight must be a whole number of 0"),
        ({"weight": 1.5}, r"weight=1.5"),
        ({"users": 0}, r"users=0, but a scenario's fixed count"),
        ({"users": 2, "weight": 3}, r"both users=2 and weight=3"),
    ],
)
def test_bad_shares_are_refused_where_the_scenario_is_declared(
    share: dict[str, object], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        declare("Bad", **share)


def test_scenarios_that_disagree_on_verify_are_refused() -> None:
    plain = declare("A")
    other = dataclasses.replace(declare("B"), verify=False)

    with pytest.raises(ScenarioError, match="disagree on verify="):
        mix(plain, other)


def test_select_scenarios_takes_all_or_the_names_given_in_the_files_order() -> None:
    a, b, c = declare("A"), declare("B"), declare("C")
    where = Path("shop.py")

    assert select_scenarios([a, b, c], ["all"], where) == [a, b, c]
    assert select_scenarios([a, b, c], ["C", "A", "C"], where) == [a, c]
    with pytest.raises(ScenarioError, match="no scenario named 'D'"):
        select_scenarios([a, b, c], ["A", "D"], where)
