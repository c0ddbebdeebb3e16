"""Tests for the shared argument checks in loadforge.patterns._validation."""

from __future__ import annotations

import math

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns._validation import seconds, user_count, whole_number


def test_whole_number_accepts_negative_ints() -> None:
    assert whole_number("step_size", -3) == -3


@pytest.mark.parametrize("value", [True, 1.0, "1", None])
def test_whole_number_rejects_non_ints(value: object) -> None:
    with pytest.raises(ConfigError, match=f"step_size must be a whole number, got {value!r}"):
        whole_number("step_size", value)


def test_user_count_rejects_negative() -> None:
    with pytest.raises(ConfigError, match="users must be 0 or more, got -1"):
        user_count("users", -1)


def test_user_count_accepts_zero() -> None:
    assert user_count("users", 0) == 0


def test_seconds_converts_ints_to_float() -> None:
    result = seconds("period", 5, allow_zero=False)
    assert result == 5.0
    assert type(result) is float


def test_seconds_allows_zero_only_when_asked() -> None:
    assert seconds("spike_at", 0, allow_zero=True) == 0.0
    with pytest.raises(ConfigError, match="period must be greater than 0 seconds, got 0"):
        seconds("period", 0, allow_zero=False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1.5, "period must be 0 or more seconds, got -1.5"),
        (math.inf, "period must be a finite number of seconds, got inf"),
        (math.nan, "period must be a finite number of seconds, got nan"),
        (10**400, "period must be a finite number of seconds"),
        (False, "period must be a number of seconds, got False"),
        ("5s", "period must be a number of seconds, got '5s'"),
    ],
)
def test_seconds_rejects_bad_values(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        seconds("period", value, allow_zero=True)
    assert message in str(caught.value)
