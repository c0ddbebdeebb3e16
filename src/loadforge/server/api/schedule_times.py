"""Cron expressions and timezones: validation and the next fire time.

The scheduler loop (loadforge.server.scheduling) decides when to fire; this
module only answers what the API shows and checks: is the expression valid,
is the timezone known, when is the next firing after a moment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from loadforge.errors import ConfigError


def check_cron(expression: str) -> str:
    """The expression unchanged; ConfigError when croniter cannot read it."""
    if not croniter.is_valid(expression):
        raise ConfigError(
            f"{expression!r} is not a cron expression; write five fields such as '*/5 * * * *'."
        )
    return expression


def check_timezone(name: str) -> str:
    """The name unchanged; ConfigError when it is not an IANA timezone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name!r} is not a known timezone such as 'UTC' or 'Europe/Paris'."
        ) from None
    return name


def next_fire_time(expression: str, timezone: str, after: datetime) -> datetime:
    """The first firing strictly after `after`, in UTC."""
    local = after.astimezone(ZoneInfo(timezone))
    following: datetime = croniter(expression, local).get_next(datetime)
    return following.astimezone(UTC)
