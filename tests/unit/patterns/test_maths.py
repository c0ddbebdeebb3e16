"""Tests for the shared rounding and window rules in loadforge.patterns._maths."""

from __future__ import annotations

from fractions import Fraction

import pytest

from loadforge.patterns._maths import reaches, round_half_down, round_half_up


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.5, 3),
        (2.4999, 2),
        (2.0, 2),
        (0.49999999999999994, 0),
        (Fraction(5, 2), 3),
        (Fraction(49, 10), 5),
    ],
)
def test_round_half_up_sends_exact_halves_up(value: Fraction | float, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.5, 2), (2.5001, 3), (2.0, 2), (2.4, 2), (Fraction(1, 2), 0), (Fraction(7, 2), 3)],
)
def test_round_half_down_sends_exact_halves_down(value: Fraction | float, expected: int) -> None:
    assert round_half_down(value) == expected


@pytest.mark.parametrize(
    ("moment", "end", "include_end", "expected"),
    [
        (1.0, 2.0, False, True),
        (2.0, 2.0, True, True),
        (2.0, 2.0, False, False),
        (3.0, 2.0, True, False),
        (0.0, 0.0, False, True),
        (0.0, 0.0, True, True),
    ],
)
def test_reaches_follows_closed_or_half_open_window(
    moment: float, end: float, include_end: bool, expected: bool
) -> None:
    assert reaches(moment, end, include_end=include_end) is expected
