"""Argument checks shared by every pattern, so a bad value fails the same way everywhere.

Pattern arguments come from config files and CLI flags, so a bad one is a user
error: each check raises ConfigError with a message that starts with the
parameter's name and shows the value. Starting with the name lets the config
loader prefix the key path ("pattern.ramp_duration must be ...").
"""

from __future__ import annotations

import math

from loadforge.errors import ConfigError


def whole_number(name: str, value: object) -> int:
    """Return `value` if it is an int (not a bool, not a float such as 10.0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number, got {value!r}")
    return value


def user_count(name: str, value: object) -> int:
    """Return `value` if it is a whole number of users, 0 or more."""
    count = whole_number(name, value)
    if count < 0:
        raise ConfigError(f"{name} must be 0 or more, got {count}")
    return count


def seconds(name: str, value: object, *, allow_zero: bool) -> float:
    """Return `value` as float seconds if it is a finite, non-negative number.

    With allow_zero=False the value must be strictly positive, as periods and
    stage lengths must be for the formulas to mean anything.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ConfigError(f"{name} must be a finite number of seconds, got {value!r}")
    if number < 0 or (number == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "greater than 0"
        raise ConfigError(f"{name} must be {bound} seconds, got {value!r}")
    return number
