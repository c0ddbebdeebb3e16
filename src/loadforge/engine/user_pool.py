"""The virtual users of one process: started, stopped and drained to a target count.

`UserPool` is the one place that turns a target ("run 12 users") into asyncio
tasks. The single-process `LoadTest` and every worker process of a
multi-process run drive their users through it, so scaling, the grace period
and the rate gate behave the same however many processes a run uses.
"""

from __future__ import annotations

import asyncio
import logging

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
    ) -> None:
        self.scenario = scenario
        self.collector = collector
        self.grace = grace
        self.target = 0
        self._users: list[tuple[VirtualUser, asyncio.Task[None]]] = []
        self._stopping: set[asyncio.Task[None]] = set()
        self._factory = UserFactory(
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
        return len(self._users)

    def scale_to(self, target: int) -> None:
        """Start or retire users (newest first) until `target` are running."""
        self.target = target
        step = plan_scale(len(self._users), target)
        for _ in range(step.start):
            self._start_user()
        for _ in range(step.stop):
            user, task = self._users.pop()
            self._retire(user, task)

    def plan(self, start: float, end: float) -> None:
        """The closed model starts no iterations on a schedule: nothing to plan."""

    def follow(self, value: float, *, max_users: int | None = None, phase: float = 0.0) -> None:
        """Follow a pattern's value, a whole number of users (see `LoadDriver.follow`)."""
        self.scale_to(int(value))

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps` (after a worker was lost)."""
        self._factory.set_rate(rps)

    def _start_user(self) -> None:
        user = self._factory.new_user(self.collector)
        task = asyncio.get_running_loop().create_task(
            user.run(), name=f"loadforge-user-{user.user_id}"
        )
        task.add_done_callback(_report_crash)
        self._users.append((user, task))

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
        while self._users:
            user, task = self._users.pop()
            self._retire(user, task)
        if self._stopping:
            await asyncio.wait(set(self._stopping))

    def cancel_all(self) -> None:
        """Cancel every user task now, without grace."""
        for _, task in self._users:
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
