"""Fractional arrival rates are carried by patterns counted in thousandths of an iteration/s."""

from __future__ import annotations

import pytest

from loadforge.engine.rate_units import MILLI, WHOLE, describe_in_units, rate_unit, to_units
from loadforge.errors import ConfigError


def test_whole_rates_keep_a_unit_of_one() -> None:
    assert rate_unit(20.0) == WHOLE
    assert to_units(20.0, WHOLE, "--arrival-rate") == 20


def test_fractional_rates_are_counted_in_thousandths() -> None:
    assert rate_unit(0.5) == MILLI
    assert to_units(0.5, MILLI, "--arrival-rate") == 500
    assert to_units(2.125, MILLI, "--arrival-rate") == 2125


@pytest.mark.parametrize("rate", [0.0, -1.0, float("nan"), float("inf")])
def test_a_rate_must_be_more_than_zero(rate: float) -> None:
    with pytest.raises(ConfigError, match="more than 0"):
        rate_unit(rate)


def test_a_rate_finer_than_a_thousandth_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"steps of 0\.001"):
        rate_unit(0.0005)


def test_descriptions_read_counts_as_rates_but_leave_durations_alone() -> None:
    text = "ramp 500 → 10000 users over 1m30s, then step 0 → 20 users: +10 every 5s"

    assert describe_in_units(text, MILLI) == (
        "ramp 0.5 → 10 users over 1m30s, then step 0 → 0.02 users: +0.01 every 5s"
    )
    assert describe_in_units(text, WHOLE) == text
