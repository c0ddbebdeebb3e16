"""A sudden burst of load: check how the system copes with, and recovers from, a surge."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from loadforge.durations import format_duration
from loadforge.patterns._maths import reaches, round_half_up
from loadforge.patterns._validation import seconds, user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import USERS, Quantity
from loadforge.patterns.ramp import RampPattern

__all__ = ["SpikePattern"]


@dataclass(frozen=True, slots=True)
class SpikePattern(LoadPattern):
    """`base` users, jumping to `spike_users` for `spike_duration` from `spike_at`, then `sustain`.

    `spike_users` is the total at the spike's peak, not an amount added to
    `base`. After the peak the load settles to `sustain` (default: `base`),
    over `decay` seconds (default 0: at once). Formula, with a = spike_at
    (>= 0), w = spike_duration (> 0), e = a + w and k = decay (>= 0):

        users_at(t) = base          for t < a
        users_at(t) = spike_users   for a <= t < e
        users_at(t) = round_half_up(spike_users + (sustain - spike_users) * (t - e) / k)
                                    for e <= t < e + k
        users_at(t) = sustain       for t >= e + k

    The decay rounds as a ramp does (see `RampPattern`). `spike_users`
    below `base` gives a dip, which is allowed; so does a `sustain` above
    the peak.
    """

    base: int
    spike_users: int
    spike_at: float
    spike_duration: float
    quantity: Quantity = USERS
    sustain: int | None = None
    decay: float = 0.0

    def __post_init__(self) -> None:
        user_count("base", self.base)
        user_count("spike_users", self.spike_users)
        object.__setattr__(self, "spike_at", seconds("spike_at", self.spike_at, allow_zero=True))
        object.__setattr__(
            self,
            "spike_duration",
            seconds("spike_duration", self.spike_duration, allow_zero=False),
        )
        sustain = self.base if self.sustain is None else user_count("sustain", self.sustain)
        object.__setattr__(self, "sustain", sustain)
        object.__setattr__(self, "decay", seconds("decay", self.decay, allow_zero=True))

    @property
    def spike_end(self) -> float:
        """The instant the load starts to settle from the peak."""
        return self.spike_at + self.spike_duration

    @property
    def settled_at(self) -> float:
        """The instant the load reaches its sustain level."""
        return self.spike_end + self.decay

    @property
    def sustain_level(self) -> int:
        """Where the load settles after the spike (`base` unless `sustain` was given)."""
        return self.base if self.sustain is None else self.sustain

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        if elapsed < self.spike_at:
            return self.base
        if elapsed < self.spike_end:
            return self.spike_users
        if elapsed < self.settled_at:
            progress = Fraction(elapsed - self.spike_end) / Fraction(self.decay)
            return round_half_up(
                self.spike_users + (self.sustain_level - self.spike_users) * progress
            )
        return self.sustain_level

    def describe(self) -> str:
        """One line such as 'spike 10 → 100 users at 10s for 5s, settling to 30 over 10s'."""
        quantity = self.quantity
        line = (
            f"spike {quantity.number(self.base)} → {quantity.number(self.spike_users)} "
            f"{quantity.units} at {format_duration(self.spike_at)} "
            f"for {format_duration(self.spike_duration)}"
        )
        if self.sustain_level != self.base or self.decay:
            line += f", settling to {quantity.number(self.sustain_level)}"
            if self.decay:
                line += f" over {format_duration(self.decay)}"
        return line

    def to_config(self) -> dict[str, object]:
        """{"type": "spike", "base", "spike_users", "spike_at", "spike_duration", ...}.

        `sustain` and `decay` follow, and are written only when they differ from their
        defaults, so a plain spike's table reads as it always did.
        """
        config: dict[str, object] = {
            "type": "spike",
            "base": self.base,
            "spike_users": self.spike_users,
            "spike_at": self.spike_at,
            "spike_duration": self.spike_duration,
        }
        if self.sustain_level != self.base:
            config["sustain"] = self.sustain_level
        if self.decay:
            config["decay"] = self.decay
        return config

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        seen: list[int] = []
        if self.spike_at > 0:
            seen.append(self.base)
        if reaches(self.spike_at, duration, include_end=include_end):
            seen.append(self.spike_users)
        if reaches(self.spike_end, duration, include_end=include_end):
            seen.append(self._tail_peak(duration - self.spike_end, include_end=include_end))
        return max(seen)

    def _tail_peak(self, duration: float, *, include_end: bool) -> int:
        """The highest target from the spike's end on: a ramp to `sustain`, or `sustain` at once."""
        if not self.decay:
            return self.sustain_level
        tail = RampPattern(self.spike_users, self.sustain_level, self.decay, self.quantity)
        return tail.peak_users(duration, include_end=include_end)
