"""Choosing how a process drives load: users in a loop (closed) or iterations on a schedule (open).

Both drivers implement `LoadDriver`, so `LoadTest` and the worker processes
follow a pattern the same way, without asking which model they run: in the
closed model the value followed is users, in the open model iterations per
second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.arrivals import ArrivalPool
from loadforge.engine.mixed_driver import MixedDriver
from loadforge.engine.user_factory import UserFactory
from loadforge.engine.user_pool import UserPool
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.custom import bind_sink


class LoadDriver(Protocol):
    """One process's load: `UserPool` (closed), `ArrivalPool` (open) or `MixedDriver` (both)."""

    @property
    def collector(self) -> MetricsCollector:
        """Where its users record every request."""

    @property
    def active(self) -> int:
        """Users busy now (running, or in an iteration)."""

    def peak_active(self) -> int:
        """The most users busy at once since the last call (read once per interval).

        The closed model's running users; the open model's high-water mark,
        counted at each start, so that iterations shorter than the gap
        between intervals still show.
        """

    @property
    def target(self) -> int:
        """Users aimed at: the closed model's target, the open model's bound."""

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """Follow the pattern's value now: users to run, or iterations to start per second.

        `max_users` and `phase` shape the open model's schedule (see
        `ArrivalPool.pace`); the closed model has neither and leaves them.
        """

    def follow_lanes(
        self, values: Sequence[float], *, max_users: int | None = None, phase: float = 0.0
    ) -> None:
        """Follow each scenario's own pattern (`LoadSettings.lanes`), in the mix's order.

        Each value is that scenario's users, or its iterations per second;
        `max_users` and `phase` are as for `follow`.
        """

    def plan(self, start: float, end: float) -> None:
        """The run's time zero and planned end, on `time.monotonic()`.

        The open model's starts fall at start + k/rate strictly before `end`;
        the closed model ignores it.
        """

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps`."""

    async def stop_all(self) -> None:
        """Stop every user gracefully (each within the grace period) and tear them down."""

    def cancel_all(self) -> None:
        """Cancel every user now, without grace."""

    async def aclose(self) -> None:
        """Close the connection pool."""


@dataclass(frozen=True, slots=True)
class DriverSettings:
    """One process's share of the load settings."""

    open_model: bool
    max_users: int
    max_connections: int
    grace: float
    rps: float | None = None
    seed: int | None = None
    # Which worker of how many this process is: its users' places in the run.
    worker_index: int = 0
    worker_count: int = 1
    # The run's scenarios and their shares of users, when it runs several.
    mix: ScenarioMix | None = None
    # Whether each scenario's own pattern is a rate (True) or users, when
    # the run mixes the two (`LoadSettings.mixed`); () otherwise.
    lane_rates: tuple[bool, ...] = ()

    @property
    def mixed(self) -> bool:
        """Whether this process runs users beside arrival rates (`MixedDriver`)."""
        return len(set(self.lane_rates)) > 1


def build_driver(
    scenario: ResolvedScenario, collector: MetricsCollector, settings: DriverSettings
) -> LoadDriver:
    """The driver the settings ask for, recording into `collector`.

    The scenario's custom metrics (`loadforge.metrics.counter`...) record
    into `collector` too, from now on in this process.
    """
    bind_sink(collector)
    if settings.mixed and settings.mix is not None:
        factory = UserFactory(
            scenario,
            max_connections=settings.max_connections,
            rps=settings.rps,
            seed=settings.seed,
            worker_index=settings.worker_index,
            worker_count=settings.worker_count,
            mix=settings.mix,
        )
        return MixedDriver(
            factory,
            collector=collector,
            mix=settings.mix,
            lane_rates=settings.lane_rates,
            max_users=settings.max_users,
            grace=settings.grace,
        )
    if settings.open_model:
        return ArrivalPool(
            scenario,
            collector=collector,
            max_users=settings.max_users,
            max_connections=settings.max_connections,
            grace=settings.grace,
            rps=settings.rps,
            seed=settings.seed,
            worker_index=settings.worker_index,
            worker_count=settings.worker_count,
            mix=settings.mix,
        )
    return UserPool(
        scenario,
        collector=collector,
        max_connections=settings.max_connections,
        grace=settings.grace,
        rps=settings.rps,
        seed=settings.seed,
        worker_index=settings.worker_index,
        worker_count=settings.worker_count,
        mix=settings.mix,
    )


def default_max_users(peak_rate: int) -> int:
    """The open model's pool bound when `--max-users` is not given."""
    return max(100, peak_rate)
