"""Tests for building patterns from plain dicts, and for the ramp profile shorthand."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import (
    PATTERN_TYPES,
    CompositePattern,
    ConstantPattern,
    DiurnalPattern,
    LoadPattern,
    RampPattern,
    SpikePattern,
    StepPattern,
    pattern_from_config,
    ramp_profile,
)

EVERY_TYPE: list[LoadPattern] = [
    ConstantPattern(10),
    RampPattern(0, 100, 30),
    StepPattern(10, -2, 10.5, 5),
    SpikePattern(10, 100, 10, 5),
    DiurnalPattern(10, 110, 600),
    CompositePattern(
        [
            (RampPattern(0, 50, 10), 10),
            (CompositePattern([(ConstantPattern(50), 1), (ConstantPattern(5), 2)]), 60),
        ]
    ),
]


@pytest.mark.parametrize("pattern", EVERY_TYPE, ids=lambda pattern: type(pattern).__name__)
def test_to_config_round_trips(pattern: LoadPattern) -> None:
    assert pattern_from_config(pattern.to_config()) == pattern


def test_every_type_is_covered_by_the_round_trip() -> None:
    assert {str(pattern.to_config()["type"]) for pattern in EVERY_TYPE} == set(PATTERN_TYPES)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"type": "constant", "users": 10}, ConstantPattern(10)),
        (
            {"type": "ramp", "start": 0, "end": 100, "ramp_duration": "30s"},
            RampPattern(0, 100, 30),
        ),
        (
            {"type": "step", "start": 1, "step_size": 2, "step_duration": "10s", "steps": 5},
            StepPattern(1, 2, 10, 5),
        ),
        (
            {
                "type": "spike",
                "base": 1,
                "spike_users": 9,
                "spike_at": "1m",
                "spike_duration": 5,
            },
            SpikePattern(1, 9, 60, 5),
        ),
        (
            {"type": "diurnal", "min_users": 1, "max_users": 9, "period": "10m"},
            DiurnalPattern(1, 9, 600),
        ),
    ],
)
def test_reads_each_type_with_duration_texts(
    config: dict[str, object], expected: LoadPattern
) -> None:
    assert pattern_from_config(config) == expected


def test_reads_the_documented_composite_example() -> None:
    pattern = pattern_from_config(
        {
            "type": "composite",
            "stages": [
                {"type": "ramp", "start": 0, "end": 50, "ramp_duration": "10s", "duration": "10s"},
                {"type": "constant", "users": 50, "duration": "1m"},
            ],
        }
    )
    assert pattern == CompositePattern([(RampPattern(0, 50, 10), 10), (ConstantPattern(50), 60)])
    assert pattern.natural_duration == 70.0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ([1, 2], "pattern must be a table of settings, got [1, 2]"),
        ({1: "x"}, "pattern keys must be strings"),
        ({"users": 1}, "pattern.type is missing; choose one of: constant, ramp, step, spike"),
        ({"type": 3}, "pattern.type 3 is not a pattern type; choose one of: constant, ramp,"),
        ({"type": "wave"}, "pattern.type 'wave' is not a pattern type; choose one of: constant"),
        (
            {"type": "constant", "users": 1, "usres": 2},
            "pattern has unknown key(s) 'usres' for a constant pattern; valid keys: type, users",
        ),
        (
            {"type": "constant", "users": 1, "duration": 2},
            "pattern has unknown key(s) 'duration' for a constant pattern",
        ),
        ({"type": "constant"}, "pattern.users is missing"),
        ({"type": "constant", "users": "10"}, "pattern.users must be a whole number, got '10'"),
        ({"type": "constant", "users": 10.0}, "pattern.users must be a whole number, got 10.0"),
        ({"type": "constant", "users": True}, "pattern.users must be a whole number, got True"),
        ({"type": "constant", "users": -3}, "pattern.users must be 0 or more, got -3"),
        (
            {"type": "ramp", "start": 0, "end": 1, "ramp_duration": [30]},
            "pattern.ramp_duration must be a number of seconds or a duration text",
        ),
        (
            {"type": "ramp", "start": 0, "end": 1, "ramp_duration": "soon"},
            "pattern.ramp_duration: cannot read 'soon' as a duration",
        ),
        (
            {"type": "ramp", "start": 0, "end": 1, "ramp_duration": False},
            "pattern.ramp_duration must be a duration",
        ),
        (
            {"type": "ramp", "start": 0, "end": 1, "ramp_duration": "0s"},
            "pattern.ramp_duration must be greater than 0 seconds, got 0.0",
        ),
        (
            {"type": "diurnal", "min_users": 5, "max_users": 1, "period": 1},
            "pattern.max_users (1) must be at least min_users (5)",
        ),
        (
            {"type": "step", "start": 1, "step_size": -1, "step_duration": 1, "steps": 2},
            "pattern.step_size -1 would take users below 0",
        ),
    ],
)
def test_errors_name_the_key_path(config: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        pattern_from_config(config)  # type: ignore[arg-type]
    assert message in str(caught.value)


def _stage(**overrides: object) -> dict[str, object]:
    return {"type": "constant", "users": 1, "duration": 1, **overrides}


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ("ramp", "load.stages must be a list of stage tables, got 'ramp'"),
        (3, "load.stages must be a list of stage tables, got 3"),
        ([], "load.stages must not be empty"),
        ([_stage(), 7], "load.stages[1] must be a table of settings, got 7"),
        ([_stage(), {"users": 1, "duration": 1}], "load.stages[1].type is missing"),
        ([_stage(type="nope")], "load.stages[0].type 'nope' is not a pattern type"),
        (
            [_stage(), {"type": "constant", "users": 1}],
            "load.stages[1].duration is missing",
        ),
        ([_stage(), _stage(duration=0)], "load.stages[1].duration must be greater than 0"),
        ([_stage(duration="-1s")], "load.stages[0].duration must not be negative, got '-1s'"),
        ([_stage(users=-1)], "load.stages[0].users must be 0 or more, got -1"),
        (
            [_stage(extra=1)],
            "load.stages[0] has unknown key(s) 'extra' for a constant pattern; "
            "valid keys: type, users, duration",
        ),
        (
            [_stage(), {"type": "composite", "stages": [_stage(users="x")], "duration": 1}],
            "load.stages[1].stages[0].users must be a whole number, got 'x'",
        ),
    ],
)
def test_composite_errors_name_the_stage_path(stages: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        pattern_from_config({"type": "composite", "stages": stages}, where="load")
    assert message in str(caught.value)


def test_constructor_errors_keep_their_cause() -> None:
    with pytest.raises(ConfigError) as caught:
        pattern_from_config({"type": "constant", "users": -1})
    assert isinstance(caught.value.__cause__, ConfigError)


def test_ramp_profile_has_three_phases() -> None:
    profile = ramp_profile(10, 50, 60, 20)
    assert profile == CompositePattern(
        [(RampPattern(0, 50, 10), 10), (ConstantPattern(50), 60), (RampPattern(50, 0, 20), 20)]
    )
    assert profile.natural_duration == 90.0
    assert [profile.users_at(t) for t in (0, 5, 10, 70, 80, 90, 100)] == [0, 25, 50, 50, 25, 0, 0]
    assert profile.peak_users(90) == 50


def test_ramp_profile_leaves_out_zero_length_phases() -> None:
    assert ramp_profile(0, 5, 30, 0) == CompositePattern([(ConstantPattern(5), 30)])
    assert ramp_profile(10, 5, 0, 0) == CompositePattern([(RampPattern(0, 5, 10), 10)])
    assert ramp_profile(0, 5, 0, 10) == CompositePattern([(RampPattern(5, 0, 10), 10)])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 5, 0, 0), "ramp_up, steady and ramp_down are all 0 seconds"),
        ((-1, 5, 0, 0), "ramp_up must be 0 or more seconds, got -1"),
        ((0, -5, 10, 0), "users must be 0 or more, got -5"),
        ((0, 5, float("nan"), 0), "steady must be a finite number of seconds, got nan"),
        ((0, 5, 10, True), "ramp_down must be a number of seconds, got True"),
    ],
)
def test_ramp_profile_rejects_bad_arguments(
    args: tuple[float, int, float, float], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        ramp_profile(*args)
    assert message in str(caught.value)
