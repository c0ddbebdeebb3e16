"""What a pattern's numbers count (users, or iterations per a time unit), and how it reads."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import (
    ITERATIONS_PER_SECOND,
    USERS,
    CompositePattern,
    ConstantPattern,
    DiurnalPattern,
    Quantity,
    RampPattern,
    SpikePattern,
    StepPattern,
    iterations_at,
    pattern_from_config,
)

PER_1000_S = Quantity(time_unit=1000)


def test_whole_rates_count_per_second() -> None:
    assert iterations_at(20.0) == ITERATIONS_PER_SECOND
    assert ITERATIONS_PER_SECOND.count_of(20.0, "--arrival-rate") == 20
    assert ITERATIONS_PER_SECOND.level(20) == 20.0


def test_fractional_rates_count_per_1000_seconds() -> None:
    assert iterations_at(0.5) == PER_1000_S
    assert PER_1000_S.count_of(0.5, "--arrival-rate") == 500
    assert PER_1000_S.count_of(2.125, "--arrival-rate") == 2125
    assert PER_1000_S.count_of(2, "--ramp-to") == 2000
    assert PER_1000_S.level(1250) == 1.25


@pytest.mark.parametrize("rate", [0.0, -1.0, float("nan"), float("inf")])
def test_a_rate_must_be_more_than_zero(rate: float) -> None:
    with pytest.raises(ConfigError, match="--arrival-rate must be more than 0 per second"):
        iterations_at(rate)


def test_a_rate_finer_than_a_thousandth_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"--arrival-rate is counted in steps of 0\.001"):
        iterations_at(0.0005)


def test_a_count_of_whole_units_must_be_whole() -> None:
    with pytest.raises(ConfigError, match=r"--users must be a whole number here, got 2\.5"):
        USERS.count_of(2.5, "--users")


def test_users_are_counted_as_before() -> None:
    assert (USERS.amount(1), USERS.amount(10), USERS.level(10)) == ("1 user", "10 users", 10.0)
    assert (USERS.number(10, signed=True), USERS.number(-5, signed=True)) == ("+10", "-5")
    assert not USERS.is_rate


def test_every_pattern_describes_a_rate_in_iterations_per_second() -> None:
    per_second = ITERATIONS_PER_SECOND
    assert ConstantPattern(20, per_second).describe() == "constant 20 iterations/s"
    assert ConstantPattern(1, per_second).describe() == "constant 1 iteration/s"
    assert ConstantPattern(500, PER_1000_S).describe() == "constant 0.5 iterations/s"
    assert RampPattern(500, 2000, 10.0, PER_1000_S).describe() == (
        "ramp 0.5 → 2 iterations/s over 10s"
    )
    assert StepPattern(100, -25, 5.0, 2, PER_1000_S).describe() == (
        "step 0.1 → 0.05 iterations/s: -0.025 every 5s, 2 steps"
    )
    assert SpikePattern(10, 100, 10.0, 5.0, per_second).describe() == (
        "spike 10 → 100 iterations/s at 10s for 5s"
    )
    assert DiurnalPattern(250, 2125, 600.0, PER_1000_S).describe() == (
        "diurnal 0.25–2.125 iterations/s, period 10m"
    )


def test_a_composite_of_rates_reads_its_rates_and_leaves_durations_alone() -> None:
    composite = CompositePattern(
        [
            (RampPattern(500, 10_000, 90.0, PER_1000_S), 90.0),
            (StepPattern(0, 10, 5.0, 2, PER_1000_S), 10.0),
        ]
    )

    assert composite.quantity == PER_1000_S
    assert composite.describe() == (
        "ramp 0.5 → 10 iterations/s over 1m30s for 1m30s, "
        "then step 0 → 0.02 iterations/s: +0.01 every 5s, 2 steps for 10s"
    )


def test_the_stages_of_a_composite_count_the_same_quantity() -> None:
    with pytest.raises(
        ConfigError, match=r"stages\[1\] counts iterations per second, stages\[0\] users"
    ):
        CompositePattern(
            [(ConstantPattern(5), 1.0), (ConstantPattern(5, ITERATIONS_PER_SECOND), 1.0)]
        )


def test_a_config_table_is_read_in_the_quantity_it_is_given() -> None:
    table = {
        "type": "composite",
        "stages": [
            {"type": "ramp", "start": 0, "end": 20, "ramp_duration": 10, "duration": 10},
            {"type": "constant", "users": 20, "duration": 30},
        ],
    }

    pattern = pattern_from_config(table, quantity=ITERATIONS_PER_SECOND)

    assert pattern.quantity == ITERATIONS_PER_SECOND
    assert pattern.describe() == (
        "ramp 0 → 20 iterations/s over 10s for 10s, then constant 20 iterations/s for 30s"
    )
    assert pattern_from_config(table).quantity == USERS


def test_a_time_unit_is_a_whole_number_of_seconds() -> None:
    with pytest.raises(ConfigError, match="time_unit must be a whole number of seconds"):
        Quantity(time_unit=0)
