"""One virtual user: setup once, then weighted tasks with think time, then teardown.

A user never lets an exception escape: a failing task is counted (by its
exception's class name) and the user goes on with its next iteration, as a
real client population would. Only cancellation ends a user abruptly.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from loadforge.dsl import ScenarioDefinition
from loadforge.engine.lifecycle import UserState
from loadforge.engine.rate_limiter import RateGateClosed
from loadforge.http import HttpClient
from loadforge.metrics.recorder import RequestRecorder

# Iterations without think time between two forced yields to the event loop.
YIELD_EVERY = 16


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class VirtualUser:
    """A simulated client with its own scenario instance, headers and cookies."""

    __slots__ = (
        "_client",
        "_instance",
        "_recorder",
        "_rng",
        "_scenario",
        "_spins",
        "_stopping",
        "_waiter",
        "state",
        "user_id",
    )

    def __init__(
        self,
        user_id: int,
        scenario: ScenarioDefinition,
        client: HttpClient,
        recorder: RequestRecorder,
        rng: random.Random,
    ) -> None:
        self.user_id = user_id
        self.state = UserState.NEW
        self._scenario = scenario
        self._client = client
        self._recorder = recorder
        self._rng = rng
        self._stopping = False
        self._spins = 0
        self._waiter: asyncio.Future[None] | None = None
        self._instance: object | None = None

    def __repr__(self) -> str:
        return f"<VirtualUser {self.user_id} [{self.state.name}]>"

    @property
    def stopping(self) -> bool:
        """Whether the user was asked to stop (it may still finish a request)."""
        return self._stopping

    def stop(self) -> None:
        """Ask the user to stop after its current task; wakes it from think time."""
        self._stopping = True
        if self._waiter is not None:
            _wake(self._waiter)

    @property
    def started(self) -> bool:
        """Whether setup succeeded, so teardown is owed."""
        return self._instance is not None

    async def run(self) -> None:
        """Live the user's whole life until stopped (the closed model)."""
        if not await self.begin():
            self.state = UserState.DONE
            return
        # `iterate`, `_call` and `_think` inlined, and a scenario's only task
        # and fixed zero think time taken once: three coroutines and two
        # calls less per iteration, 5 % of the instructions per request
        # (benchmarks/engine_instructions.py; figures in benchmarks/README.md).
        scenario, rng, client, instance = self._scenario, self._rng, self._client, self._instance
        only_task = scenario.tasks[0] if len(scenario.tasks) == 1 else None
        never_thinks = scenario.think_time == (0.0, 0.0)
        spins = 0  # `_due_a_yield` inline, on a local: a call less per iteration
        while not self._stopping:
            task = only_task or scenario.pick_task(rng)
            try:
                await task.func(instance, client)
            except RateGateClosed:
                pass  # the run ended while this request waited for a slot
            except Exception as exc:  # a task's exception is data, not a crash
                self._recorder.record_task_error(task.name, type(exc).__name__)
            if not never_thinks:
                await self._think()
                continue
            spins += 1
            if spins == YIELD_EVERY:
                spins = 0
                await asyncio.sleep(0)
        await self.finish()

    async def begin(self) -> bool:
        """Create the scenario instance and run setup; False when stopped before it succeeded."""
        instance = self._scenario.cls()
        if not await self._set_up(instance):
            return False
        self._instance = instance
        self.state = UserState.RUNNING
        return True

    async def iterate(self) -> None:
        """One iteration: a task picked by weight (after `begin`)."""
        task = self._scenario.pick_task(self._rng)
        await self._call(task.name, task.func, self._instance)

    async def finish(self) -> None:
        """Run teardown (after `begin`), then the user is done."""
        teardown = self._scenario.teardown
        if teardown is not None and self._instance is not None:
            self.state = UserState.TEARDOWN
            await self._call(teardown.__name__, teardown, self._instance)
        self.state = UserState.DONE

    async def _set_up(self, instance: object) -> bool:
        """Run setup until it succeeds; a failure is counted and retried after think time."""
        setup = self._scenario.setup
        if setup is None:
            return True
        self.state = UserState.SETUP
        while not self._stopping:
            if await self._call(setup.__name__, setup, instance):
                return True
            await self._think()
        return False

    async def _call(
        self, name: str, func: Callable[[object, HttpClient], Awaitable[object]], instance: object
    ) -> bool:
        try:
            await func(instance, self._client)
        except RateGateClosed:
            return False  # the run ended while this request waited for a slot
        except Exception as exc:  # a user's task may raise anything; it is data, not a crash
            self._recorder.record_task_error(name, type(exc).__name__)
            return False
        return True

    def _due_a_yield(self) -> bool:
        """Whether an iteration without think time should yield to the loop now.

        Now and then, so that a task which never awaits cannot starve the
        loop; not after every iteration: a task that sent a request has
        already given the loop a turn, and the extra suspension cost 1-7 % of
        the instructions per request (benchmarks/engine_instructions.py).
        """
        self._spins += 1
        if self._spins < YIELD_EVERY:
            return False
        self._spins = 0
        return True

    async def _think(self) -> None:
        seconds = self._scenario.think_seconds(self._rng)
        if seconds <= 0:
            if self._due_a_yield():
                await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        self.state = UserState.THINKING
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiter = waiter
        handle = loop.call_later(seconds, _wake, waiter)
        try:
            await waiter
        finally:
            handle.cancel()
            self._waiter = None
            self.state = UserState.RUNNING
