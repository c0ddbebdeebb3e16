"""Patterns run side by side: a run of several scenarios, each following a pattern of its own.

`loadforge run shop.py --scenario all`, where `Browse` carries
``ramp(0, 20, "30s")`` and `Admin` ``constant(1)``, runs the sum of the two,
each scenario's users following its own part. The engine follows each part
(`LoadSettings.lanes`); the sum is the run's own pattern for everything that
reads one (its description, target users, pool sizes).

The parts may mix the two models, as k6 runs a `constant-vus` scenario
beside a `constant-arrival-rate` one: `Browse` on ``constant(20)`` users and
`Buy` on ``arrival_rate(5)``. Such a run is `mixed`; its `quantity` is the
rate parts' (the run starts iterations at a rate, and its closed parts run
beside it), and the engine reads each part in its own quantity
(`LoadSettings.lanes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loadforge.errors import ConfigError
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.quantity import Quantity

__all__ = ["ParallelPattern"]


@dataclass(frozen=True, slots=True)
class ParallelPattern(LoadPattern):
    """Named parts run at once; the target is theirs added up.

    Formula: users_at(t) = Σ part_i.users_at(t). There are at least two
    parts, with distinct names (their scenarios'). Parts count users or a
    rate, each in its own quantity (a rate per second, or per 1000 s); the
    sum is exact when they all count one quantity. The engine never reads
    the sum: it reads each part in its own quantity (`LoadSettings.lanes`).
    """

    parts: Sequence[tuple[str, LoadPattern]]

    def __post_init__(self) -> None:
        parts = tuple(self.parts)
        if len(parts) < 2:
            raise ConfigError("a parallel pattern needs at least two parts")
        names = [name for name, _ in parts]
        if len(set(names)) != len(names):
            raise ConfigError(f"the parts of a parallel pattern need distinct names, got {names}")
        object.__setattr__(self, "parts", parts)

    @property
    def quantity(self) -> Quantity:
        """What the parts count: the first rate part's quantity when any is a rate, else users."""
        for _, pattern in self.parts:
            if pattern.quantity.is_rate:
                return pattern.quantity
        return self.parts[0][1].quantity

    @property
    def mixed(self) -> bool:
        """Whether some parts count users and others a rate (the two models side by side)."""
        return len({pattern.quantity.is_rate for pattern in self.patterns}) > 1

    @property
    def patterns(self) -> tuple[LoadPattern, ...]:
        """The parts' patterns, in order."""
        return tuple(pattern for _, pattern in self.parts)

    @property
    def natural_duration(self) -> float | None:
        """The longest of the parts' own lengths (a composite's), None when none has one."""
        lengths = [p.natural_duration for p in self.patterns if p.natural_duration is not None]
        return max(lengths) if lengths else None

    def users_at(self, elapsed: float) -> int:
        """The parts' targets at `elapsed` seconds, added up."""
        return sum(pattern.users_at(elapsed) for pattern in self.patterns)

    def describe(self) -> str:
        """One line such as 'Browse: ramp 0 → 20 users over 30s; Admin: constant 1 user'."""
        return "; ".join(f"{name}: {pattern.describe()}" for name, pattern in self.parts)

    def to_config(self) -> dict[str, object]:
        """{"type": "parallel", "parts": {name: part's config}}, for the run's record.

        `pattern_from_config` does not read it back: each part is the
        pattern its scenario carries in its file.
        """
        return {
            "type": "parallel",
            "parts": {name: pattern.to_config() for name, pattern in self.parts},
        }

    def _peak_over(self, duration: float, *, include_end: bool) -> int:
        """The parts' peaks added up: the highest the sum can reach, reached when they coincide.

        The sum's own peak can be lower when the parts peak at different
        times; this bound sizes pools and connection limits, which is what
        the engine asks a peak for.
        """
        return sum(
            pattern.peak_users(duration, include_end=include_end) for pattern in self.patterns
        )
