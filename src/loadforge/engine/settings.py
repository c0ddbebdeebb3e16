"""How hard and how long a run drives its target: the settings every way of running shares.

`LoadTest` (one process) and `Coordinator` (worker processes) take the same
`LoadSettings`; the CLI and the server build them from their options.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from loadforge.engine.drivers import default_max_users
from loadforge.engine.rate_units import WHOLE, describe_in_units
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import LoadPattern


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """How hard and how long to drive the target."""

    pattern: LoadPattern
    duration: float
    rps: float | None = None
    grace: float = 5.0
    max_connections: int | None = None
    snapshot_interval: float = 1.0
    seed: int | None = None
    config: dict[str, object] = field(default_factory=dict)
    workers: int = 1
    metrics_transport: MetricsTransport = MetricsTransport.SHM
    # The open model: the pattern's value is iterations started per second,
    # on a pool of at most `max_users` users (default: see default_max_users).
    open_model: bool = False
    max_users: int | None = None
    # The open model: the pattern's value times `rate_unit` is iterations per
    # second (0.001 carries fractional rates; see engine/rate_units.py).
    rate_unit: float = WHOLE

    def describe(self) -> str:
        """The load in words: the pattern, of users or (open model) of iterations per second."""
        text = self.pattern.describe()
        if not self.open_model:
            return text
        return describe_in_units(text, self.rate_unit).replace("users", "iterations/s")

    def level_at(self, elapsed: float) -> float:
        """What the load drivers follow at `elapsed` seconds: users, or iterations per second."""
        return self.rate_at(elapsed) if self.open_model else self.pattern.users_at(elapsed)

    def rate_at(self, elapsed: float) -> float:
        """The open model's iterations per second at `elapsed` seconds."""
        value = self.pattern.users_at(elapsed)
        return float(value) if self.rate_unit == WHOLE else value * self.rate_unit

    def pool_bound(self) -> int:
        """The open model's bound on users, for the whole run."""
        if self.max_users is not None:
            return self.max_users
        peak = self.pattern.peak_users(self.duration) * self.rate_unit
        return default_max_users(math.ceil(peak))
