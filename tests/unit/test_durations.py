"""Tests for loadforge.durations: what users may write, and how LoadForge writes it back."""

from __future__ import annotations

import math

import pytest

from loadforge.durations import format_duration, parse_duration
from loadforge.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (90, 90.0),
        (90.5, 90.5),
        (0, 0.0),
        ("90", 90.0),
        ("90.5", 90.5),
        (".5", 0.5),
        ("30s", 30.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("1h30m", 5400.0),
        ("1m30s", 90.0),
        ("1h0m5s", 3605.0),
        ("250ms", 0.25),
        ("1.5s", 1.5),
        ("1.5m", 90.0),
        ("1s100ms", 1.1),
        ("  45s ", 45.0),
        ("0s", 0.0),
    ],
)
def test_parse_duration_accepts_seconds_and_unit_texts(value: str | float, seconds: float) -> None:
    assert parse_duration(value) == seconds


def test_parse_duration_returns_float_for_int_input() -> None:
    assert type(parse_duration(7)) is float


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "run_for must not be negative, got -1"),
        (-0.5, "run_for must not be negative, got -0.5"),
        ("-5s", "run_for must not be negative, got '-5s'"),
        ("", "run_for is empty"),
        ("   ", "run_for is empty"),
        (True, "run_for must be a duration"),
        (math.inf, "run_for must be a finite number of seconds, got inf"),
        (math.nan, "run_for must be a finite number of seconds, got nan"),
        (10**400, "run_for must be a finite number of seconds"),
        ("9" * 400, "run_for is too long to represent"),
        ("5 minutes", "run_for: cannot read '5 minutes' as a duration"),
        ("30m1h", "run_for: cannot read '30m1h' as a duration"),
        ("1h30", "run_for: cannot read '1h30' as a duration"),
        ("5x", "run_for: cannot read '5x' as a duration"),
        ("1e3s", "run_for: cannot read '1e3s' as a duration"),
    ],
)
def test_parse_duration_rejects_bad_values_naming_where_and_text(
    value: str | float, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_duration(value, where="run_for")
    assert message in str(caught.value)


def test_parse_duration_rejects_other_types() -> None:
    with pytest.raises(ConfigError, match=r"duration must be a duration .* got \[5\]"):
        parse_duration([5])  # type: ignore[arg-type]


def test_parse_duration_error_lists_accepted_forms() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_duration("soon")
    assert "'30s'" in str(caught.value)
    assert "'250ms'" in str(caught.value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (30, "30s"),
        (59, "59s"),
        (60, "1m"),
        (300, "5m"),
        (90, "1m30s"),
        (3600, "1h"),
        (7200, "2h"),
        (3660, "1h1m"),
        (3605, "1h0m5s"),
        (1.5, "1.5s"),
        (90.5, "1m30.5s"),
        (3600.25, "1h0m0.25s"),
        (0.25, "250ms"),
        (0.001, "1ms"),
        (0.0005, "0.5ms"),
        (0.1 + 0.2, "300ms"),
        (1e-7, "0s"),
    ],
)
def test_format_duration_gives_compact_forms(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [0.0, 0.25, 1.5, 59.999, 90.0, 3605.0, 86400.5, 0.000123])
def test_format_duration_output_parses_back_to_the_same_seconds(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds, abs=1e-9)


@pytest.mark.parametrize("seconds", [-1.0, math.inf, math.nan])
def test_format_duration_rejects_values_no_duration_can_have(seconds: float) -> None:
    with pytest.raises(ValueError, match="cannot format"):
        format_duration(seconds)
