"""Fractional arrival rates on whole-number patterns.

Patterns are whole numbers of users (their rounding rules are exact and
tested). The open model reads a pattern's value as iterations per second, so
a rate below 1/s, or between two whole rates, is carried by building the
pattern in thousandths of an iteration per second: `--arrival-rate 0.5` is a
constant pattern of 500 units of 0.001/s. Whole rates keep a unit of 1, so
their patterns, descriptions and results read exactly as before.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from loadforge.errors import ConfigError

WHOLE = 1.0
MILLI = 0.001

# A number standing alone in a pattern's description (a user count), not the
# digits of a duration such as "30s" or "1m30s".
_COUNT = re.compile(r"(?<![\w.])([+-]?)(\d+)(?![\w.])")


def rate_unit(rate: float) -> float:
    """The unit `rate` (iterations/s) is counted in: 1 when whole, else 0.001.

    Raises ConfigError for a rate that is not > 0 or finer than 0.001/s.
    """
    if not (math.isfinite(rate) and rate > 0):
        raise ConfigError(f"--arrival-rate must be more than 0 per second, got {rate:g}.")
    if float(rate).is_integer():
        return WHOLE
    to_units(rate, MILLI, "--arrival-rate")
    return MILLI


def to_units(value: float, unit: float, flag: str) -> int:
    """`value` counted in `unit`; ConfigError when it is not a whole number of units."""
    if unit == WHOLE:
        if not float(value).is_integer():
            raise ConfigError(f"{flag} must be a whole number here, got {value:g}.")
        return int(value)
    units = Fraction(str(value)) / Fraction(str(unit))
    if units.denominator != 1:
        raise ConfigError(f"{flag} is counted in steps of {unit:g} per second, got {value:g}.")
    return int(units)


def describe_in_units(text: str, unit: float) -> str:
    """A pattern's description with every user count read as `unit` iterations/s."""
    if unit == WHOLE:
        return text

    def rescale(match: re.Match[str]) -> str:
        rate = Fraction(int(match.group(2))) * Fraction(str(unit))
        return f"{match.group(1)}{float(rate):g}"

    return _COUNT.sub(rescale, text)
