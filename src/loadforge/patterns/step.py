"""A staircase of load: find the level where latency or errors start to climb."""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.durations import format_duration
from loadforge.errors import ConfigError
from loadforge.patterns._validation import seconds, user_count, whole_number
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity

__all__ = ["StepPattern"]


@dataclass(frozen=True, slots=True)
class StepPattern(LoadPattern):
    """Users start at `start` and change by `step_size` every `step_duration`, `steps` times.

    Formula, with d = step_duration (seconds, > 0):

        users_at(t) = start + step_size * min(steps, floor(t / d))

    so the first step lands at t = d and the last at t = steps * d, after which
    the level holds. `step_size` may be negative (stepping down) as long as the
    last level is not below 0.
    """

    start: int
    step_size: int
    step_duration: float
    steps: int
    quantity: Quantity = USERS

    def __post_init__(self) -> None:
        user_count("start", self.start)
        whole_number("step_size", self.step_size)
        object.__setattr__(
            self, "step_duration", seconds("step_duration", self.step_duration, allow_zero=False)
        )
        user_count("steps", self.steps)
        if self.final_users < 0:
            raise ConfigError(
                f"step_size {self.step_size} would take users below 0 ({self.final_users}) "
                f"after {self.steps} steps from start {self.start}"
            )

    @property
    def final_users(self) -> int:
        """The level after the last step, held for the rest of the run."""
        return self.start + self.step_size * self.steps

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        # Float floor division is exact (unlike floor(t / d)), so t = 3 * d is step 3.
        completed = int(elapsed // self.step_duration)
        return self.start + self.step_size * min(self.steps, completed)

    def describe(self) -> str:
        """One line such as 'step 10 → 60 users: +10 every 10s, 5 steps'."""
        quantity = self.quantity
        return (
            f"step {quantity.number(self.start)} → {quantity.number(self.final_users)} "
            f"{quantity.units}: {quantity.number(self.step_size, signed=True)} every "
            f"{format_duration(self.step_duration)}, {self.steps} steps"
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "step", "start", "step_size", "step_duration": seconds, "steps"}."""
        return {
            "type": "step",
            "start": self.start,
            "step_size": self.step_size,
            "step_duration": self.step_duration,
            "steps": self.steps,
        }

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        if self.step_size <= 0:
            return self.start
        whole, remainder = divmod(duration, self.step_duration)
        completed = int(whole)
        if remainder == 0 and completed > 0 and not include_end:
            # The step landing exactly at the excluded end is not reached.
            completed -= 1
        return self.start + self.step_size * min(self.steps, completed)
