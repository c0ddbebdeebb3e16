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
        """Whether the pattern shapes a rate of iterations (the open model), not users.

        A mixed run (`mixed`) is the open model with scenarios on users beside it.
        """
        return self.pattern.quantity.is_rate

    @property
    def mixed(self) -> bool:
        """Whether some scenarios follow users and others arrival rates of their own.

        The drivers then hold both pools (`MixedDriver`), and every lane is
        read in its own quantity (`lane_rates`).
        """
        return isinstance(self.pattern, ParallelPattern) and self.pattern.mixed

    @property
    def lane_rates(self) -> tuple[bool, ...]:
        """For each lane (see `lanes`), whether it is an arrival rate; () without lanes."""
        return tuple(lane.quantity.is_rate for lane in self.lanes)

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

        None in the open model, whose lanes count iterations per second; in
        a mixed run, 0 for each lane on a rate.
        """
        if self.open_model and not self.mixed:
            return ()
        planned = max(0.0, min(elapsed, self.duration))
        return tuple(
            0 if lane.quantity.is_rate else lane.peak_users(planned) for lane in self.lanes
        )

    def closed_peak(self) -> int:
        """The most users the closed model's patterns ask for over the run (for pool sizes).

        The whole pattern's in the closed model; the user lanes' added up in
        a mixed run; 0 in the open model, whose users `pool_bound` bounds.
        """
        if not self.open_model:
            return self.pattern.peak_users(self.duration)
        return sum(self.lane_peaks(self.duration))

    def describe(self) -> str:
        """The load in words, in the pattern's quantity: users, or iterations per second."""
        return self.pattern.describe()

    def level_at(self, elapsed: float) -> float:
        """What the load drivers follow at `elapsed` seconds: users, or iterations per second."""
        return self.pattern.quantity.level(self.pattern.users_at(elapsed))

    def rate_at(self, elapsed: float) -> float:
        """The open model's iterations per second at `elapsed` seconds.

        Its `level_at`; with lanes, the rate lanes' levels added up, each
        in its own quantity (a mixed run's user lanes left out).
        """
        if self.lanes:
            levels = zip(self.lanes_at(elapsed), self.lane_rates, strict=True)
            return sum(level for level, is_rate in levels if is_rate)
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
        """The open model's bound on users, for the whole run (a mixed run's rate lanes')."""
        if self.max_users is not None:
            return self.max_users
        if self.lanes:
            rates = [lane for lane in self.lanes if lane.quantity.is_rate]
            peak = sum(lane.quantity.level(lane.peak_users(self.duration)) for lane in rates)
        else:
            peak = self.pattern.quantity.level(self.pattern.peak_users(self.duration))
        return default_max_users(math.ceil(peak))

    def connection_peak(self) -> int:
        """The most users the run can hold at once: the open model's bound and closed users."""
        if self.open_model:
            return self.pool_bound() + self.closed_peak()
        return self.closed_peak()
