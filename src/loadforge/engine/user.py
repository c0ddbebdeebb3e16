"""One virtual user: setup once, then weighted tasks with think time, then teardown.

A user never lets an exception escape: a failing task is counted (by its
exception's class and message, with its first traceback) and the user goes
on with its next iteration, as a real client population would. Only
cancellation ends a user abruptly.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Coroutine

from loadforge.dsl import ScenarioDefinition
from loadforge.dsl.current_user import UserInfo, bind_user
from loadforge.dsl.feeders import FeederExhausted
from loadforge.engine.lifecycle import UserState
from loadforge.engine.rate_limiter import RateGateClosed
from loadforge.http import HttpClient
from loadforge.metrics.recorder import RequestRecorder

# Iterations without think time between two forced yields to the event loop:
# often enough that a task which never awaits cannot starve the loop, and not
# after every iteration, since a task that sent a request has already given
# the loop a turn (a yield per iteration costs 1-7 % of the instructions per
# request, benchmarks/engine_instructions.py).
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
        "_stopping",
        "_waiter",
        "info",
        "state",
    )

    def __init__(
        self,
        info: UserInfo,
        scenario: ScenarioDefinition,
        client: HttpClient,
        recorder: RequestRecorder,
        rng: random.Random,
    ) -> None:
        self.info = info
        self.state = UserState.NEW
        self._scenario = scenario
        self._client = client
        self._recorder = recorder
        self._rng = rng
        self._stopping = False
        self._waiter: asyncio.Future[None] | None = None
        self._instance: object | None = None

    def __repr__(self) -> str:
        return f"<VirtualUser {self.info.index} [{self.state.name}]>"

    @property
    def user_id(self) -> int:
        """The user's index in the whole run (`info.index`)."""
        return self.info.index

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

    def run(self) -> Coroutine[object, object, None]:
        """Live the user's whole life until stopped (the closed model); await it."""
        return self._tasks(closed_loop=True)

    async def begin(self) -> bool:
        """Create the scenario instance and run setup; False when stopped before it succeeded.

        From here on, in the calling asyncio task, `current_user()` is this user.
        """
        bind_user(self.info)
        instance = self._scenario.cls()
        if not await self._set_up(instance):
            return False
        self._instance = instance
        self.state = UserState.RUNNING
        return True

    def iterate(self) -> Coroutine[object, object, None]:
        """One iteration: a task picked by weight (after `begin`); await it (the open model)."""
        return self._tasks(closed_loop=False)

    async def finish(self) -> None:
        """Run teardown (after `begin`), then the user is done."""
        teardown = self._scenario.teardown
        if teardown is not None and self._instance is not None:
            bind_user(self.info)  # the open model tears down in a task of its own
            self.state = UserState.TEARDOWN
            await self._call(teardown.__name__, teardown, self._instance)
        self.state = UserState.DONE

    async def _tasks(self, *, closed_loop: bool) -> None:
        """The closed loop's whole life, or the open model's one iteration.

        The closed loop sets up, runs tasks picked by weight with think time
        between them until stopped, and tears down; an iteration of the open
        model is one task. Both run this one loop, in one coroutine frame,
        with the task call in it rather than in `_call`: every await of a
        request passes through each frame above it, and each frame is work
        per request. A scenario's only task and a fixed zero think time are
        taken once, before the loop.
        """
        if closed_loop and not await self.begin():
            self.state = UserState.DONE
            return
        scenario, rng, client, instance = self._scenario, self._rng, self._client, self._instance
        recorder, tasks_done = self._recorder, self.info.tasks_done
        only_task = scenario.tasks[0] if len(scenario.tasks) == 1 else None
        never_thinks = closed_loop and scenario.think_time == (0.0, 0.0)
        # Iterations without think time since the last yield: counted (for
        # task_error_rate) in one call per YIELD_EVERY of them: a call per
        # iteration cost 600 instructions a request, 1.1 % (benchmarks/README.md).
        # The open model's iterations are counted where they start.
        spins = 0
        try:
            while not self._stopping or not closed_loop:
                task = only_task or scenario.pick_task(rng)
                try:
                    await task.func(instance, client)
                except Exception as exc:
                    self._failed(task.name, exc)
                tasks_done.count += 1  # `current_user().iteration`
                # What follows a task: the open model's iteration ends; the closed
                # loop thinks, or without think time yields now and then. Tested in
                # this order, the closed loop without think time runs the bytecode
                # of a loop with no open model in it; testing `closed_loop` first
                # costs it about 40 instructions an iteration.
                if not never_thinks and (
                    not closed_loop or (seconds := scenario.think_seconds(rng)) > 0
                ):
                    if not closed_loop:
                        return
                    recorder.count_iterations(1)
                    await self._think(seconds)
                else:
                    spins += 1
                    if spins == YIELD_EVERY:
                        recorder.count_iterations(spins)
                        spins = 0
                        await asyncio.sleep(0)
        finally:
            if spins:
                recorder.count_iterations(spins)
        await self.finish()

    async def _set_up(self, instance: object) -> bool:
        """Run setup until it succeeds; a failure is counted and retried after think time."""
        setup = self._scenario.setup
        if setup is None:
            return True
        self.state = UserState.SETUP
        while not self._stopping:
            if await self._call(setup.__name__, setup, instance):
                return True
            seconds = self._scenario.think_seconds(self._rng)
            if seconds > 0:
                await self._think(seconds)
            else:
                await asyncio.sleep(0)
        return False

    async def _call(
        self, name: str, func: Callable[[object, HttpClient], Awaitable[object]], instance: object
    ) -> bool:
        """Run setup or teardown; False when it raised (see `_failed`)."""
        self._recorder.count_iterations(1)
        try:
            await func(instance, self._client)
        except Exception as exc:
            self._failed(name, exc)
            return False
        return True

    def _failed(self, name: str, exc: Exception) -> None:
        """What an exception from task `name` means: data, never a crash.

        It is counted under its class name and kept with its message and
        traceback, except RateGateClosed: the run ended while a request waited
        for a slot under `--rps`.
        """
        if isinstance(exc, FeederExhausted) and exc.stops_user:
            self.stop()  # the run is ending for want of data: no error to count
            return
        if not isinstance(exc, RateGateClosed):
            self._recorder.record_task_error(name, exc)

    async def _think(self, seconds: float) -> None:
        """Pause for `seconds` (> 0); `stop` cuts it short."""
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
