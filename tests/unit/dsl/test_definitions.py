"""Tests for ScenarioDefinition: weighted task choice, think time and immutability."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from loadforge.dsl import ScenarioDefinition, TaskDefinition


async def noop(instance: object, client: object) -> None:
    """A stand-in scenario method."""


def make(weights: list[int], think_time: tuple[float, float] = (0.5, 1.5)) -> ScenarioDefinition:
    tasks = tuple(TaskDefinition(f"t{i}", noop, w) for i, w in enumerate(weights))
    return ScenarioDefinition(
        name="S",
        cls=object,
        base_url="http://127.0.0.1:1",
        default_headers={"A": "1"},
        tasks=tasks,
        setup=None,
        teardown=None,
        think_time=think_time,
        timeout=30.0,
        verify=True,
        source="",
    )


def test_cumulative_weights_are_precomputed() -> None:
    assert make([5, 3, 1]).cumulative_weights == (5, 8, 9)


def test_task_names_keep_declaration_order() -> None:
    assert make([1, 1, 1]).task_names == ("t0", "t1", "t2")


def test_single_task_is_always_picked() -> None:
    definition = make([4])
    rng = random.Random(1)
    assert {definition.pick_task(rng).name for _ in range(20)} == {"t0"}


def test_picks_follow_the_weights() -> None:
    definition = make([5, 3, 1])
    rng = random.Random(42)
    counts = Counter(definition.pick_task(rng).name for _ in range(9000))
    # Seeded, so deterministic; the bounds only document the expected shares.
    assert 4700 < counts["t0"] < 5300
    assert 2700 < counts["t1"] < 3300
    assert 800 < counts["t2"] < 1200


def test_picks_are_reproducible_with_the_same_seed() -> None:
    definition = make([2, 1, 1])
    first = [definition.pick_task(random.Random(7)).name for _ in range(5)]
    again = [definition.pick_task(random.Random(7)).name for _ in range(5)]
    assert first == again


def test_fixed_think_time_uses_no_randomness() -> None:
    definition = make([1], think_time=(0.0, 0.0))
    rng = random.Random(3)
    state = rng.getstate()
    assert definition.think_seconds(rng) == 0.0
    assert rng.getstate() == state


def test_think_time_range_stays_within_bounds() -> None:
    definition = make([1], think_time=(0.5, 1.5))
    rng = random.Random(5)
    draws = [definition.think_seconds(rng) for _ in range(1000)]
    assert all(0.5 <= d <= 1.5 for d in draws)
    assert len(set(draws)) > 900


def test_default_headers_are_a_read_only_copy() -> None:
    headers = {"A": "1"}
    definition = make([1])
    headers["B"] = "2"
    assert dict(definition.default_headers) == {"A": "1"}
    with pytest.raises(TypeError):
        definition.default_headers["A"] = "x"  # type: ignore[index]


def test_definitions_are_frozen() -> None:
    definition = make([1])
    with pytest.raises(AttributeError):
        definition.name = "other"  # type: ignore[misc]
