"""Tests for RampPattern: the linear formula, its rounding rule and the hold after the ramp."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import RampPattern


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 0), (2.5, 25), (5, 50), (9.99, 100), (10, 100), (60, 100)],
)
def test_ramp_up_at_exact_points(elapsed: float, users: int) -> None:
    assert RampPattern(0, 100, 10).users_at(elapsed) == users


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 10), (3, 19), (15, 55), (29.9, 100), (30, 100), (31, 100)],
)
def test_ramp_from_non_zero_start(elapsed: float, users: int) -> None:
    # 10 + (100 - 10) * t / 30 = 10 + 3t; at 29.9 that is 99.7, which rounds to 100.
    assert RampPattern(10, 100, 30).users_at(elapsed) == users


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 0), (4.99, 0), (5, 1), (9.99, 1), (10, 1)],
)
def test_exact_halves_round_up(elapsed: float, users: int) -> None:
    assert RampPattern(0, 1, 10).users_at(elapsed) == users


def test_exact_half_is_not_lost_to_float_error() -> None:
    # 0.35 is exactly half of 0.7 as floats too, so the value is exactly 1.5, yet
    # the float expression 3 * 0.35 / 0.7 gives 1.4999999999999998.
    assert 3 * 0.35 / 0.7 < 1.5
    assert RampPattern(0, 3, 0.7).users_at(0.35) == 2


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 100), (2.5, 75), (5, 50), (9.5, 5), (10, 0), (20, 0)],
)
def test_ramp_down(elapsed: float, users: int) -> None:
    assert RampPattern(100, 0, 10).users_at(elapsed) == users


def test_ramp_down_rounds_exact_halves_up() -> None:
    assert RampPattern(1, 0, 10).users_at(5) == 1
    assert RampPattern(1, 0, 10).users_at(5.01) == 0


@pytest.mark.parametrize(
    ("duration", "peak"),
    [(0, 0), (2.5, 25), (10, 100), (100, 100)],
)
def test_peak_users_of_a_rising_ramp(duration: float, peak: int) -> None:
    assert RampPattern(0, 100, 10).peak_users(duration) == peak


def test_peak_users_of_a_falling_ramp_is_the_start() -> None:
    assert RampPattern(80, 20, 10).peak_users(0) == 80
    assert RampPattern(80, 20, 10).peak_users(100) == 80


def test_half_open_peak_leaves_out_a_value_reached_only_at_the_end() -> None:
    ramp = RampPattern(0, 1, 10)
    assert ramp.peak_users(5) == 1
    assert ramp.peak_users(5, include_end=False) == 0
    assert ramp.peak_users(5.01, include_end=False) == 1


def test_half_open_peak_over_the_whole_ramp_is_the_end() -> None:
    assert RampPattern(0, 100, 10).peak_users(10, include_end=False) == 100
    assert RampPattern(0, 100, 10).peak_users(20, include_end=False) == 100


def test_describe() -> None:
    assert RampPattern(10, 100, 30).describe() == "ramp 10 → 100 users over 30s"


def test_ramp_duration_is_stored_as_float() -> None:
    assert RampPattern(0, 5, 30).to_config() == {
        "type": "ramp",
        "start": 0,
        "end": 5,
        "ramp_duration": 30.0,
    }


@pytest.mark.parametrize(
    ("start", "end", "ramp_duration", "message"),
    [
        (-1, 10, 5.0, "start must be 0 or more, got -1"),
        (0, -10, 5.0, "end must be 0 or more, got -10"),
        (0, 10, 0.0, "ramp_duration must be greater than 0 seconds, got 0.0"),
        (0, 10, -5.0, "ramp_duration must be greater than 0 seconds, got -5.0"),
        (0, 10, float("nan"), "ramp_duration must be a finite number of seconds, got nan"),
        (0, 10.5, 5.0, "end must be a whole number, got 10.5"),
        (False, 10, 5.0, "start must be a whole number, got False"),
        (0, 10, True, "ramp_duration must be a number of seconds, got True"),
    ],
)
def test_rejects_bad_arguments(start: int, end: int, ramp_duration: float, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        RampPattern(start, end, ramp_duration)
    assert str(caught.value) == message
