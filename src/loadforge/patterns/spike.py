"""A sudden burst of load: check how the system copes with, and recovers from, a surge."""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.durations import format_duration
from loadforge.patterns._maths import reaches
from loadforge.patterns._validation import seconds, user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity

__all__ = ["SpikePattern"]


@dataclass(frozen=True, slots=True)
class SpikePattern(LoadPattern):
    """`base` users, jumping instantly to `spike_users` for `spike_duration` from `spike_at`.

    `spike_users` is the total at the spike's peak, not an amount added to
    `base`. Formula, with a = spike_at (>= 0) and w = spike_duration (> 0):

        users_at(t) = base          for t < a
        users_at(t) = spike_users   for a <= t < a + w
        users_at(t) = base          for t >= a + w

    `spike_users` below `base` gives a dip, which is allowed.
    """

    base: int
    spike_users: int
    spike_at: float
    spike_duration: float
    quantity: Quantity = USERS

    def __post_init__(self) -> None:
        user_count("base", self.base)
        user_count("spike_users", self.spike_users)
        object.__setattr__(self, "spike_at", seconds("spike_at", self.spike_at, allow_zero=True))
        object.__setattr__(
            self,
            "spike_duration",
            seconds("spike_duration", self.spike_duration, allow_zero=False),
        )

    @property
    def spike_end(self) -> float:
        """The instant the load drops back to `base`."""
        return self.spike_at + self.spike_duration

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        if self.spike_at <= elapsed < self.spike_end:
            return self.spike_users
        return self.base

    def describe(self) -> str:
        """One line such as 'spike 10 → 100 users at 10s for 5s'."""
        quantity = self.quantity
        return (
            f"spike {quantity.number(self.base)} → {quantity.number(self.spike_users)} "
            f"{quantity.units} at {format_duration(self.spike_at)} "
            f"for {format_duration(self.spike_duration)}"
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "spike", "base", "spike_users", "spike_at", "spike_duration"}."""
        return {
            "type": "spike",
            "base": self.base,
            "spike_users": self.spike_users,
            "spike_at": self.spike_at,
            "spike_duration": self.spike_duration,
        }

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        seen: list[int] = []
        # Base shows before the spike, or after it when the spike starts at 0.
        if self.spike_at > 0 or reaches(self.spike_end, duration, include_end=include_end):
            seen.append(self.base)
        if reaches(self.spike_at, duration, include_end=include_end):
            seen.append(self.spike_users)
        return max(seen)
