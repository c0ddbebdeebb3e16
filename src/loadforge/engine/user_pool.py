"""The virtual users of one process: started, stopped and drained to a target count.

`UserPool` is the one place that turns a target ("run 12 users") into asyncio
tasks. The single-process `LoadTest` and every worker process of a
multi-process run drive their users through it, so scaling, the grace period
and the rate gate behave the same however many processes a run uses.

In a run of several scenarios that follow patterns of their own, each
scenario's users are a lane of their own (`scale_lanes`): each lane is scaled
to its own target, its users all run its scenario, and they still take the
next places in the run (`UserInfo.index`) as they start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from loadforge.dsl import ResolvedScenario
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.scaling import plan_scale
from loadforge.engine.user import VirtualUser
from loadforge.engine.user_factory import UserFactory
from loadforge.metrics.collector import MetricsCollector

log = logging.getLogger(__name__)


class UserPool:
    """Starts and retires this process's virtual users; they record into `collector`."""

    def __init__(
        self,
        scenario: ResolvedScenario,
        *,
        collector: MetricsCollector,
        max_connections: int,
        grace: float,
        rps: float | None = None,
        seed: int | None = None,
        worker_index: int = 0,
        worker_count: int = 1,
        mix: ScenarioMix | None = None,
        factory: UserFactory | None = None,
    ) -> None:
        """`factory`, when given, makes its users (a `MixedDriver` shares one between pools)."""
        self.scenario = scenario
        self.collector = collector
        self.grace = grace
        self.target = 0
        self._users: list[tuple[VirtualUser, asyncio.Task[None]]] = []
        # Each lane's users, by the position of its scenario in the mix.
        self._lanes: list[list[tuple[VirtualUser, asyncio.Task[None]]]] = []
        self._mix = mix
        self._stopping: set[asyncio.Task[None]] = set()
        self._factory = factory or UserFactory(
            scenario,
            max_connections=max_connections,
            rps=rps,
            seed=seed,
            worker_index=worker_index,
            worker_count=worker_count,
            mix=mix,
        )

    @property
    def active(self) -> int:
        """Users running and not asked to stop."""
        return len(self._users) + sum(len(lane) for lane in self._lanes)

    def peak_active(self) -> int:
        """Users running now: the closed model changes them only when it scales."""
        return self.active

    def scale_to(self, target: int) -> None:
        """Start or retire users (newest first) until `target` are running."""
        self.target = target
        self._scale(self._users, target, None)

    def scale_lanes(self, targets: Sequence[int]) -> None:
        """Scale each lane (the mix's scenario at that position) to its own target."""
        if self._mix is None or len(targets) != len(self._mix.scenarios):
            raise ValueError(f"lanes {list(targets)} do not match the run's scenarios")
        while len(self._lanes) < len(targets):
            self._lanes.append([])
        self.target = sum(targets)
        for position, target in enumerate(targets):
            self._scale(self._lanes[position], target, position)

    def _scale(
        self,
        users: list[tuple[VirtualUser, asyncio.Task[None]]],
        target: int,
        position: int | None,
    ) -> None:
        step = plan_scale(len(users), target)
        for _ in range(step.start):
            users.append(self._start_user(position))
        for _ in range(step.stop):
            user, task = users.pop()
            self._retire(user, task)

    def plan(self, start: float, end: float) -> None:
        """The closed model starts no iterations on a schedule: nothing to plan."""

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """Follow a pattern's value, a whole number of users (see `LoadDriver.follow`)."""
        self.scale_to(int(value))

    def follow_lanes(
        self, values: Sequence[float], *, max_users: int | None = None, phase: float = 0.0
    ) -> None:
        """Follow each scenario's own pattern, users per lane (see `LoadDriver.follow_lanes`)."""
        self.scale_lanes([int(value) for value in values])

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps` (after a worker was lost)."""
        self._factory.set_rate(rps)

    def _start_user(self, position: int | None) -> tuple[VirtualUser, asyncio.Task[None]]:
        user = self._factory.new_user(self.collector, position)
        task = asyncio.get_running_loop().create_task(
            user.run(), name=f"loadforge-user-{user.user_id}"
        )
        task.add_done_callback(_report_crash)
        return user, task

    def _retire(self, user: VirtualUser, task: asyncio.Task[None]) -> None:
        """Stop a user; it gets the grace period to finish its request and teardown."""
        user.stop()
        if task.done():
            return
        self._stopping.add(task)
        deadline = asyncio.get_running_loop().call_later(self.grace, task.cancel)
        task.add_done_callback(lambda _: deadline.cancel())
        task.add_done_callback(self._stopping.discard)

    async def stop_all(self) -> None:
        """Retire every user and wait for them (each within the grace period)."""
        self._factory.close_gate()
        for users in (self._users, *self._lanes):
            while users:
                user, task = users.pop()
                self._retire(user, task)
        if self._stopping:
            await asyncio.wait(set(self._stopping))

    def cancel_all(self) -> None:
        """Cancel every user task now, without grace."""
        for users in (self._users, *self._lanes):
            for _, task in users:
                task.cancel()
        for task in self._stopping:
            task.cancel()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._factory.aclose()


def _report_crash(task: asyncio.Task[None]) -> None:
    """Log a user that died of something other than cancellation (a LoadForge bug)."""
    if not task.cancelled() and task.exception() is not None:
        log.error("virtual user crashed", exc_info=task.exception())
