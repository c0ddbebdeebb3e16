"""Patterns written in Python: `ramp(0, 50, "30s") >> constant(50, "1m") >> spike(...)`.

Each helper builds the same pattern objects the flags and the `[pattern]`
table build. A helper given a length returns a one-stage `CompositePattern`,
so that `>>` can chain it: `a >> b` runs `a` for its length, then `b`, and
the whole has the sum as its length (`natural_duration`), which a run uses
when no `--duration` is given. Durations are seconds or texts like "30s".
A user's own shape (an object with `users_at(t)` or `rate_at(t)` and a
`duration`) chains the same way, through `as_pattern`.
"""

from __future__ import annotations

from loadforge.durations import parse_duration
from loadforge.errors import ConfigError
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.composite import CompositePattern
from loadforge.patterns.constant import ConstantPattern
from loadforge.patterns.custom import CustomPattern, is_shape
from loadforge.patterns.diurnal import DiurnalPattern
from loadforge.patterns.ramp import RampPattern
from loadforge.patterns.spike import SpikePattern
from loadforge.patterns.step import StepPattern

__all__ = ["as_pattern", "chain", "constant", "diurnal", "ramp", "spike", "step"]

Seconds = float | int | str


def constant(users: int, duration: Seconds | None = None) -> LoadPattern:
    """`users` throughout; with a `duration`, a stage that lasts that long.

    >>> constant(50, "1m").describe()
    'constant 50 users for 1m'
    """
    return _staged(ConstantPattern(users), duration, "constant")


def ramp(start: int, end: int, duration: Seconds) -> LoadPattern:
    """From `start` to `end` users, linearly, over `duration`: a stage of that length.

    >>> ramp(0, 50, "30s").natural_duration
    30.0
    """
    seconds = _seconds(duration, "ramp")
    return _staged(RampPattern(start, end, seconds), seconds, "ramp")


def step(start: int, step_size: int, step_duration: Seconds, steps: int) -> LoadPattern:
    """`start` users, `step_size` more every `step_duration`, `steps` times.

    Each level holds for `step_duration`, the last one included, so the
    stage lasts (steps + 1) × step_duration.
    """
    each = _seconds(step_duration, "step")
    return _staged(StepPattern(start, step_size, each, steps), each * (steps + 1), "step")


def spike(
    base: int,
    peak: int,
    at: Seconds,
    duration: Seconds,
    *,
    sustain: int | None = None,
    decay: Seconds = 0,
    hold: Seconds = 0,
) -> LoadPattern:
    """`base` users, `peak` from `at` for `duration`, then `sustain` (default `base`).

    The load settles from the peak to `sustain` over `decay` (default: at
    once) and holds it for `hold` more: the stage ends then.

    >>> spike(10, 100, "10s", "5s", sustain=30, decay="10s").natural_duration
    25.0
    """
    pattern = SpikePattern(
        base,
        peak,
        _seconds(at, "spike at"),
        _seconds(duration, "spike"),
        sustain=sustain,
        decay=_seconds(decay, "spike decay"),
    )
    return _staged(pattern, pattern.settled_at + _seconds(hold, "spike hold"), "spike")


def diurnal(
    min_users: int, max_users: int, period: Seconds, duration: Seconds | None = None
) -> LoadPattern:
    """A day's cycle between `min_users` and `max_users` every `period`; a stage with `duration`."""
    pattern = DiurnalPattern(min_users, max_users, _seconds(period, "diurnal period"))
    return _staged(pattern, duration, "diurnal")


def as_pattern(value: object) -> LoadPattern:
    """A `LoadPattern` as is; a user's shape (`users_at`/`rate_at` and `duration`) adapted.

    Raises ConfigError for anything else, saying what a pattern must have.
    """
    if isinstance(value, LoadPattern):
        return value
    if is_shape(value) or isinstance(value, type):
        return CustomPattern.of(value)
    raise ConfigError(
        f"a pattern must be a LoadPattern (ramp(...) >> constant(...)) or an object with "
        f"users_at(t) or rate_at(t) and a duration, got {value!r}"
    )


def chain(first: object, second: object) -> CompositePattern:
    """`first` then `second` (what `>>` does): each needs a length of its own."""
    stages = [*_stages(as_pattern(first)), *_stages(as_pattern(second))]
    return CompositePattern(stages)


def _stages(pattern: LoadPattern) -> list[tuple[LoadPattern, float]]:
    if isinstance(pattern, CompositePattern):
        return list(pattern.stages)
    length = pattern.natural_duration
    if length is None:
        raise ConfigError(
            f"{pattern.describe()} has no length to chain with >>; give it one, "
            "e.g. constant(50, duration='1m')"
        )
    return [(pattern, length)]


def _staged(pattern: LoadPattern, duration: Seconds | None, what: str) -> LoadPattern:
    if duration is None:
        return pattern
    return CompositePattern([(pattern, _seconds(duration, what))])


def _seconds(value: Seconds, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"{what}: a duration is seconds or a text such as '30s', got {value!r}")
    return parse_duration(value, where=what)
