"""A spec's load profile and thresholds: read as `loadforge run` reads them, errors name the key."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import CompositePattern
from loadforge.server.execution import validate_load_profile, validate_thresholds
from loadforge.server.execution.profile import SERVER_DEFAULT_WORKERS, output_plan, run_settings
from loadforge.thresholds import MetricKind
from sample_runs import scenario_run


def test_the_ramp_form_becomes_a_composite_pattern() -> None:
    settings = run_settings({"ramp_up": 5, "users": 50, "steady": 20, "ramp_down": 5})

    assert isinstance(settings.pattern, CompositePattern)
    assert settings.duration == 30
    assert settings.pattern.users_at(15) == 50
    assert settings.workers == SERVER_DEFAULT_WORKERS


def test_missing_ramp_phases_are_zero() -> None:
    assert run_settings({"users": 10, "steady": 3}).duration == 3


def test_other_keys_are_loadforge_run_options() -> None:
    settings = run_settings({"users": 3, "duration": "5s", "rps": 100, "workers": 2})

    assert (settings.duration, settings.rps, settings.workers) == (5, 100, 2)


def test_users_alone_is_a_constant_load_of_the_default_duration() -> None:
    settings = run_settings({"users": 4})

    assert settings.pattern.users_at(1) == 4
    assert settings.workers == SERVER_DEFAULT_WORKERS


def test_the_open_model_and_patterns_are_accepted() -> None:
    validate_load_profile({"arrival_rate": 20, "max_users": 50, "duration": 10})
    validate_load_profile({"pattern": {"type": "ramp", "start": 0, "end": 5, "ramp_duration": 4}})


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"ramp_up": 5, "steady": 5}, r"load_profile\.users is missing"),
        ({"ramp_up": "x", "users": 5}, r"load_profile\.ramp_up must be a number"),
        ({"ramp_up": 0, "users": 5, "steady": 0}, r"load_profile\.ramp_up, steady"),
        ({"users": -1}, r"load_profile\.users must be 0 or more"),
        ({"users": 2, "max_connections": 0}, r"load_profile\.max_connections must be at least 1"),
        ({"users": 2, "rps": -1}, r"load_profile\.rps must be more than 0"),
        ({"bogus": 1}, r"load_profile: unknown setting 'bogus'"),
        ({"users": 1, "pattern": {"type": "ramp"}}, r"load_profile\.pattern\.start is missing"),
        ({"output": "/tmp/x"}, r"load_profile\.output cannot be set"),
        ({"users": 1, "thresholds": {}}, r"load_profile\.thresholds cannot be set"),
        ([1, 2], r"load_profile must be an object"),
        (None, r"load_profile must be an object"),
    ],
)
def test_invalid_profiles_name_the_key(profile: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_load_profile(profile)


def test_valid_thresholds() -> None:
    validate_thresholds(["p95<500ms", "error_rate<=0.01", '"GET /": p99<1s'])
    validate_thresholds(["orders>1000", "paid>=99%"])  # custom metrics the scenario declares
    validate_thresholds([])


def test_after_the_run_custom_metrics_take_the_kinds_the_result_recorded() -> None:
    result = scenario_run()
    plan = output_plan(["paid>0.4", "depth<=1", "never>1"], result)

    assert [t.metric.kind for t in plan.thresholds] == [
        MetricKind.RATE,
        MetricKind.COUNT,
        MetricKind.COUNT,
    ]
    with pytest.raises(ConfigError, match="'cart_ms' is a trend"):
        output_plan(["cart_ms<200"], result)


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        (["p95<<3"], r"thresholds: .*'p95<<3' is not a threshold"),
        ("p95<500ms", r"thresholds must be a list"),
        ([3], r"thresholds\[0\] must be a text"),
    ],
)
def test_invalid_thresholds(thresholds: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_thresholds(thresholds)
