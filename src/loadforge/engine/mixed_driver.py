"""Both models in one process: scenarios on users beside scenarios on arrival rates.

k6 runs a `constant-vus` scenario beside a `constant-arrival-rate` one; a
LoadForge run does the same when its scenarios carry patterns of both kinds
(`ParallelPattern.mixed`). `MixedDriver` holds a `UserPool` for the lanes on
users and an `ArrivalPool` for the lanes on rates, both on one `UserFactory`:
one connection pool, one `--rps` gate, and one run-wide numbering of users
(`UserInfo.index`), so no two users of the run share an index.

Each pool sees every lane of the mix and runs only its own: the user pool
holds 0 users on a rate lane, and the arrival pool starts nothing on a user
lane.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.arrivals import ArrivalPool
from loadforge.engine.user_factory import UserFactory
from loadforge.engine.user_pool import UserPool
from loadforge.metrics.collector import MetricsCollector


class MixedDriver:
    """A `LoadDriver` whose lanes are users or arrival rates, each as `lane_rates` says."""

    def __init__(
        self,
        factory: UserFactory,
        *,
        collector: MetricsCollector,
        mix: ScenarioMix,
        lane_rates: Sequence[bool],
        max_users: int,
        grace: float,
    ) -> None:
        """`lane_rates[i]` says whether the mix's scenario i follows a rate (else users)."""
        if len(lane_rates) != len(mix.scenarios):
            raise ValueError(f"lane kinds {list(lane_rates)} do not match the run's scenarios")
        scenario: ResolvedScenario = mix.scenarios[0]
        self.collector = collector
        self._factory = factory
        self._rates = tuple(lane_rates)
        self._users = UserPool(
            scenario, collector=collector, max_connections=1, grace=grace, mix=mix, factory=factory
        )
        self._arrivals = ArrivalPool(
            scenario,
            collector=collector,
            max_users=max_users,
            max_connections=1,
            grace=grace,
            mix=mix,
            factory=factory,
        )

    @property
    def active(self) -> int:
        """Users running on the user lanes and busy on the rate lanes."""
        return self._users.active + self._arrivals.active

    def peak_active(self) -> int:
        """The user lanes' running users and the rate lanes' most busy at once."""
        return self._users.peak_active() + self._arrivals.peak_active()

    @property
    def target(self) -> int:
        """The user lanes' target and the rate lanes' bound, added up."""
        return self._users.target + self._arrivals.target

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """A mixed run follows lanes only: a single value has no place here."""
        raise ValueError("a run of users beside arrival rates follows its lanes (follow_lanes)")

    def follow_lanes(
        self, values: Sequence[float], *, max_users: int | None = None, phase: float = 0.0
    ) -> None:
        """Each lane's value in its own quantity: users on a user lane, iterations/s on a rate lane.

        `max_users` and `phase` shape the rate lanes (see `ArrivalPool.pace_lanes`).
        """
        if len(values) != len(self._rates):
            raise ValueError(f"lanes {list(values)} do not match the run's scenarios")
        lanes = tuple(zip(values, self._rates, strict=True))
        self._users.scale_lanes([0 if is_rate else int(value) for value, is_rate in lanes])
        self._arrivals.pace_lanes(
            [value if is_rate else 0.0 for value, is_rate in lanes], max_users, phase=phase
        )

    def plan(self, start: float, end: float) -> None:
        """The run's time zero and planned end, for the rate lanes' schedules."""
        self._arrivals.plan(start, end)

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps` (one gate for both pools)."""
        self._factory.set_rate(rps)

    async def stop_all(self) -> None:
        """Stop both pools at once, each user within the grace period."""
        await asyncio.gather(self._users.stop_all(), self._arrivals.stop_all())

    def cancel_all(self) -> None:
        """Cancel every user of both pools now."""
        self._users.cancel_all()
        self._arrivals.cancel_all()

    async def aclose(self) -> None:
        """Close the one connection pool both pools share."""
        await self._factory.aclose()
