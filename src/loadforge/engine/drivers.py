"""Choosing how a process drives load: users in a loop (closed) or iterations on a schedule (open).

Both drivers have the same surface (`scale_to`, `active`, `target`, `stop_all`,
...), so `LoadTest` and the worker processes follow a pattern the same way:
in the closed model its value is users, in the open model iterations per second.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.dsl import ResolvedScenario
from loadforge.engine.arrivals import ArrivalPool
from loadforge.engine.user_pool import UserPool
from loadforge.metrics.collector import MetricsCollector

LoadDriver = UserPool | ArrivalPool


@dataclass(frozen=True, slots=True)
class DriverSettings:
    """One process's share of the load settings."""

    open_model: bool
    max_users: int
    max_connections: int
    grace: float
    rps: float | None = None
    seed: int | None = None
    first_user_id: int = 0


def build_driver(
    scenario: ResolvedScenario, collector: MetricsCollector, settings: DriverSettings
) -> LoadDriver:
    """The driver the settings ask for, recording into `collector`."""
    if settings.open_model:
        return ArrivalPool(
            scenario,
            collector=collector,
            max_users=settings.max_users,
            max_connections=settings.max_connections,
            grace=settings.grace,
            rps=settings.rps,
            seed=settings.seed,
            first_user_id=settings.first_user_id,
        )
    return UserPool(
        scenario,
        collector=collector,
        max_connections=settings.max_connections,
        grace=settings.grace,
        rps=settings.rps,
        seed=settings.seed,
        first_user_id=settings.first_user_id,
    )


def default_max_users(peak_rate: int) -> int:
    """The open model's pool bound when `--max-users` is not given."""
    return max(100, peak_rate)
