"""Tests for SpikePattern: the instant burst, its window and which peaks count."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import SpikePattern, pattern_from_config


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


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 10), (10, 100), (14.999, 100), (15, 100), (20, 65), (25, 30), (60, 30)],
)
def test_a_spike_decays_linearly_to_its_sustain_level(elapsed: float, users: int) -> None:
    pattern = SpikePattern(10, 100, 10, 5, sustain=30, decay=10)
    assert pattern.users_at(elapsed) == users


def test_without_decay_the_spike_drops_to_sustain_at_once() -> None:
    pattern = SpikePattern(10, 100, 10, 5, sustain=40)
    assert pattern.users_at(14.999) == 100
    assert pattern.users_at(15) == 40
    assert pattern.settled_at == 15


def test_sustain_defaults_to_base() -> None:
    assert SpikePattern(10, 100, 10, 5) == SpikePattern(10, 100, 10, 5, sustain=10)
    assert SpikePattern(10, 100, 10, 5).sustain_level == 10


def test_a_sustain_above_the_peak_counts_towards_the_peak() -> None:
    pattern = SpikePattern(10, 20, 0, 5, sustain=80, decay=10)
    assert pattern.peak_users(5) == 20
    assert pattern.peak_users(10) == 50
    assert pattern.peak_users(15) == 80
    assert pattern.peak_users(14, include_end=False) == 74


def test_sustain_and_decay_are_described_and_round_trip_through_the_config() -> None:
    pattern = SpikePattern(10, 100, 10, 5, sustain=30, decay=10)
    assert pattern.describe() == "spike 10 → 100 users at 10s for 5s, settling to 30 over 10s"
    assert pattern.to_config()["sustain"] == 30
    assert pattern_from_config(pattern.to_config()) == pattern
    assert "sustain" not in SpikePattern(10, 100, 10, 5).to_config()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"sustain": -1}, "sustain must be 0 or more"), ({"decay": -1}, "decay must be 0 or more")],
)
def test_bad_sustain_or_decay_is_a_config_error(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SpikePattern(10, 100, 10, 5, **kwargs)  # type: ignore[arg-type]
