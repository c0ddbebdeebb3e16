"""The contract every traffic pattern fulfils: a target as a pure function of time.

A pattern's numbers count its `quantity`: virtual users in the closed model,
which the engine runs at each tick, or iterations started per unit of time
in the open model (see `patterns.quantity`). Keeping patterns free of
engine code and side effects makes them easy to test exactly and to reuse
for both.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator

from loadforge.patterns._validation import seconds
from loadforge.patterns.quantity import Quantity

__all__ = ["LoadPattern"]

# Relative slack when deciding whether the duration falls on a tick, so that
# duration 0.3 with tick 0.1 (0.3 / 0.1 == 2.9999999999999996) still ends on a tick.
_TICK_SLACK = 1e-9


class LoadPattern(ABC):
    """A target as a function of elapsed seconds, in whole numbers of its `quantity`.

    The target is concurrent users, or (open model) iterations started per
    the quantity's time unit; `users_at` and `peak_users` keep the closed
    model's names for both. Implementations are immutable value objects;
    every method is a pure function of its arguments, so a pattern can be
    shared between workers and evaluated at any time in any order.
    """

    __slots__ = ()

    @property
    @abstractmethod
    def quantity(self) -> Quantity:
        """What the pattern's numbers count: users, or iterations per a time unit."""

    @abstractmethod
    def users_at(self, elapsed: float) -> int:
        """The target at `elapsed` seconds (>= 0) since the start, in `quantity`."""

    @abstractmethod
    def describe(self) -> str:
        """One line in the pattern's quantity, e.g. 'ramp 10 → 100 users over 30s'."""

    @abstractmethod
    def to_config(self) -> dict[str, object]:
        """The plain-dict form that patterns.config.pattern_from_config reads back.

        The quantity is not in it: whoever reads it back says what the
        numbers count (the run's `--arrival-rate` does).
        """

    @abstractmethod
    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        """Exact highest target over [0, duration], or [0, duration) without the end.

        The half-open form exists for CompositePattern: a stage's last instant
        belongs to the next stage, so it must not count towards the peak.
        """

    def __rshift__(self, other: object) -> LoadPattern:
        """`self` for its length, then `other`: `ramp(0, 50, "30s") >> constant(50, "1m")`."""
        from loadforge.patterns.shapes import chain

        return chain(self, other)

    def __rrshift__(self, other: object) -> LoadPattern:
        """A user's shape, then this pattern: `Waves() >> constant(10, "1m")`."""
        from loadforge.patterns.shapes import chain

        return chain(other, self)

    @property
    def natural_duration(self) -> float | None:
        """A run length the pattern implies (a composite's total), else None."""
        return None

    def peak_users(self, duration_seconds: float, *, include_end: bool = True) -> int:
        """Highest target over [0, duration_seconds]; used to size user pools up front.

        With include_end=False the instant `duration_seconds` itself is left
        out, i.e. the peak over [0, duration_seconds). The value at 0 always
        counts. Raises ConfigError for a negative or non-finite duration.
        """
        duration = seconds("duration_seconds", duration_seconds, allow_zero=True)
        return self._peak_over(duration, include_end=include_end)

    def iter_concurrency(
        self, duration_seconds: float, tick_interval: float = 1.0
    ) -> Iterator[tuple[float, int]]:
        """Yield (elapsed, users_at(elapsed)) at 0, tick, 2*tick, ... up to the duration.

        The schedule the engine follows and the preview the CLI prints. The
        duration itself is included when it falls on a tick. Each elapsed is
        index * tick_interval, never a running sum, so float error does not
        accumulate over long runs. Arguments are checked here, before the
        first value is asked for, and bad ones raise ConfigError.
        """
        duration = seconds("duration_seconds", duration_seconds, allow_zero=True)
        tick = seconds("tick_interval", tick_interval, allow_zero=False)
        return self._ticks(_last_tick_index(duration, tick), tick)

    def _ticks(self, last_index: int, tick: float) -> Iterator[tuple[float, int]]:
        for index in range(last_index + 1):
            elapsed = index * tick
            yield elapsed, self.users_at(elapsed)


def _last_tick_index(duration: float, tick: float) -> int:
    """Index of the last tick at or before `duration`, forgiving float noise."""
    ratio = duration / tick
    nearest = round(ratio)
    if math.isclose(ratio, nearest, rel_tol=_TICK_SLACK, abs_tol=_TICK_SLACK):
        return nearest
    return math.floor(ratio)
