"""Tests for StepPattern: the staircase formula, its hold and its validation."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import StepPattern


@pytest.mark.parametrize(
    ("elapsed", "users"),
    [(0, 10), (9.999, 10), (10, 20), (25, 30), (50, 60), (51, 60), (1000, 60)],
)
def test_steps_up_at_each_step_boundary_then_holds(elapsed: float, users: int) -> None:
    assert StepPattern(10, 10, 10, 5).users_at(elapsed) == users


@pytest.mark.parametrize(("elapsed", "users"), [(0, 50), (1, 40), (2.5, 30), (5, 0), (9, 0)])
def test_steps_down(elapsed: float, users: int) -> None:
    assert StepPattern(50, -10, 1, 5).users_at(elapsed) == users


def test_zero_steps_holds_start() -> None:
    assert StepPattern(7, 100, 1, 0).users_at(50) == 7


def test_step_boundary_at_a_fractional_multiple_is_exact() -> None:
    pattern = StepPattern(0, 1, 0.25, 10)
    assert pattern.users_at(0.75) == 3
    assert pattern.users_at(0.7499) == 2


@pytest.mark.parametrize(
    ("duration", "include_end", "peak"),
    [
        (0, True, 10),
        (0, False, 10),
        (9.5, True, 10),
        (10, True, 20),
        (10, False, 10),
        (10.5, False, 20),
        (30, False, 30),
        (50, True, 60),
        (50, False, 50),
        (500, False, 60),
    ],
)
def test_peak_users_counts_steps_reached(duration: float, include_end: bool, peak: int) -> None:
    assert StepPattern(10, 10, 10, 5).peak_users(duration, include_end=include_end) == peak


def test_peak_users_when_stepping_down_is_the_start() -> None:
    assert StepPattern(50, -10, 1, 5).peak_users(100) == 50


def test_final_users() -> None:
    assert StepPattern(10, 10, 10, 5).final_users == 60


def test_describe() -> None:
    assert StepPattern(10, 10, 10, 5).describe() == "step 10 → 60 users: +10 every 10s, 5 steps"
    assert StepPattern(50, -10, 1.5, 2).describe() == "step 50 → 30 users: -10 every 1.5s, 2 steps"


def test_to_config() -> None:
    assert StepPattern(1, 2, 3, 4).to_config() == {
        "type": "step",
        "start": 1,
        "step_size": 2,
        "step_duration": 3.0,
        "steps": 4,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 1, 1.0, 1), "start must be 0 or more, got -1"),
        ((0, 1.5, 1.0, 1), "step_size must be a whole number, got 1.5"),
        ((0, 1, 0.0, 1), "step_duration must be greater than 0 seconds, got 0.0"),
        ((0, 1, 1.0, -1), "steps must be 0 or more, got -1"),
        ((0, 1, 1.0, True), "steps must be a whole number, got True"),
        (
            (50, -20, 1.0, 3),
            "step_size -20 would take users below 0 (-10) after 3 steps from start 50",
        ),
    ],
)
def test_rejects_bad_arguments(args: tuple[int, int, float, int], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        StepPattern(*args)
    assert str(caught.value) == message


def test_stepping_down_exactly_to_zero_is_allowed() -> None:
    assert StepPattern(50, -10, 1, 5).final_users == 0
