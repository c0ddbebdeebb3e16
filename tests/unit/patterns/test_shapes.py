"""Tests for the Python pattern helpers and `>>`: what stages they build and how they fail."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import (
    CompositePattern,
    ConstantPattern,
    RampPattern,
    SpikePattern,
    StepPattern,
    constant,
    diurnal,
    ramp,
    spike,
    step,
)


def test_ramp_then_constant_is_a_two_stage_composite() -> None:
    pattern = ramp(0, 50, "30s") >> constant(50, "1m")
    assert pattern == CompositePattern(
        [(RampPattern(0, 50, 30), 30.0), (ConstantPattern(50), 60.0)]
    )
    assert pattern.natural_duration == 90
    assert pattern.users_at(15) == 25
    assert pattern.users_at(60) == 50


def test_chains_flatten_into_one_composite() -> None:
    pattern = ramp(0, 10, 10) >> constant(10, 10) >> ramp(10, 0, 10)
    assert isinstance(pattern, CompositePattern)
    assert len(pattern.stages) == 3
    assert pattern.users_at(29.999) == 0


def test_a_constant_without_a_duration_is_a_plain_pattern_and_cannot_be_chained() -> None:
    assert constant(5) == ConstantPattern(5)
    with pytest.raises(ConfigError, match="no length to chain"):
        constant(5) >> constant(5, "1s")


def test_step_lasts_one_step_more_than_its_steps() -> None:
    pattern = step(10, 5, "10s", 3)
    assert pattern == CompositePattern([(StepPattern(10, 5, 10, 3), 40.0)])


def test_spike_lasts_until_it_has_settled_and_held() -> None:
    pattern = spike(10, 100, "10s", "5s", sustain=30, decay="10s", hold="5s")
    assert pattern == CompositePattern([(SpikePattern(10, 100, 10, 5, sustain=30, decay=10), 30.0)])
    assert pattern.users_at(29) == 30


def test_diurnal_with_and_without_a_duration() -> None:
    assert diurnal(0, 10, "1m").natural_duration is None
    assert diurnal(0, 10, "1m", "2m").natural_duration == 120


@pytest.mark.parametrize("bad", [True, None, [1]])
def test_a_duration_must_be_seconds_or_text(bad: object) -> None:
    with pytest.raises(ConfigError, match="a duration is seconds"):
        ramp(0, 1, bad)  # type: ignore[arg-type]


def test_chaining_something_that_is_no_pattern_says_what_a_pattern_is() -> None:
    with pytest.raises(ConfigError, match="users_at"):
        constant(1, 1) >> 5
