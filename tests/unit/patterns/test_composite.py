"""Tests for CompositePattern: stage clocks, boundaries, the final hold and exact peaks."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import (
    CompositePattern,
    ConstantPattern,
    RampPattern,
    SpikePattern,
    StepPattern,
)


def _warm_hold_cool() -> CompositePattern:
    return CompositePattern(
        [
            (RampPattern(0, 50, 10), 10),
            (ConstantPattern(50), 60),
            (RampPattern(50, 0, 10), 10),
        ]
    )


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 0), (5, 25), (10, 50), (69.9, 50), (70, 50), (75, 25), (79.99, 0), (80, 0), (500, 0)],
)
def test_stages_run_on_their_own_clocks(elapsed: float, users: int) -> None:
    assert _warm_hold_cool().users_at(elapsed) == users


def test_boundary_instant_belongs_to_the_next_stage() -> None:
    pattern = CompositePattern([(ConstantPattern(5), 10), (ConstantPattern(9), 10)])
    assert pattern.users_at(9.999) == 5
    assert pattern.users_at(10) == 9


def test_holds_the_last_stage_value_at_its_end() -> None:
    # The ramp would reach 100 at 10 s; cut at 5 s it holds 50.
    pattern = CompositePattern([(ConstantPattern(1), 2), (RampPattern(0, 100, 10), 5)])
    assert pattern.users_at(6.99) == 50
    assert pattern.users_at(7) == 50
    assert pattern.users_at(1000) == 50


def test_stage_longer_than_its_pattern_keeps_the_pattern_going() -> None:
    pattern = CompositePattern([(RampPattern(0, 10, 5), 20)])
    assert pattern.users_at(15) == 10


def test_natural_duration_is_the_sum_of_stage_durations() -> None:
    assert _warm_hold_cool().natural_duration == 80.0


def test_stages_are_stored_as_a_tuple_of_float_durations() -> None:
    pattern = CompositePattern([(ConstantPattern(1), 3)])
    assert pattern.stages == ((ConstantPattern(1), 3.0),)
    assert isinstance(pattern.stages, tuple)
    assert hash(pattern) == hash(CompositePattern(((ConstantPattern(1), 3.0),)))


def test_nested_composites() -> None:
    inner = CompositePattern([(ConstantPattern(1), 1), (ConstantPattern(2), 1)])
    outer = CompositePattern([(inner, 2), (ConstantPattern(3), 1)])
    assert [outer.users_at(t) for t in (0, 1, 2, 3)] == [1, 2, 3, 3]


@pytest.mark.parametrize(("duration", "peak"), [(0, 0), (5, 25), (10, 50), (80, 50), (200, 50)])
def test_peak_users_over_prefixes(duration: float, peak: int) -> None:
    assert _warm_hold_cool().peak_users(duration) == peak


def test_peak_ignores_a_spike_that_starts_exactly_when_its_stage_ends() -> None:
    pattern = CompositePattern([(SpikePattern(10, 100, 10, 5), 10), (ConstantPattern(20), 10)])
    assert pattern.peak_users(100) == 20
    assert [users for _, users in pattern.iter_concurrency(100, 0.5)].count(100) == 0


def test_peak_ignores_a_step_that_lands_exactly_when_its_stage_ends() -> None:
    pattern = CompositePattern([(StepPattern(10, 5, 5, 3), 10), (ConstantPattern(0), 1)])
    assert pattern.users_at(9.999) == 15
    assert pattern.peak_users(30) == 15


def test_peak_counts_the_end_of_the_last_stage_once_it_is_reached() -> None:
    pattern = CompositePattern([(ConstantPattern(1), 5), (SpikePattern(0, 40, 5, 1), 5)])
    # The spike would start at the last stage's end (t = 10), which is then held.
    assert pattern.users_at(10) == 40
    assert pattern.peak_users(9.99) == 1
    assert pattern.peak_users(10) == 40
    assert pattern.peak_users(10, include_end=False) == 1
    assert pattern.peak_users(11, include_end=False) == 40


def test_peak_counts_a_stage_from_its_first_instant() -> None:
    pattern = CompositePattern([(ConstantPattern(1), 5), (ConstantPattern(9), 5)])
    assert pattern.peak_users(5) == 9
    assert pattern.peak_users(5, include_end=False) == 1


def test_describe_chains_the_stages() -> None:
    pattern = CompositePattern([(RampPattern(0, 50, 10), 10), (ConstantPattern(50), 60)])
    assert pattern.describe() == (
        "ramp 0 → 50 users over 10s for 10s, then constant 50 users for 1m"
    )


def test_to_config_adds_each_stage_duration() -> None:
    pattern = CompositePattern([(ConstantPattern(5), 30)])
    assert pattern.to_config() == {
        "type": "composite",
        "stages": [{"type": "constant", "users": 5, "duration": 30.0}],
    }


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([], "stages must not be empty: a composite needs at least one stage"),
        ("ab", "stages must be a sequence of (pattern, duration), got 'ab'"),
        (5, "stages must be a sequence of (pattern, duration), got 5"),
        ([(ConstantPattern(1),)], "stages[0] must be a (pattern, duration) pair"),
        ([[ConstantPattern(1), 1]], "stages[0] must be a (pattern, duration) pair"),
        ([(ConstantPattern(1), 1), ("x", 1)], "stages[1] pattern must be a LoadPattern, got 'x'"),
        (
            [(ConstantPattern(1), 1), (ConstantPattern(1), 0)],
            "stages[1].duration must be greater than 0 seconds, got 0",
        ),
        ([(ConstantPattern(1), -1)], "stages[0].duration must be greater than 0 seconds, got -1"),
        (
            [(ConstantPattern(1), float("inf"))],
            "stages[0].duration must be a finite number of seconds, got inf",
        ),
    ],
)
def test_rejects_bad_stages(stages: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        CompositePattern(stages)  # type: ignore[arg-type]
    assert message in str(caught.value)
