"""Tests for user-written patterns: adapted, sampled at import, and rejected with a reason."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import CustomPattern, as_pattern, constant
from loadforge.patterns.quantity import USERS


class Waves:
    """Up 1 user per second for 20 s."""

    duration = "20s"

    def users_at(self, t: float) -> float:
        return t


class Arrivals:
    duration = 10

    def rate_at(self, t: float) -> float:
        return 0.5 if t < 5 else 2


def test_users_at_is_rounded_half_up_and_held_after_the_duration() -> None:
    pattern = CustomPattern.of(Waves())
    assert pattern.quantity == USERS
    assert pattern.users_at(2.5) == 3
    assert pattern.users_at(2.4) == 2
    assert pattern.users_at(100) == 20
    assert pattern.natural_duration == 20


def test_the_peak_comes_from_the_samples_over_the_window() -> None:
    pattern = CustomPattern.of(Waves())
    assert pattern.peak_users(10) == 10
    assert pattern.peak_users(0) == 0
    assert pattern.peak_users(4.2) == 4
    assert pattern.peak_users(60) == 20
    assert pattern.describe() == "Waves (custom): up to 20 users over 20s"


def test_rate_at_makes_an_open_model_pattern() -> None:
    pattern = as_pattern(Arrivals())
    assert pattern.quantity.is_rate
    assert pattern.quantity.level(pattern.users_at(1)) == 0.5
    assert pattern.quantity.level(pattern.users_at(6)) == 2
    assert pattern.describe() == "Arrivals (custom): up to 2 iterations/s over 10s"


def test_a_class_is_made_with_no_arguments() -> None:
    assert as_pattern(Waves).users_at(3) == 3


def test_a_shape_chains_with_the_helpers_on_either_side() -> None:
    pattern = Waves() >> constant(5, "5s")
    assert pattern.natural_duration == 25
    assert pattern.users_at(22) == 5
    assert (constant(5, "5s") >> Waves()).users_at(7) == 2


class Negative:
    duration = 5

    def users_at(self, t: float) -> int:
        return 3 - int(t)


class Raising:
    duration = 5

    def users_at(self, t: float) -> float:
        if t >= 2:
            raise ZeroDivisionError("division by zero")
        return 1


class Texty:
    duration = 5

    def users_at(self, t: float) -> str:
        return "ten"


class Both(Waves):
    def rate_at(self, t: float) -> float:
        return t


class NoDuration:
    def users_at(self, t: float) -> float:
        return t


class ZeroLength(Waves):
    duration = "0s"


class NeedsArguments(Waves):
    def __init__(self, top: int) -> None:
        self.top = top


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        (Negative(), r"Negative.users_at\(4\) returned -1; it must be 0 or more"),
        (Raising(), r"Raising.users_at\(2\) raised ZeroDivisionError"),
        (Texty(), r"returned 'ten'; it must return a finite number"),
        (Both(), "both users_at and rate_at"),
        (NoDuration(), "got <"),
        (ZeroLength(), "duration must be more than 0 seconds"),
        (NeedsArguments, "cannot be made with no arguments"),
        (object(), "must be a LoadPattern"),
    ],
)
def test_a_bad_shape_is_a_config_error_that_names_it(shape: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        as_pattern(shape)
