"""Tests for the LoadPattern contract's shared behaviour: tick schedules and peak checks."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import ConstantPattern, LoadPattern, RampPattern


def test_load_pattern_cannot_be_instantiated_without_the_formulas() -> None:
    with pytest.raises(TypeError, match="abstract"):
        LoadPattern()  # type: ignore[abstract]


def test_iter_concurrency_includes_the_duration_when_it_falls_on_a_tick() -> None:
    ticks = list(RampPattern(0, 100, 10).iter_concurrency(10))
    assert len(ticks) == 11
    assert ticks[0] == (0.0, 0)
    assert ticks[5] == (5.0, 50)
    assert ticks[-1] == (10.0, 100)


def test_iter_concurrency_stops_at_the_last_tick_before_an_off_tick_duration() -> None:
    ticks = list(ConstantPattern(4).iter_concurrency(2.5))
    assert [elapsed for elapsed, _ in ticks] == [0.0, 1.0, 2.0]
    assert {users for _, users in ticks} == {4}


def test_iter_concurrency_with_fractional_ticks_uses_index_times_tick() -> None:
    ticks = list(RampPattern(0, 100, 1).iter_concurrency(1, tick_interval=0.1))
    assert len(ticks) == 11
    assert ticks[3][0] == 3 * 0.1
    assert ticks[3][1] == 30
    assert ticks[-1] == (10 * 0.1, 100)


def test_iter_concurrency_forgives_float_noise_at_the_end() -> None:
    # 0.3 / 0.1 is 2.9999999999999996 in floats, yet 0.3 is a tick.
    ticks = list(ConstantPattern(1).iter_concurrency(0.3, tick_interval=0.1))
    assert len(ticks) == 4
    assert ticks[-1][0] == pytest.approx(0.3)


def test_iter_concurrency_for_zero_duration_yields_only_the_start() -> None:
    assert list(ConstantPattern(7).iter_concurrency(0)) == [(0.0, 7)]


def test_iter_concurrency_over_a_long_run_does_not_drift() -> None:
    ticks = list(ConstantPattern(1).iter_concurrency(3600, tick_interval=0.1))
    assert len(ticks) == 36001
    assert ticks[-1][0] == 36000 * 0.1


@pytest.mark.parametrize(
    ("duration", "tick", "message"),
    [
        (-1, 1.0, "duration_seconds must be 0 or more seconds, got -1"),
        (10, 0, "tick_interval must be greater than 0 seconds, got 0"),
        (10, -0.5, "tick_interval must be greater than 0 seconds, got -0.5"),
        (float("inf"), 1.0, "duration_seconds must be a finite number of seconds"),
    ],
)
def test_iter_concurrency_checks_arguments_before_iterating(
    duration: float, tick: float, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        ConstantPattern(1).iter_concurrency(duration, tick)
    assert message in str(caught.value)


def test_peak_users_rejects_negative_duration() -> None:
    with pytest.raises(ConfigError, match="duration_seconds must be 0 or more seconds, got -2"):
        ConstantPattern(1).peak_users(-2)


def test_natural_duration_is_none_for_plain_patterns() -> None:
    assert ConstantPattern(1).natural_duration is None
    assert RampPattern(0, 5, 10).natural_duration is None


def test_patterns_have_no_instance_dict() -> None:
    assert not hasattr(ConstantPattern(1), "__dict__")
