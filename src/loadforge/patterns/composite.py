"""Patterns chained one after another: a whole test plan (warm up, hold, spike, cool down)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from loadforge.durations import format_duration
from loadforge.errors import ConfigError
from loadforge.patterns._maths import reaches
from loadforge.patterns._validation import seconds
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import Quantity

__all__ = ["CompositePattern"]


@dataclass(frozen=True, slots=True)
class CompositePattern(LoadPattern):
    """Stages of (pattern, duration) run in order, each on its own clock starting at 0.

    Formula, with stage i running `pattern_i` for `d_i` seconds from
    s_i = d_0 + ... + d_(i-1):

        users_at(t) = pattern_i.users_at(t - s_i)       for s_i <= t < s_i + d_i
        users_at(t) = pattern_last.users_at(d_last)     for t >= total duration

    i.e. after the last stage the load holds where that stage ended. Needs at
    least one stage; every duration must be > 0, and every stage must count
    the same quantity, which is the composite's. natural_duration is the
    total. Stages are stored as a tuple so the pattern stays immutable and
    hashable.
    """

    stages: Sequence[tuple[LoadPattern, float]]

    def __post_init__(self) -> None:
        if isinstance(self.stages, str | bytes) or not isinstance(self.stages, Sequence):
            raise ConfigError(
                f"stages must be a sequence of (pattern, duration), got {self.stages!r}"
            )
        if not self.stages:
            raise ConfigError("stages must not be empty: a composite needs at least one stage")
        object.__setattr__(
            self,
            "stages",
            tuple(_checked_stage(index, stage) for index, stage in enumerate(self.stages)),
        )
        first = self.stages[0][0].quantity
        for index, (pattern, _) in enumerate(self.stages):
            if pattern.quantity != first:
                raise ConfigError(
                    f"stages[{index}] counts {pattern.quantity}, stages[0] {first}: "
                    "every stage must count the same quantity"
                )

    @property
    def quantity(self) -> Quantity:
        """What every stage counts."""
        return self.stages[0][0].quantity

    @property
    def natural_duration(self) -> float:
        """The sum of the stage durations: how long the plan takes."""
        *_, (_, end, _, _) = self._timeline()
        return end

    def users_at(self, elapsed: float) -> int:
        """Target users at `elapsed` seconds, per the formula above."""
        for start, end, pattern, _ in self._timeline():
            if elapsed < end:
                return pattern.users_at(elapsed - start)
        last_pattern, last_duration = self.stages[-1]
        return last_pattern.users_at(last_duration)

    def describe(self) -> str:
        """One line such as 'ramp 0 → 50 users over 10s for 10s, then constant 50 users for 1m'."""
        return ", then ".join(
            f"{pattern.describe()} for {format_duration(duration)}"
            for pattern, duration in self.stages
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "composite", "stages": [{...stage config, "duration": seconds}, ...]}."""
        stages: list[dict[str, object]] = [
            {**pattern.to_config(), "duration": duration} for pattern, duration in self.stages
        ]
        return {"type": "composite", "stages": stages}

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        peak = 0
        last_index = len(self.stages) - 1
        for index, (start, end, pattern, stage_duration) in enumerate(self._timeline()):
            if index > 0 and not reaches(start, duration, include_end=include_end):
                break
            if duration < end:
                stage_peak = pattern.peak_users(duration - start, include_end=include_end)
            else:
                # A finished stage's last instant belongs to the next stage, except
                # for the last stage, whose end value is held once reached.
                held = index == last_index and reaches(end, duration, include_end=include_end)
                stage_peak = pattern.peak_users(stage_duration, include_end=held)
            peak = max(peak, stage_peak)
        return peak

    def _timeline(self) -> Iterator[tuple[float, float, LoadPattern, float]]:
        """(start, end, pattern, duration) per stage, with one shared running sum."""
        start = 0.0
        for pattern, stage_duration in self.stages:
            end = start + stage_duration
            yield start, end, pattern, stage_duration
            start = end


def _checked_stage(index: int, stage: object) -> tuple[LoadPattern, float]:
    name = f"stages[{index}]"
    if not isinstance(stage, tuple) or len(stage) != 2:
        raise ConfigError(f"{name} must be a (pattern, duration) pair, got {stage!r}")
    pattern, stage_duration = stage
    if not isinstance(pattern, LoadPattern):
        raise ConfigError(f"{name} pattern must be a LoadPattern, got {pattern!r}")
    return pattern, seconds(f"{name}.duration", stage_duration, allow_zero=False)
