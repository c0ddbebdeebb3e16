"""Spec and schedule validation with the CLI's parsers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from loadforge.errors import ConfigError
from loadforge.server.api.schedule_times import check_cron, check_timezone, next_fire_time
from loadforge.server.api.schemas import ScheduleInput, SpecInput
from loadforge.server.api.validation import check_load_profile, check_threshold


@pytest.mark.parametrize(
    "profile",
    [
        {"ramp_up": 5, "users": 50, "steady": 20, "ramp_down": 5},
        {"users": 10, "steady": 30},
        {"users": 10, "duration": "30s"},
        {"users": 5, "pattern": "step", "step_size": 5, "step_duration": 10, "duration": 60},
        {"arrival_rate": 20, "duration": 10, "max_users": 50},
        {"users": 5, "duration": 10, "pattern": {"type": "constant", "users": 4}},
    ],
)
def test_good_profiles(profile: dict[str, object]) -> None:
    check_load_profile(profile)


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({}, "empty"),
        ({"users": 5, "ramp_up": 0, "steady": 0}, "no duration"),
        ({"users": "many", "steady": 5}, "load_profile.users must be a whole number"),
        ({"users": 5, "steady": "long"}, "load_profile.steady must be a number"),
        ({"users": 5, "output": "/etc"}, "output cannot be set"),
        ({"users": 5, "dashboard": True}, "dashboard cannot be set"),
        ({"users": 5, "duration": "soon"}, "duration"),
        ({"users": 5, "duration": 10, "pattern": "zigzag"}, "zigzag"),
    ],
)
def test_bad_profiles(profile: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_load_profile(profile)


def test_thresholds() -> None:
    assert check_threshold("p95<300ms") == "p95<300ms"
    with pytest.raises(ConfigError):
        check_threshold("p95 is small")


def test_thresholds_may_name_custom_metrics_the_scenario_declares() -> None:
    # The server never imports a spec's scenario: any well-formed name may be a custom metric.
    for expression in ("orders>1000", "paid>=99%", "cart_ms: p95<200ms"):
        assert check_threshold(expression) == expression
    with pytest.raises(ConfigError, match="orders takes a plain count"):
        check_threshold("orders<3ms")
    with pytest.raises(ConfigError, match="must be above p0"):
        check_threshold("p0<3ms")


def test_spec_input_names_its_fields() -> None:
    with pytest.raises(ValidationError) as error:
        SpecInput.model_validate(
            {"name": "x", "request": {"url": "http://h/", "body": "a", "attachment_id": 1},
             "load_profile": {"users": 1, "steady": 1}, "thresholds": ["bad"]}
        )  # fmt: skip
    locations = {tuple(item["loc"]) for item in error.value.errors()}
    assert locations == {("request",), ("thresholds", 0)}


def test_cron_and_timezones() -> None:
    assert check_cron("*/5 * * * *") == "*/5 * * * *"
    with pytest.raises(ConfigError, match="must have 5 fields"):
        check_cron("every minute")
    assert check_timezone("Europe/Paris") == "Europe/Paris"
    for name in ("Mars/Base", "../etc/passwd", ""):
        with pytest.raises(ConfigError, match="not a known timezone"):
            check_timezone(name)
    with pytest.raises(ValidationError):
        ScheduleInput.model_validate({"spec_id": 1, "cron": "* * *"})


def test_next_fire_time_follows_the_timezone() -> None:
    after = datetime(2026, 11, 23, 13, 0, 30, tzinfo=UTC)
    assert next_fire_time("0 9 * * *", "Europe/Paris", after) == datetime(
        2026, 11, 24, 8, 0, tzinfo=UTC
    )
    assert next_fire_time("* * * * *", "UTC", after) == datetime(2026, 11, 23, 13, 1, tzinfo=UTC)


def test_a_request_spec_gates_on_ttfb_only_when_it_records_timings() -> None:
    spec: dict[str, object] = {
        "name": "x",
        "request": {"url": "http://h/"},
        "load_profile": {"users": 1, "steady": 1},
        "thresholds": ['"ttfb{GET /}": p95<100ms'],
    }
    with pytest.raises(ValidationError, match=r"request\.record_timings: true"):
        SpecInput.model_validate(spec)
    timed = {**spec, "request": {"url": "http://h/", "record_timings": True}}
    assert SpecInput.model_validate(timed).request is not None
    with pytest.raises(ValidationError, match="record_timings"):
        SpecInput.model_validate({**spec, "request": {"url": "http://h/", "record_timings": 3}})
