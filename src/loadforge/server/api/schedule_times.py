"""Cron expressions and timezones as the API checks them, one field at a time.

The scheduling package (`loadforge.server.scheduling.cron`) owns what a cron
expression means, DST included; this module only splits its check into the
two fields a 422 can name, and re-exports its next-firing computation.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loadforge.errors import ConfigError
from loadforge.server.scheduling import next_fire_time, parse_schedule

__all__ = ["check_cron", "check_timezone", "next_fire_time"]


def check_cron(expression: str) -> str:
    """The expression unchanged; ConfigError when it cannot be read or never fires."""
    parse_schedule(expression, "UTC")
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
