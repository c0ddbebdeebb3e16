"""The multi-core and open-model settings: from config files, into the engine's settings."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import ITERATIONS_PER_SECOND, ConstantPattern, Quantity, RampPattern
from loadforge.runs.options import RunOptions, build_pattern, options_from_mapping
from loadforge.runs.settings import default_workers, load_settings


def test_config_keys_for_workers_and_the_open_model() -> None:
    options = options_from_mapping(
        {"workers": 4, "metrics-transport": "queue", "arrival-rate": 20, "max-users": 50},
        where="load.toml",
    )

    settings = load_settings(options)

    assert settings.workers == 4
    assert settings.metrics_transport is MetricsTransport.QUEUE
    assert settings.open_model
    assert settings.pool_bound() == 50
    assert settings.describe() == "constant 20 iterations/s"


def test_patterns_shape_the_arrival_rate() -> None:
    pattern = build_pattern(RunOptions(pattern="ramp", arrival_rate=10, ramp_to=500))

    assert pattern == RampPattern(10, 500, 30.0, ITERATIONS_PER_SECOND)


def test_the_pool_bound_defaults_to_the_peak_rate_or_100() -> None:
    small = load_settings(RunOptions(arrival_rate=20, workers=1))
    large = load_settings(RunOptions(pattern="ramp", arrival_rate=10, ramp_to=500, workers=1))

    assert small.pool_bound() == 100
    assert large.pool_bound() == 500


def test_workers_default_to_the_cpus_this_process_may_use() -> None:
    assert load_settings(RunOptions()).workers == default_workers() >= 1
    assert not load_settings(RunOptions()).open_model


@pytest.mark.parametrize("value", ["2", 2.5])
def test_workers_must_be_a_whole_number_in_a_config_file(value: object) -> None:
    with pytest.raises(ConfigError, match="'workers' must be a whole number"):
        options_from_mapping({"workers": value}, where="load.toml")


def test_a_fractional_arrival_rate_is_counted_per_1000_seconds() -> None:
    settings = load_settings(RunOptions(arrival_rate=0.5, workers=2))

    assert settings.pattern == ConstantPattern(500, Quantity(time_unit=1000))
    assert settings.rate_at(10.0) == 0.5
    assert settings.describe() == "constant 0.5 iterations/s"
    assert settings.pool_bound() == 100


def test_patterns_shape_a_fractional_rate() -> None:
    settings = load_settings(
        RunOptions(pattern="ramp", arrival_rate=0.5, ramp_to=2, ramp_duration=10.0, workers=1)
    )

    assert settings.rate_at(0.0) == 0.5
    assert settings.rate_at(5.0) == 1.25
    assert settings.rate_at(10.0) == 2.0
    assert settings.describe() == "ramp 0.5 → 2 iterations/s over 10s"


def test_whole_rates_read_as_before() -> None:
    settings = load_settings(RunOptions(arrival_rate=20.0, workers=1))

    assert settings.pattern == ConstantPattern(20, ITERATIONS_PER_SECOND)
    assert settings.rate_at(0.0) == 20.0
    assert settings.describe() == "constant 20 iterations/s"


@pytest.mark.parametrize("rate", [0.0, -2.0])
def test_the_arrival_rate_must_be_more_than_zero(rate: float) -> None:
    with pytest.raises(ConfigError, match="more than 0"):
        load_settings(RunOptions(arrival_rate=rate, workers=1))


def test_a_config_file_may_give_a_fractional_rate() -> None:
    options = options_from_mapping({"arrival-rate": 0.25}, where="load.toml")

    assert options.arrival_rate == 0.25
