"""A day-shaped wave of load: soak tests that follow real traffic's daily rise and fall."""

from __future__ import annotations

import math
from dataclasses import dataclass

from loadforge.durations import format_duration
from loadforge.errors import ConfigError
from loadforge.patterns._maths import round_half_down, round_half_up
from loadforge.patterns._validation import seconds, user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity

__all__ = ["DiurnalPattern"]

_SNAP_DIGITS = 9


@dataclass(frozen=True, slots=True)
class DiurnalPattern(LoadPattern):
    """A cosine wave between `min_users` and `max_users`, repeating every `period`.

    Formula, with P = period (seconds, > 0):

        users_at(t) = round_half_up(min + (max - min) * (1 - cos(2π t / P)) / 2)

    so it is `min_users` at t = 0, `max_users` at P / 2 and `min_users` again at
    P. round_half_up(x) = floor(x + 1/2), applied after snapping the level to
    9 decimal places so that float error in cos cannot turn an exact half
    (0.5 users between 0 and 1 at P / 4) into a round-down. Requires
    max_users >= min_users.
    """

    min_users: int
    max_users: int
    period: float
    quantity: Quantity = USERS

    def __post_init__(self) -> None:
        user_count("min_users", self.min_users)
        user_count("max_users", self.max_users)
        if self.max_users < self.min_users:
            raise ConfigError(
                f"max_users ({self.max_users}) must be at least min_users ({self.min_users})"
            )
        object.__setattr__(self, "period", seconds("period", self.period, allow_zero=False))

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        return round_half_up(self._level(elapsed))

    def describe(self) -> str:
        """One line such as 'diurnal 10–110 users, period 10m'."""
        quantity = self.quantity
        return (
            f"diurnal {quantity.number(self.min_users)}–{quantity.number(self.max_users)} "
            f"{quantity.units}, period {format_duration(self.period)}"
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "diurnal", "min_users", "max_users", "period": seconds}."""
        return {
            "type": "diurnal",
            "min_users": self.min_users,
            "max_users": self.max_users,
            "period": self.period,
        }

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        if duration >= self.period / 2:
            return self.max_users
        # The wave only rises on [0, P/2), so the peak is at (or just before) the end.
        level = self._level(duration)
        return round_half_up(level) if include_end else round_half_down(level)

    def _level(self, elapsed: float) -> float:
        # Reducing the phase to [0, 1) first is exact and keeps long soak runs as
        # accurate as the first period; quarter periods stay exact multiples of τ.
        phase = (elapsed / self.period) % 1.0
        swing = (1 - math.cos(math.tau * phase)) / 2
        level = self.min_users + (self.max_users - self.min_users) * swing
        # cos(π/2) is 6e-17, not 0, in floats; snapping to 1e-9 keeps an exact
        # half (e.g. 0.5 at a quarter period) from falling below and rounding down.
        return round(level, _SNAP_DIGITS)
