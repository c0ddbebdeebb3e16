"""How hard and how long a run drives its target: the settings every way of running shares.

`LoadTest` (one process) and `Coordinator` (worker processes) take the same
`LoadSettings`; the CLI and the server build them from their options.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from loadforge.engine.drivers import default_max_users
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import LoadPattern
from loadforge.patterns.parallel import ParallelPattern

# How often a run re-reads its pattern, in one process or in the coordinator:
# ten times a second keeps ramps smooth (a 0 → 100 ramp over 10 s starts one
# user per tick) for one pure function call per tick.
SCALE_TICK_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """How hard and how long to drive the target.

    The pattern's quantity decides the model: a pattern of users is the
    closed model, a pattern of iterations per unit of time the open model.
    """

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
    # The open model's bound on users (default: see default_max_users).
    max_users: int | None = None
    # Where each request's record goes (`--raw-log`); None keeps no such log.
    raw_log: Path | None = None

    @property
    def open_model(self) -> bool:
        """Whether the pattern shapes a rate of iterations (the open model), not users."""
        return self.pattern.quantity.is_rate

    @property
    def lanes(self) -> tuple[LoadPattern, ...]:
        """Each scenario's own pattern, in the mix's order, when they follow their own; else ().

        A run of several scenarios whose files give each its own pattern
        runs them side by side (`ParallelPattern`): the drivers follow each
        part (`LoadDriver.follow_lanes`), and `pattern` is their sum.
        """
        if isinstance(self.pattern, ParallelPattern):
            return self.pattern.patterns
        return ()

    def lanes_at(self, elapsed: float) -> tuple[float, ...]:
        """Each lane's level at `elapsed` seconds: users, or iterations per second (see `lanes`)."""
        return tuple(lane.quantity.level(lane.users_at(elapsed)) for lane in self.lanes)

    def lane_peaks(self, elapsed: float) -> tuple[int, ...]:
        """Each lane's most users over the planned part of `elapsed` seconds (see `lanes`).

        None in the open model, whose lanes count iterations per second.
        """
        if self.open_model:
            return ()
        planned = max(0.0, min(elapsed, self.duration))
        return tuple(lane.peak_users(planned) for lane in self.lanes)

    def describe(self) -> str:
        """The load in words, in the pattern's quantity: users, or iterations per second."""
        return self.pattern.describe()

    def level_at(self, elapsed: float) -> float:
        """What the load drivers follow at `elapsed` seconds: users, or iterations per second."""
        return self.pattern.quantity.level(self.pattern.users_at(elapsed))

    def rate_at(self, elapsed: float) -> float:
        """The open model's iterations per second at `elapsed` seconds (its `level_at`)."""
        return self.level_at(elapsed)

    def target_rate_over(self, start: float, end: float) -> float:
        """The open model's mean iterations per second asked for over [start, end) seconds.

        None are asked for after the planned end (the drain), nor in the
        closed model (0.0). The pattern is read at the middle of each scale
        tick, as often as the drivers follow it.
        """
        if not self.open_model or end <= start:
            return 0.0
        ticks = max(1, round((end - start) / SCALE_TICK_SECONDS))
        width = (end - start) / ticks
        middles = (start + (index + 0.5) * width for index in range(ticks))
        return sum(self.rate_at(t) for t in middles if t < self.duration) / ticks

    def run_target_rate(self, elapsed: float) -> float:
        """The open model's mean rate asked for over the planned part of `elapsed` seconds."""
        return self.target_rate_over(0.0, min(elapsed, self.duration))

    def pool_bound(self) -> int:
        """The open model's bound on users, for the whole run."""
        if self.max_users is not None:
            return self.max_users
        peak = self.pattern.quantity.level(self.pattern.peak_users(self.duration))
        return default_max_users(math.ceil(peak))
