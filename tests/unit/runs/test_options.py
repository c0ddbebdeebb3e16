"""Options from flags and TOML merge as documented, and bad values are ConfigErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import (
    CompositePattern,
    ConstantPattern,
    DiurnalPattern,
    RampPattern,
    SpikePattern,
    StepPattern,
)
from loadforge.runs.options import RunOptions, build_pattern, load_config_file, options_from_mapping


def test_flags_win_over_the_config_file() -> None:
    flags = RunOptions(users=5)
    config = RunOptions(users=50, duration=60.0, rps=10.0)
    merged = flags.over(config)
    assert (merged.users, merged.duration, merged.rps) == (5, 60.0, 10.0)


def test_config_file_is_read_with_durations_and_pattern_table(tmp_path: Path) -> None:
    path = tmp_path / "load.toml"
    path.write_text(
        'users = 3\nduration = "1m30s"\nbase-url = "http://127.0.0.1:9"\noutput = "out"\n'
        '[pattern]\ntype = "composite"\n'
        '[[pattern.stages]]\ntype = "ramp"\nstart = 0\nend = 4\n'
        'ramp_duration = "2s"\nduration = "2s"\n'
        '[[pattern.stages]]\ntype = "constant"\nusers = 4\nduration = 3\n'
    )
    options = load_config_file(path)
    assert options.users == 3
    assert options.duration == 90.0
    assert options.base_url == "http://127.0.0.1:9"
    assert options.output == Path("out")
    pattern = build_pattern(options)
    assert isinstance(pattern, CompositePattern)
    assert pattern.natural_duration == 5.0
    assert RunOptions(pattern_table=options.pattern_table).effective_duration(pattern) == 5.0
    assert options.effective_duration(pattern) == 90.0  # --duration wins over the pattern


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"users": "ten"}, "'users' must be a whole number"),
        ({"users": True}, "'users' must be a whole number"),
        ({"duration": [1]}, "'duration' must be a duration"),
        ({"rps": "fast"}, "'rps' must be a number"),
        ({"base_url": 3}, "'base_url' must be a string"),
        ({"output": 3}, "'output' must be a directory path"),
        ({"pattern": 3}, "'pattern' must be a name or a table"),
        ({"colour": "red"}, "unknown setting 'colour'"),
        ({"dashboard": "yes"}, "'dashboard' must be true or false"),
        ({"dashboard_port": "8089"}, "'dashboard_port' must be a whole number"),
        ({"prometheus": True}, "'prometheus' must be a port"),
        ({"prometheus_linger": "later"}, "prometheus_linger"),
        ({"prometheus_remote_write": 1}, "'prometheus_remote_write' must be a string"),
        ({"otlp_endpoint": ["x"]}, "'otlp_endpoint' must be a string"),
    ],
)
def test_bad_config_values_are_config_errors(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        options_from_mapping(raw, where="load.toml")


def test_the_dashboard_can_be_asked_for_in_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "load.toml"
    path.write_text('dashboard = true\ndashboard-port = 9001\ndashboard_host = "0.0.0.0"\n')
    options = RunOptions(dashboard_port=9002).over(load_config_file(path))
    assert (options.dashboard, options.dashboard_port, options.dashboard_host) == (
        True,
        9002,
        "0.0.0.0",
    )


def test_record_timings_can_be_asked_for_in_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "load.toml"
    path.write_text("record-timings = true\n")
    assert load_config_file(path).record_timings is True
    path.write_text('record_timings = "yes"\n')
    with pytest.raises(ConfigError, match="record_timings"):
        load_config_file(path)


def test_the_exports_can_be_asked_for_in_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "load.toml"
    path.write_text(
        'prometheus = 9464\nprometheus-linger = "15s"\n'
        'prometheus_remote_write = "http://127.0.0.1:9090/api/v1/write"\n'
        'otlp_endpoint = "http://127.0.0.1:4318"\n'
    )
    options = RunOptions(prometheus="0.0.0.0:9500").over(load_config_file(path))
    assert options.prometheus == "0.0.0.0:9500"  # the flag wins
    assert options.prometheus_linger == 15.0
    assert options.prometheus_remote_write == "http://127.0.0.1:9090/api/v1/write"
    assert options.otlp_endpoint == "http://127.0.0.1:4318"
    assert load_config_file(path).prometheus == "9464"


def test_missing_and_invalid_config_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config_file(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("users = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config_file(broken)


def test_patterns_from_flags() -> None:
    assert build_pattern(RunOptions()) == ConstantPattern(10)
    assert build_pattern(RunOptions(pattern="ramp", users=1, ramp_to=9, duration=30.0)) == (
        RampPattern(1, 9, 30.0)
    )
    step = build_pattern(
        RunOptions(pattern="step", users=2, step_size=3, step_duration=10.0, duration=35.0)
    )
    assert step == StepPattern(2, 3, 10.0, 3)
    spike = build_pattern(RunOptions(pattern="spike", users=2, spike_users=20, duration=30.0))
    assert spike == SpikePattern(2, 20, 10.0, 5.0)
    diurnal = build_pattern(RunOptions(pattern="diurnal", users=1, peak_users=9, period=60.0))
    assert diurnal == DiurnalPattern(1, 9, 60.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (RunOptions(pattern="ramp"), "--ramp-to"),
        (RunOptions(pattern="step", step_size=1), "--step-duration"),
        (RunOptions(pattern="spike"), "--spike-users"),
        (RunOptions(pattern="diurnal"), "--peak-users"),
        (RunOptions(pattern="zigzag"), "Unknown pattern 'zigzag'"),
    ],
)
def test_pattern_flags_that_are_missing_or_unknown(options: RunOptions, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_pattern(options)


def test_to_config_keeps_only_what_was_set() -> None:
    config = RunOptions(users=4, output=Path("r"), pattern_table={"type": "constant"}).to_config()
    assert config == {"users": 4, "output": "r", "pattern_table": {"type": "constant"}}
