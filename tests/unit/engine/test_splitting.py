"""Splitting users and rates among workers is even, exact and stable."""

from __future__ import annotations

import pytest

from loadforge.engine.splitting import (
    assign,
    split_lanes,
    split_paced_lanes,
    split_rate,
    split_users,
)


@pytest.mark.parametrize(
    ("total", "workers", "expected"),
    [
        (500, 4, [125, 125, 125, 125]),
        (10, 4, [3, 3, 2, 2]),
        (3, 4, [1, 1, 1, 0]),
        (0, 3, [0, 0, 0]),
        (7, 1, [7]),
    ],
)
def test_users_split_evenly_with_the_remainder_to_the_lowest(
    total: int, workers: int, expected: list[int]
) -> None:
    assert split_users(total, workers) == expected
    assert sum(split_users(total, workers)) == total


def test_rate_shares_add_up_to_the_total() -> None:
    shares = split_rate(1000.0, 3)

    assert len(shares) == 3
    assert sum(shares) == pytest.approx(1000.0)
    assert len(set(shares)) == 1


@pytest.mark.parametrize("workers", [0, -1])
def test_no_workers_is_refused(workers: int) -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        split_users(5, workers)
    with pytest.raises(ValueError, match="at least one worker"):
        split_rate(5.0, workers)


def test_negative_users_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        split_users(-1, 2)


def test_shares_go_to_live_workers_lowest_id_first() -> None:
    # Worker 1 was lost: the remainder goes to worker 0, then 2.
    assert assign(split_users(5, 2), [2, 0]) == {0: 3, 2: 2}


@pytest.mark.parametrize(
    ("targets", "workers", "expected"),
    [
        ([3, 1], 2, [(2, 0), (1, 1)]),
        ([1, 1, 1], 3, [(1, 0, 0), (0, 1, 0), (0, 0, 1)]),
        ([5, 0, 2], 2, [(3, 0, 1), (2, 0, 1)]),
        ([0, 0], 1, [(0, 0)]),
    ],
)
def test_lanes_split_each_from_a_worker_of_its_own(
    targets: list[int], workers: int, expected: list[tuple[int, ...]]
) -> None:
    shares = split_lanes(targets, workers)

    assert shares == expected
    assert [sum(lane) for lane in zip(*shares, strict=True)] == targets


def test_a_lanes_shares_depend_on_its_own_target_alone() -> None:
    # Browse ramps 2 → 3 users; Admin's one user stays where it was.
    before, after = split_lanes([2, 1], 2), split_lanes([3, 1], 2)

    assert [each[1] for each in before] == [each[1] for each in after] == [0, 1]


def test_lanes_need_a_worker_and_counts_of_zero_or_more() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        split_lanes([1], 0)
    with pytest.raises(ValueError, match=">= 0"):
        split_lanes([-1], 2)


def test_paced_lanes_split_rates_evenly_and_a_mixed_runs_users_like_users() -> None:
    # Browse on 3 users beside Buy at 10/s over 2 workers: 2 + 1 users, 5 + 5 per second.
    assert split_paced_lanes([3.0, 10.0], [False, True], 2) == [(2.0, 5.0), (1.0, 5.0)]
    # Rates only: every worker the same share of each.
    assert split_paced_lanes([30.0, 10.0], [True, True], 2) == [(15.0, 5.0), (15.0, 5.0)]
    # Without lanes, an empty tuple for each worker.
    assert split_paced_lanes([], [], 3) == [(), (), ()]
