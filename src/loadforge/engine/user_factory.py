"""Making one process's virtual users, for the closed model's pool and the open model's alike.

Every user of a process gets the next place in the run (`UserInfo`: user k
of worker w of W has the run-wide index k·W + w), its own random stream (drawn
from the process's seeded one, so a `--seed` run repeats), its own
`HttpClient`, and shares the process's connection pool and `--rps` gate.
In a run of several scenarios (a `ScenarioMix`) the index also picks the
scenario the user runs, and its client names each endpoint after it.
"""

from __future__ import annotations

import random

from loadforge.dsl import ResolvedScenario, UserInfo
from loadforge.dsl.mix import ScenarioMix
from loadforge.engine.rate_limiter import TokenBucket
from loadforge.engine.user import VirtualUser
from loadforge.http import ConnectionPool, HttpClient, policy_from_environ
from loadforge.metrics.recorder import RequestRecorder


class UserFactory:
    """Builds the virtual users of one process around its shared connection pool and rate gate."""

    def __init__(
        self,
        scenario: ResolvedScenario,
        *,
        max_connections: int,
        rps: float | None = None,
        seed: int | None = None,
        worker_index: int = 0,
        worker_count: int = 1,
        mix: ScenarioMix | None = None,
    ) -> None:
        self.scenario = scenario
        self._mix = mix
        self._rng = random.Random(seed)  # noqa: S311 - task choice and think times, seedable
        self._worker_index = worker_index
        self._worker_count = worker_count
        self._made = 0
        # `loadforge serve` hands its --allow-target list to the run's processes
        # in the environment; a plain `loadforge run` has none.
        self._pool = ConnectionPool(
            max_connections=max_connections,
            verify=scenario.definition.verify,
            target_policy=policy_from_environ(),
        )
        self._gate = TokenBucket(rps) if rps else None

    def new_user(self, recorder: RequestRecorder, position: int | None = None) -> VirtualUser:
        """A new user with the next place in the run, recording every request into `recorder`.

        `position` (a place in the mix's scenarios) picks the user's
        scenario instead of its index: the open model picks it per start.
        """
        made, self._made = self._made, self._made + 1
        info = UserInfo(
            index=made * self._worker_count + self._worker_index,
            index_in_worker=made,
            worker_index=self._worker_index,
            worker_count=self._worker_count,
        )
        if self._mix is None:
            scenario = self.scenario
        elif position is None:
            scenario = self._mix.scenario_for(info.index)
        else:
            scenario = self._mix.scenarios[position]
        definition = scenario.definition
        client = HttpClient(
            base_url=scenario.base_url,
            pool=self._pool,
            recorder=recorder,
            default_headers=scenario.default_headers,
            timeout=definition.timeout,
            rate_gate=self._gate,
            scenario=None if self._mix is None else definition.name,
        )
        client.record_timings = definition.record_timings
        rng = random.Random(self._rng.getrandbits(64))  # noqa: S311 - as above, per user
        return VirtualUser(info, definition, client, recorder, rng)

    def set_rate(self, rps: float | None) -> None:
        """Change this process's share of `--rps` (after a worker was lost)."""
        if self._gate is not None and rps:
            self._gate.set_rate(rps)

    def close_gate(self) -> None:
        """Release every user waiting for a request slot: the run is ending."""
        if self._gate is not None:
            self._gate.close()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._pool.aclose()
