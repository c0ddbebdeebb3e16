"""The multi-core and open-model settings: from config files, into the engine's settings."""

from __future__ import annotations

import pytest

from loadforge.cli.options import RunOptions, build_pattern, options_from_mapping
from loadforge.cli.run_command import default_workers, load_settings
from loadforge.errors import ConfigError
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import RampPattern


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

    assert pattern == RampPattern(10, 500, 30.0)


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
