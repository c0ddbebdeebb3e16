"""Tests for DiurnalPattern: the cosine wave at its exact quarter points and its peaks."""

from __future__ import annotations

import math

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import DiurnalPattern


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 10), (15, 60), (30, 110), (45, 60), (60, 10), (75, 60), (90, 110), (120, 10)],
)
def test_quarter_points_of_the_wave(elapsed: float, users: int) -> None:
    assert DiurnalPattern(10, 110, 60).users_at(elapsed) == users


def test_value_between_quarter_points_follows_the_formula() -> None:
    # 10 + 100 * (1 - cos(2π * 10 / 60)) / 2 = 10 + 100 * 0.25 = 35.
    assert DiurnalPattern(10, 110, 60).users_at(10) == 35
    expected = 10 + 100 * (1 - math.cos(math.tau * 5 / 60)) / 2
    assert DiurnalPattern(10, 110, 60).users_at(5) == math.floor(expected + 0.5)


def test_equal_min_and_max_is_flat() -> None:
    pattern = DiurnalPattern(20, 20, 60)
    assert {pattern.users_at(t) for t in range(0, 61, 5)} == {20}
    assert pattern.peak_users(10) == 20


@pytest.mark.parametrize(
    ("duration", "include_end", "peak"),
    [
        (0, True, 10),
        (0, False, 10),
        (15, True, 60),
        (10, True, 35),
        (29, True, 110),
        (30, True, 110),
        (30, False, 110),
        (300, False, 110),
    ],
)
def test_peak_users(duration: float, include_end: bool, peak: int) -> None:
    assert DiurnalPattern(10, 110, 60).peak_users(duration, include_end=include_end) == peak


def test_half_open_peak_leaves_out_a_half_reached_only_at_the_end() -> None:
    # min 0, max 1, period 60: the level is exactly 0.5 at t = 15 (users 1), below before.
    pattern = DiurnalPattern(0, 1, 60)
    assert pattern.users_at(15) == 1
    assert pattern.peak_users(15) == 1
    assert pattern.peak_users(15, include_end=False) == 0


def test_describe() -> None:
    assert DiurnalPattern(10, 110, 600).describe() == "diurnal 10–110 users, period 10m"


def test_to_config() -> None:
    assert DiurnalPattern(1, 2, 3).to_config() == {
        "type": "diurnal",
        "min_users": 1,
        "max_users": 2,
        "period": 3.0,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 10, 60.0), "min_users must be 0 or more, got -1"),
        ((0, -1, 60.0), "max_users must be 0 or more, got -1"),
        ((20, 10, 60.0), "max_users (10) must be at least min_users (20)"),
        ((0, 10, 0.0), "period must be greater than 0 seconds, got 0.0"),
        ((0, 10, -60.0), "period must be greater than 0 seconds, got -60.0"),
    ],
)
def test_rejects_bad_arguments(args: tuple[int, int, float], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        DiurnalPattern(*args)
    assert str(caught.value) == message


def test_exact_halves_at_quarter_periods_round_up() -> None:
    pattern = DiurnalPattern(0, 1, 60)
    assert pattern.users_at(45) == 1
    assert pattern.users_at(14.9) == 0


def test_long_runs_stay_exact_at_peaks_and_troughs() -> None:
    pattern = DiurnalPattern(10, 110, 60)
    assert pattern.users_at(60 * 1_000_000 + 30) == 110
    assert pattern.users_at(60 * 1_000_000) == 10
