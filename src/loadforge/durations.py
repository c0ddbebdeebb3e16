"""Durations as people write them ("30s", "1m30s", "250ms") and back again.

Config files, CLI flags and pattern descriptions all speak in durations; one
parser and one formatter keep them consistent, so that whatever LoadForge prints
can be pasted back into a config file and means the same thing.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from loadforge.errors import ConfigError

__all__ = ["format_duration", "parse_duration"]

_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_PLAIN_NUMBER = re.compile(_NUMBER)
# Units must appear largest first, each at most once ("1h30m", not "30m1h"), so
# every accepted text has one obvious reading. `m(?!s)` keeps "5ms" from
# matching as five minutes followed by a stray "s".
_WITH_UNITS = re.compile(
    rf"(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m(?!s))?"
    rf"(?:(?P<s>{_NUMBER})s)?(?:(?P<ms>{_NUMBER})ms)?"
)
# Decimal keeps "1s100ms" at exactly 1.1 before the single conversion to float.
_UNIT_SECONDS = {"h": Decimal(3600), "m": Decimal(60), "s": Decimal(1), "ms": Decimal("0.001")}
_EXAMPLES = "a number of seconds or a text such as '90', '30s', '5m', '1h30m', '250ms'"
_MICROSECONDS_PER_SECOND = 1_000_000


def parse_duration(value: str | int | float, *, where: str = "duration") -> float:
    """Read a duration given as seconds (90, 90.5, "90") or with units ("1m30s", "250ms").

    Users write durations in config files and on the command line; this is the
    single place that decides what they may write. Returns seconds as a float.
    Raises ConfigError naming `where` and the offending value when the value is
    negative, empty, a bool, not finite or not in the accepted forms.
    """
    if isinstance(value, bool):
        raise ConfigError(f"{where} must be a duration ({_EXAMPLES}), got {value!r}")
    if isinstance(value, int | float):
        return _seconds_from_number(value, where)
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a duration ({_EXAMPLES}), got {value!r}")
    return _seconds_from_text(value, where)


def _seconds_from_number(value: int | float, where: str) -> float:
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds):
        raise ConfigError(f"{where} must be a finite number of seconds, got {value!r}")
    if seconds < 0:
        raise ConfigError(f"{where} must not be negative, got {value!r}")
    return seconds


def _seconds_from_text(value: str, where: str) -> float:
    text = value.strip()
    if not text:
        raise ConfigError(f"{where} is empty; give {_EXAMPLES}")
    if text.startswith("-"):
        raise ConfigError(f"{where} must not be negative, got {value!r}")
    if _PLAIN_NUMBER.fullmatch(text):
        return _finite(Decimal(text), value, where)
    match = _WITH_UNITS.fullmatch(text)
    if match is None:
        raise ConfigError(f"{where}: cannot read {value!r} as a duration; give {_EXAMPLES}")
    total = sum(
        (
            Decimal(amount) * _UNIT_SECONDS[unit]
            for unit, amount in match.groupdict().items()
            if amount is not None
        ),
        start=Decimal(0),
    )
    return _finite(total, value, where)


def _finite(total: Decimal, value: str, where: str) -> float:
    seconds = float(total)
    if not math.isfinite(seconds):
        raise ConfigError(f"{where} is too long to represent, got {value!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """Write `seconds` compactly in the form parse_duration reads: "30s", "1m30s", "250ms".

    Used in pattern descriptions and reports, where "1h0m5s" reads better than
    3605.0. Sub-second values use milliseconds ("250ms"); other fractions stay
    on the seconds ("1.5s"). Precision is one microsecond, which also hides
    float noise such as 0.30000000000000004. Raises ValueError for negative or
    non-finite values, which no validated duration can be.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"cannot format {seconds!r} as a duration")
    microseconds = round(seconds * _MICROSECONDS_PER_SECOND)
    if 0 < microseconds < _MICROSECONDS_PER_SECOND:
        return f"{_trim(f'{microseconds / 1000:.3f}')}ms"
    whole_seconds, fraction = divmod(microseconds, _MICROSECONDS_PER_SECOND)
    hours, rest = divmod(whole_seconds, 3600)
    minutes, secs = divmod(rest, 60)
    seconds_text = _trim(f"{secs}.{fraction:06d}")
    parts = [
        (hours > 0, f"{hours}h"),
        (minutes > 0, f"{minutes}m"),
        (secs > 0 or fraction > 0, f"{seconds_text}s"),
    ]
    shown = [index for index, (nonzero, _) in enumerate(parts) if nonzero]
    if not shown:
        return "0s"
    # Zero units between the largest and smallest are kept ("1h0m5s") so each
    # number stays next to its unit and the text parses back unambiguously.
    return "".join(text for _, text in parts[shown[0] : shown[-1] + 1])


def _trim(number: str) -> str:
    """Drop trailing zeros and a bare trailing point from a fixed-point number."""
    return number.rstrip("0").rstrip(".") if "." in number else number
