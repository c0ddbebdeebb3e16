"""Tests for SpikePattern: the instant burst, its window and which peaks count."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import SpikePattern


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 10), (9.999, 10), (10, 100), (12, 100), (14.999, 100), (15, 10), (60, 10)],
)
def test_spike_window_is_half_open(elapsed: float, users: int) -> None:
    assert SpikePattern(10, 100, 10, 5).users_at(elapsed) == users


def test_spike_users_is_the_total_not_an_increment() -> None:
    assert SpikePattern(10, 30, 0, 1).users_at(0) == 30


def test_spike_below_base_is_a_dip() -> None:
    pattern = SpikePattern(50, 5, 2, 1)
    assert pattern.users_at(2.5) == 5
    assert pattern.users_at(3) == 50


def test_spike_end() -> None:
    assert SpikePattern(1, 2, 10, 5).spike_end == 15.0


@pytest.mark.parametrize(
    ("duration", "include_end", "peak"),
    [
        (5, True, 10),
        (9.99, True, 10),
        (10, True, 100),
        (10, False, 10),
        (10.01, False, 100),
        (60, True, 100),
    ],
)
def test_peak_counts_the_spike_only_once_it_has_started(
    duration: float, include_end: bool, peak: int
) -> None:
    assert SpikePattern(10, 100, 10, 5).peak_users(duration, include_end=include_end) == peak


@pytest.mark.parametrize(
    ("duration", "include_end", "peak"),
    [
        (0, True, 5),
        (0, False, 5),
        (0.5, True, 5),
        (1, False, 5),
        (1, True, 50),
        (2, False, 50),
    ],
)
def test_peak_of_a_dip_at_time_zero_counts_base_only_after_the_dip(
    duration: float, include_end: bool, peak: int
) -> None:
    assert SpikePattern(50, 5, 0, 1).peak_users(duration, include_end=include_end) == peak


def test_peak_of_a_later_dip_is_base() -> None:
    assert SpikePattern(50, 5, 2, 1).peak_users(100) == 50


def test_describe() -> None:
    assert SpikePattern(10, 100, 10, 5).describe() == "spike 10 → 100 users at 10s for 5s"


def test_to_config() -> None:
    assert SpikePattern(10, 100, 10, 5).to_config() == {
        "type": "spike",
        "base": 10,
        "spike_users": 100,
        "spike_at": 10.0,
        "spike_duration": 5.0,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 10, 1.0, 1.0), "base must be 0 or more, got -1"),
        ((1, -10, 1.0, 1.0), "spike_users must be 0 or more, got -10"),
        ((1, 10, -1.0, 1.0), "spike_at must be 0 or more seconds, got -1.0"),
        ((1, 10, 1.0, 0.0), "spike_duration must be greater than 0 seconds, got 0.0"),
        ((1, 10, float("inf"), 1.0), "spike_at must be a finite number of seconds, got inf"),
    ],
)
def test_rejects_bad_arguments(args: tuple[int, int, float, float], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        SpikePattern(*args)
    assert str(caught.value) == message
