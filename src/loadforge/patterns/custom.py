"""A pattern the user writes: any object with `users_at(t)` (or `rate_at(t)`) and a `duration`.

Locust's load shape is one `tick()` method; here a user's shape is one pure
function of time plus its length. `CustomPattern` adapts it to `LoadPattern`
and checks it once, when the scenario file is imported: the function is
called at every scale tick of its duration (at most `MAX_SAMPLES` times),
and a value that is not a finite number of 0 or more, or an exception, is a
ConfigError that names the shape and the time. The samples also give the
peak that sizes the user pool, so the engine never calls user code to ask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from loadforge.durations import format_duration, parse_duration
from loadforge.errors import ConfigError
from loadforge.patterns._maths import round_half_up
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import FINE_TIME_UNIT, USERS, Quantity

__all__ = ["MAX_SAMPLES", "SAMPLE_SECONDS", "CustomPattern", "is_shape"]

# The engine re-reads its pattern every 0.1 s (engine.settings.SCALE_TICK_SECONDS),
# so the import-time check samples the shape as often, up to a bound that keeps
# a day-long shape's check under a second.
SAMPLE_SECONDS = 0.1
MAX_SAMPLES = 100_000
_RATE = Quantity(time_unit=FINE_TIME_UNIT)


def is_shape(value: object) -> bool:
    """Whether `value` looks like a user's shape: `users_at` or `rate_at`, and `duration`."""
    has_function = callable(getattr(value, "users_at", None)) or callable(
        getattr(value, "rate_at", None)
    )
    return has_function and hasattr(value, "duration")


@dataclass(frozen=True, slots=True)
class CustomPattern(LoadPattern):
    """A user's shape as a pattern: its value at `t`, held after its `duration`.

    `users_at(t)` counts users (the closed model); `rate_at(t)` counts
    iterations started per second (the open model), in steps of 0.001/s.
    Values are rounded half up to whole numbers of the quantity. Built with
    `CustomPattern.of(shape)`, which checks the shape.
    """

    shape: object
    duration: float
    name: str
    quantity: Quantity = USERS
    _samples: tuple[tuple[float, int], ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, shape: object) -> CustomPattern:
        """Check `shape` (an instance, or a class made with no arguments) and adapt it."""
        if isinstance(shape, type):
            kind = shape.__name__
            try:
                shape = shape()
            except Exception as exc:
                raise ConfigError(
                    f"pattern {kind} cannot be made with no arguments ({exc}); "
                    f"give an instance: pattern={kind}(...)"
                ) from None
        name = type(shape).__name__
        if not is_shape(shape):
            raise ConfigError(
                f"pattern {name} needs a users_at(t) or rate_at(t) method and a duration"
            )
        if callable(getattr(shape, "users_at", None)) and callable(getattr(shape, "rate_at", None)):
            raise ConfigError(f"pattern {name} has both users_at and rate_at; keep one")
        duration = _duration(name, getattr(shape, "duration"))  # noqa: B009 - checked above
        quantity = USERS if callable(getattr(shape, "users_at", None)) else _RATE
        pattern = cls(shape, duration, name, quantity)
        object.__setattr__(pattern, "_samples", pattern._sample())
        return pattern

    @property
    def natural_duration(self) -> float:
        """The shape's own duration: how long a run of it lasts unless told otherwise."""
        return self.duration

    def users_at(self, elapsed: float) -> int:
        """The shape's value at `elapsed` seconds (its last value after its duration)."""
        return self._count(min(elapsed, self.duration))

    def describe(self) -> str:
        """One line such as 'Waves (custom): up to 40 users over 2m'."""
        peak = max(count for _, count in self._samples)
        return (
            f"{self.name} (custom): up to {self.quantity.number(peak)} {self.quantity.units} "
            f"over {format_duration(self.duration)}"
        )

    def to_config(self) -> dict[str, object]:
        """{"type": "custom", "name", "duration"}: a record only, as code cannot be a table."""
        return {"type": "custom", "name": self.name, "duration": self.duration}

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        seen = [
            count
            for moment, count in self._samples
            if moment < duration or (moment == duration and include_end) or moment == 0
        ]
        return max(seen)

    def _sample(self) -> tuple[tuple[float, int], ...]:
        ticks = min(MAX_SAMPLES, math.ceil(self.duration / SAMPLE_SECONDS))
        step = self.duration / ticks
        moments = [index * step for index in range(ticks)] + [self.duration]
        return tuple((moment, self._count(moment)) for moment in moments)

    def _count(self, elapsed: float) -> int:
        method = "users_at" if self.quantity == USERS else "rate_at"
        try:
            value = getattr(self.shape, method)(elapsed)
        except Exception as exc:
            raise ConfigError(
                f"pattern {self.name}.{method}({elapsed:g}) raised {type(exc).__name__}: {exc}"
            ) from None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ConfigError(
                f"pattern {self.name}.{method}({elapsed:g}) returned {value!r}; "
                "it must return a finite number"
            )
        if value < 0:
            raise ConfigError(
                f"pattern {self.name}.{method}({elapsed:g}) returned {value!r}; "
                "it must be 0 or more"
            )
        scale = self.quantity.time_unit or 1
        return round_half_up(value * scale)


def _duration(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(
            f"pattern {name}.duration must be seconds or a text such as '2m', got {value!r}"
        )
    seconds = parse_duration(value, where=f"pattern {name}.duration")
    if seconds <= 0:
        raise ConfigError(f"pattern {name}.duration must be more than 0 seconds, got {value!r}")
    return seconds
