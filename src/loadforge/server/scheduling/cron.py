"""Cron expressions in a timezone: validation and the next (or latest) firing, DST-correct.

croniter does the field arithmetic, but on timezone-aware datetimes it goes
wrong around DST changes (on Europe/Paris's spring-forward day it returns a
firing *before* the one asked after). So the fields are matched against
naive wall-clock times, and each wall-clock time is then placed on the UTC
time line by one rule (PEP 495's fold=0):

- a wall time that happens twice (autumn) fires once, at its first occurrence;
- a wall time that does not happen (spring) fires as if the clock had not
  jumped: 02:30 in a skipped hour fires at 03:30, after the jump.

So a daily job runs exactly once each day; the price is that an every-15-minutes
job skips the repeated hour in autumn.

Expressions have 5 fields (minute hour day month weekday) or 6, the sixth
being seconds (`* * * * * */10`: every ten seconds), or are one of the
`@hourly`-style aliases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterError, croniter

from loadforge.errors import ConfigError

__all__ = ["CronSchedule", "next_fire_time", "parse_schedule", "validate_schedule"]

ALIASES = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
# Around a DST change wall time and UTC differ by the change; looking this far
# either side of a moment finds any change near it (the largest are 2 hours).
_DST_WINDOW = timedelta(hours=3)
# A bound on candidates examined per answer: enough for a per-second
# expression across a one-hour clock change, finite for any expression.
_MAX_CANDIDATES = 20_000


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A validated cron expression and the IANA timezone its wall times are in."""

    expression: str
    timezone: ZoneInfo

    def next_after(self, after: datetime) -> datetime:
        """The first firing strictly after `after` (an aware datetime), in UTC."""
        start = _wall(after, self.timezone) - _dst_margin(after, self.timezone)
        for candidate in self._candidates(start, forward=True):
            instant = _instant(candidate, self.timezone)
            if instant > after:
                return instant
        raise ConfigError(f"cron {self.expression!r} has no firing after {after.isoformat()}")

    def latest_at_or_before(self, moment: datetime) -> datetime:
        """The last firing at or before `moment` (an aware datetime), in UTC."""
        start = _wall(moment, self.timezone) + _dst_margin(moment, self.timezone)
        # croniter's get_prev is strictly before its start: begin one second later.
        for candidate in self._candidates(start + timedelta(seconds=1), forward=False):
            instant = _instant(candidate, self.timezone)
            if instant <= moment:
                return instant
        raise ConfigError(f"cron {self.expression!r} has no firing before {moment.isoformat()}")

    def _candidates(self, start: datetime, *, forward: bool) -> Iterator[datetime]:
        matcher = croniter(self.expression, start)
        step = matcher.get_next if forward else matcher.get_prev
        try:
            for _ in range(_MAX_CANDIDATES):
                yield step(datetime)
        except CroniterError as exc:  # e.g. "0 0 30 2 *": no such day
            raise ConfigError(f"cron {self.expression!r} never fires: {exc}") from exc


def parse_schedule(expression: str, timezone: str) -> CronSchedule:
    """Check a cron expression and an IANA timezone name; ConfigError says what is wrong."""
    expression = " ".join(expression.split())
    fields = expression.split(" ")
    if not expression or (len(fields) not in (5, 6) and expression not in ALIASES):
        raise ConfigError(
            f"cron {expression!r} must have 5 fields (minute hour day month weekday), "
            "6 with seconds last, or be one of " + ", ".join(sorted(ALIASES))
        )
    if not croniter.is_valid(expression):
        raise ConfigError(
            f"cron {expression!r} is not a valid cron expression; for example '*/5 * * * *' "
            "fires every five minutes"
        )
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"timezone {timezone!r} is not an IANA timezone name such as 'Europe/Paris' or 'UTC'"
        ) from None
    schedule = CronSchedule(expression, zone)
    schedule.next_after(datetime.now(UTC))  # "0 0 30 2 *" is valid syntax but never fires
    return schedule


def validate_schedule(expression: str, timezone: str) -> None:
    """Raise ConfigError when the expression or the timezone is not usable (for a 422)."""
    parse_schedule(expression, timezone)


def next_fire_time(expression: str, timezone: str, after: datetime) -> datetime:
    """The first firing strictly after `after` (aware), in UTC; ConfigError if invalid."""
    return parse_schedule(expression, timezone).next_after(after)


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("cron times must be timezone-aware")
    return moment.astimezone(zone).replace(tzinfo=None, fold=0)


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _dst_margin(moment: datetime, zone: ZoneInfo) -> timedelta:
    """How far wall time may be out of step with UTC near `moment`: 0 away from a DST change."""
    before = (moment - _DST_WINDOW).astimezone(zone).utcoffset()
    after = (moment + _DST_WINDOW).astimezone(zone).utcoffset()
    # A ZoneInfo always has an offset.
    assert before is not None
    assert after is not None
    return abs(after - before)
