"""Users' places in the run: unique across workers, and 0 … N−1 for N users split evenly."""

from __future__ import annotations

import pytest

from loadforge.dsl import ResolvedScenario, ScenarioDefinition, scenario, task
from loadforge.engine.splitting import split_users
from loadforge.engine.user_factory import UserFactory
from loadforge.metrics.collector import MetricsCollector


@scenario(base_url="http://127.0.0.1:1", think_time=0)
class Numbered:
    @task
    async def work(self, client: object) -> None:
        """Nothing: only the users' numbering is looked at."""


def factory(worker_index: int, worker_count: int) -> UserFactory:
    definition: ScenarioDefinition = Numbered.__loadforge_scenario__  # type: ignore[attr-defined]
    resolved = ResolvedScenario(definition, "http://127.0.0.1:1", {})
    return UserFactory(
        resolved, max_connections=1, worker_index=worker_index, worker_count=worker_count
    )


def test_user_k_of_worker_w_of_three_has_index_k_times_three_plus_w() -> None:
    made = factory(1, 3)
    users = [made.new_user(MetricsCollector()) for _ in range(3)]

    assert [u.info.index for u in users] == [1, 4, 7]
    assert [u.info.index_in_worker for u in users] == [0, 1, 2]
    assert {(u.info.worker_index, u.info.worker_count) for u in users} == {(1, 3)}


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("total", [0, 1, 5, 6, 20, 101])
def test_n_users_split_evenly_are_numbered_exactly_0_to_n_minus_1(total: int, workers: int) -> None:
    indices: list[int] = []
    for worker, share in enumerate(split_users(total, workers)):
        made = factory(worker, workers)
        indices += [made.new_user(MetricsCollector()).info.index for _ in range(share)]

    assert sorted(indices) == list(range(total))


def test_a_user_started_after_others_gets_a_new_index_never_a_reused_one() -> None:
    made = factory(0, 2)
    first = [made.new_user(MetricsCollector()).info.index for _ in range(3)]
    later = made.new_user(MetricsCollector()).info.index

    assert first == [0, 2, 4]
    assert later == 6


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_a_ramp_that_only_rises_re_split_each_tick_still_numbers_0_to_n_minus_1(
    workers: int,
) -> None:
    """The coordinator re-splits the target every tick; each worker starts what its share gained."""
    factories = [factory(worker, workers) for worker in range(workers)]
    running = [0] * workers
    indices: list[int] = []
    for target in [1, 2, 2, 5, 7, 8, 13, 20]:  # a ramp, then a step up
        for worker, share in enumerate(split_users(target, workers)):
            assert share >= running[worker], "a rising target never takes a user from a worker"
            for _ in range(share - running[worker]):
                indices.append(factories[worker].new_user(MetricsCollector()).info.index)
            running[worker] = share

    assert sorted(indices) == list(range(20))
