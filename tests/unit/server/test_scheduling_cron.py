"""Cron validation and next/latest firing times, including both DST changes of Europe/Paris."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from loadforge.errors import ConfigError
from loadforge.server.scheduling import next_fire_time, parse_schedule, validate_schedule

PARIS = "Europe/Paris"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def firings(expression: str, start: datetime, count: int, timezone: str = PARIS) -> list[datetime]:
    schedule = parse_schedule(expression, timezone)
    found: list[datetime] = []
    moment = start
    for _ in range(count):
        moment = schedule.next_after(moment)
        found.append(moment)
    return found


def test_every_five_minutes_in_utc() -> None:
    assert firings("*/5 * * * *", utc(2026, 11, 23, 13, 2), 3, "UTC") == [
        utc(2026, 11, 23, 13, 5),
        utc(2026, 11, 23, 13, 10),
        utc(2026, 11, 23, 13, 15),
    ]


def test_the_next_firing_is_strictly_after() -> None:
    assert next_fire_time("0 * * * *", "UTC", utc(2026, 1, 1, 10)) == utc(2026, 1, 1, 11)


def test_a_sixth_field_is_seconds() -> None:
    assert firings("* * * * * */20", utc(2026, 1, 1, 0, 0, 5), 3, "UTC") == [
        utc(2026, 1, 1, 0, 0, 20),
        utc(2026, 1, 1, 0, 0, 40),
        utc(2026, 1, 1, 0, 1, 0),
    ]


def test_wall_time_is_in_the_schedules_timezone() -> None:
    # 09:00 in Paris in winter is 08:00 UTC, in summer 07:00 UTC.
    assert next_fire_time("0 9 * * *", PARIS, utc(2026, 1, 10)) == utc(2026, 1, 10, 8)
    assert next_fire_time("0 9 * * *", PARIS, utc(2026, 7, 10)) == utc(2026, 7, 10, 7)


def test_a_daily_job_in_the_repeated_autumn_hour_fires_once() -> None:
    # 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    assert firings("30 2 * * *", utc(2026, 10, 24, 22, 30), 3) == [
        utc(2026, 10, 25, 0, 30),  # the first 02:30 (CEST)
        utc(2026, 10, 26, 1, 30),
        utc(2026, 10, 27, 1, 30),
    ]


def test_a_daily_job_in_the_skipped_spring_hour_still_fires_that_day() -> None:
    # 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist and fires at 03:30.
    assert firings("30 2 * * *", utc(2026, 3, 28, 22, 30), 3) == [
        utc(2026, 3, 29, 1, 30),
        utc(2026, 3, 30, 0, 30),
        utc(2026, 3, 31, 0, 30),
    ]


def test_every_quarter_hour_across_spring_forward_never_goes_back() -> None:
    times = firings("*/15 * * * *", utc(2026, 3, 29, 0, 40), 8)
    assert times == sorted(set(times))
    assert all(b - a == timedelta(minutes=15) for a, b in itertools.pairwise(times))


def test_hourly_across_fall_back_is_increasing_and_unique() -> None:
    times = firings("0 * * * *", utc(2026, 10, 24, 22, 30), 6)
    assert times == sorted(set(times))


def test_latest_at_or_before() -> None:
    schedule = parse_schedule("*/5 * * * *", "UTC")
    assert schedule.latest_at_or_before(utc(2026, 1, 1, 10, 7)) == utc(2026, 1, 1, 10, 5)
    assert schedule.latest_at_or_before(utc(2026, 1, 1, 10, 5)) == utc(2026, 1, 1, 10, 5)


@pytest.mark.parametrize(
    ("expression", "timezone", "message"),
    [
        ("61 * * * *", "UTC", "not a valid cron expression"),
        ("* * *", "UTC", "must have 5 fields"),
        ("", "UTC", "must have 5 fields"),
        ("* * * * * * *", "UTC", "must have 5 fields"),
        ("0 0 30 2 *", "UTC", "never fires"),
        ("* * * * *", "Mars/Olympus", "not an IANA timezone"),
        ("* * * * *", "", "not an IANA timezone"),
        ("* * * * *", "../etc/passwd", "not an IANA timezone"),
    ],
)
def test_invalid_schedules_are_config_errors(expression: str, timezone: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_schedule(expression, timezone)


def test_aliases_are_accepted() -> None:
    assert next_fire_time("@daily", "UTC", utc(2026, 1, 1, 10)) == utc(2026, 1, 2)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_schedule("* * * * *", "UTC").next_after(datetime(2026, 1, 1))
