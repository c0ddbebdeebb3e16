"""Tests for ConstantPattern: a flat target at every instant."""

from __future__ import annotations

import dataclasses

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import ConstantPattern


@pytest.mark.parametrize("elapsed", [0.0, 0.5, 10.0, 1e9])
def test_users_at_is_always_users(elapsed: float) -> None:
    assert ConstantPattern(25).users_at(elapsed) == 25


@pytest.mark.parametrize("duration", [0.0, 30.0])
def test_peak_users_is_users(duration: float) -> None:
    pattern = ConstantPattern(25)
    assert pattern.peak_users(duration) == 25
    assert pattern.peak_users(duration, include_end=False) == 25


def test_describe_pluralises_users() -> None:
    assert ConstantPattern(10).describe() == "constant 10 users"
    assert ConstantPattern(1).describe() == "constant 1 user"


def test_to_config() -> None:
    assert ConstantPattern(3).to_config() == {"type": "constant", "users": 3}


def test_zero_users_is_allowed() -> None:
    assert ConstantPattern(0).users_at(5) == 0


def test_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ConstantPattern(1).users = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("users", "message"),
    [
        (-1, "users must be 0 or more, got -1"),
        (True, "users must be a whole number, got True"),
        (2.0, "users must be a whole number, got 2.0"),
    ],
)
def test_rejects_bad_users(users: int, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ConstantPattern(users)
