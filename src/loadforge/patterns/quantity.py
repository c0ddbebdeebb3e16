"""What a pattern's numbers count: users, or iterations started per unit of time.

Patterns work in whole numbers, so that their rounding rules stay exact. A
`Quantity` says what one of those numbers is: a user (the closed model), or
an iteration started per `time_unit` seconds (the open model), as k6's
`rate` and `timeUnit` are. A whole rate counts per second; a fractional
one, such as 0.5/s, counts per 1000 s (500 iterations per 1000 s), so that
every rate in steps of 0.001/s is a whole number and a ramp between two
rates moves in those steps. A pattern describes itself in its quantity, and
a rate always reads per second: "ramp 0.5 → 2 iterations/s over 10s".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from loadforge.errors import ConfigError

__all__ = ["ITERATIONS_PER_SECOND", "USERS", "Quantity", "iterations_at"]

# The time unit of a fractional rate: rates are accepted in steps of 1/FINE_TIME_UNIT per second.
FINE_TIME_UNIT = 1000


@dataclass(frozen=True, slots=True)
class Quantity:
    """Users (`time_unit` None), or iterations started per `time_unit` seconds."""

    time_unit: int | None = None

    def __post_init__(self) -> None:
        unit = self.time_unit
        if unit is not None and (isinstance(unit, bool) or not isinstance(unit, int) or unit < 1):
            raise ConfigError(f"time_unit must be a whole number of seconds, got {unit!r}")

    def __str__(self) -> str:
        if self.time_unit is None:
            return "users"
        if self.time_unit == 1:
            return "iterations per second"
        return f"iterations per {self.time_unit} s"

    @property
    def is_rate(self) -> bool:
        """Whether the numbers are iterations per unit of time (the open model)."""
        return self.time_unit is not None

    @property
    def units(self) -> str:
        """The unit of several: 'users', or 'iterations/s'."""
        return "iterations/s" if self.is_rate else "users"

    def level(self, count: int) -> float:
        """What the load drivers follow for `count`: users, or iterations per second."""
        return count / self.time_unit if self.time_unit is not None else float(count)

    def number(self, count: int, *, signed: bool = False) -> str:
        """`count` as a person reads it: '10' users, '0.5' iterations/s; '+10' when `signed`."""
        text = _decimal(Fraction(count, self.time_unit or 1))
        return f"+{text}" if signed and count >= 0 else text

    def amount(self, count: int) -> str:
        """`count` with its unit: '10 users', '1 user', '0.5 iterations/s', '1 iteration/s'."""
        one = self.level(count) == 1
        if self.is_rate:
            unit = "iteration/s" if one else "iterations/s"
        else:
            unit = "user" if one else "users"
        return f"{self.number(count)} {unit}"

    def count_of(self, value: float, flag: str) -> int:
        """`value` (users, or iterations per second) as a whole number of this quantity.

        Raises ConfigError, naming `flag`, when it is not one.
        """
        if self.time_unit in (None, 1):
            if not float(value).is_integer():
                raise ConfigError(f"{flag} must be a whole number here, got {value:g}.")
            return int(value)
        counts = Fraction(str(value)) * self.time_unit
        if counts.denominator != 1:
            step = 1 / self.time_unit
            raise ConfigError(f"{flag} is counted in steps of {step:g} per second, got {value:g}.")
        return int(counts)


USERS = Quantity()
ITERATIONS_PER_SECOND = Quantity(time_unit=1)


def iterations_at(rate: float, flag: str = "--arrival-rate") -> Quantity:
    """The quantity a pattern starting `rate` iterations per second counts in.

    Per second when `rate` is whole, else per `FINE_TIME_UNIT` seconds.
    Raises ConfigError for a rate that is not more than 0, or finer than
    the fine time unit allows (0.0005/s).
    """
    if not (math.isfinite(rate) and rate > 0):
        raise ConfigError(f"{flag} must be more than 0 per second, got {rate:g}.")
    if float(rate).is_integer():
        return ITERATIONS_PER_SECOND
    fine = Quantity(time_unit=FINE_TIME_UNIT)
    fine.count_of(rate, flag)
    return fine


def _decimal(value: Fraction) -> str:
    """`value` in decimal: exact where it has a finite decimal form, else to 6 digits."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{float(value):.6g}"
    return f"{float(value):.{max(twos, fives)}f}"
