"""Dividing a run's load among worker processes: pure arithmetic, tested on its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def split_users(total: int, workers: int) -> list[int]:
    """Split `total` users over `workers` evenly, the remainder to the lowest-numbered.

    >>> split_users(10, 4)
    [3, 3, 2, 2]
    """
    if workers < 1:
        raise ValueError(f"need at least one worker, got {workers}")
    if total < 0:
        raise ValueError(f"users must be >= 0, got {total}")
    share, remainder = divmod(total, workers)
    return [share + 1 if index < remainder else share for index in range(workers)]


def split_lanes(targets: list[int], workers: int) -> list[tuple[int, ...]]:
    """Split each lane's users over `workers`, lane i's remainder from worker i on.

    A lane's shares depend on its own target alone, so one scenario's ramp
    never moves another's users between workers (each move would retire a
    user and start a new one), and the lanes' remainders spread over the
    workers instead of all going to the first.

    >>> split_lanes([3, 1], 2)
    [(2, 0), (1, 1)]
    """
    if workers < 1:
        raise ValueError(f"need at least one worker, got {workers}")
    shares = [[0] * len(targets) for _ in range(workers)]
    for lane, target in enumerate(targets):
        for offset, share in enumerate(split_users(target, workers)):
            shares[(lane + offset) % workers][lane] = share
    return [tuple(each) for each in shares]


def split_rate(rate: float, workers: int) -> list[float]:
    """Split a total rate (requests or iterations per second) into equal shares.

    Shares are equal rather than rounded so that their sum is exactly `rate`.

    >>> split_rate(100.0, 4)
    [25.0, 25.0, 25.0, 25.0]
    """
    if workers < 1:
        raise ValueError(f"need at least one worker, got {workers}")
    return [rate / workers] * workers


def split_paced_lanes(
    levels: Sequence[float], lane_rates: Sequence[bool], workers: int
) -> list[tuple[float, ...]]:
    """Each worker's lanes in the open model: rates split evenly, users as `split_lanes` does.

    `levels` are the lanes' values now (iterations per second, or users
    for a mixed run's lanes on users, `lane_rates` False); each worker's
    tuple holds its share of every lane, in the same order.

    >>> split_paced_lanes([3.0, 10.0], [False, True], 2)
    [(2.0, 5.0), (1.0, 5.0)]
    """
    if not levels:
        return [()] * workers
    lanes = list(zip(levels, lane_rates, strict=True))
    users = split_lanes([0 if is_rate else int(level) for level, is_rate in lanes], workers)
    return [
        tuple(
            split_rate(level, workers)[0] if is_rate else float(held)
            for (level, is_rate), held in zip(lanes, worker_users, strict=True)
        )
        for worker_users in users
    ]


def assign(values: Sequence[T], worker_ids: list[int]) -> dict[int, T]:
    """Pair shares with the ids of the live workers, lowest id first.

    >>> assign([2, 1], [3, 0])
    {0: 2, 3: 1}
    """
    return dict(zip(sorted(worker_ids), values, strict=True))
