"""A linear change in load: warm-up to a target, or a gradual cool-down."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from loadforge.durations import format_duration
from loadforge.patterns._maths import round_half_down, round_half_up
from loadforge.patterns._validation import seconds, user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity

__all__ = ["RampPattern"]


@dataclass(frozen=True, slots=True)
class RampPattern(LoadPattern):
    """Users move linearly from `start` to `end` over `ramp_duration`, then hold `end`.

    Formula, with d = ramp_duration (seconds, > 0):

        users_at(t) = round_half_up(start + (end - start) * t / d)   for 0 <= t < d
        users_at(t) = end                                            for t >= d

    round_half_up(x) = floor(x + 1/2): exact halves go up, so 0 → 1 over 10 s
    gives 1 user from t = 5 s, and 1 → 0 over 10 s still gives 1 user at 5 s.
    The linear value is computed with exact rational arithmetic from the given
    floats, so an exact half is never pushed down by float error. Ramping down
    (end < start) is allowed.
    """

    start: int
    end: int
    ramp_duration: float
    quantity: Quantity = USERS

    def __post_init__(self) -> None:
        user_count("start", self.start)
        user_count("end", self.end)
        object.__setattr__(
            self, "ramp_duration", seconds("ramp_duration", self.ramp_duration, allow_zero=False)
        )

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        if elapsed >= self.ramp_duration:
            return self.end
        return round_half_up(self._linear(elapsed))

    def describe(self) -> str:
        """One line such as 'ramp 10 → 100 users over 30s'."""
        quantity = self.quantity
        return (
            f"ramp {quantity.number(self.start)} → {quantity.number(self.end)} {quantity.units} "
            f"over {format_duration(self.ramp_duration)}"
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "ramp", "start": ..., "end": ..., "ramp_duration": seconds}."""
        return {
            "type": "ramp",
            "start": self.start,
            "end": self.end,
            "ramp_duration": self.ramp_duration,
        }

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        if self.end <= self.start:
            return self.start
        # Rising: the highest value is at (or, half-open, just before) the end.
        exact = self._linear(min(duration, self.ramp_duration))
        reached = round_half_up(exact) if include_end else round_half_down(exact)
        return max(self.start, reached)

    def _linear(self, elapsed: float) -> Fraction:
        progress = Fraction(elapsed) / Fraction(self.ramp_duration)
        return self.start + (self.end - self.start) * progress
