"""A virtual user's life: setup retries, weighted tasks, errors as data, teardown on stop."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import cast

import pytest

from loadforge.dsl import (
    ScenarioDefinition,
    UserInfo,
    current_user,
    scenario,
    setup,
    task,
    teardown,
)
from loadforge.engine.lifecycle import UserState
from loadforge.engine.rate_limiter import RateGateClosed
from loadforge.engine.user import YIELD_EVERY, VirtualUser
from loadforge.errors import LoadForgeError
from loadforge.http import HttpClient


class FakeRecorder:
    def __init__(self) -> None:
        self.task_errors: list[tuple[str, str]] = []
        self.iterations = 0

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        raise AssertionError("no requests in these tests")

    def mark_failed(self, name: str, status: int, error: str) -> None:
        raise AssertionError("no requests in these tests")

    def count_iterations(self, count: int) -> None:
        self.iterations += count

    def record_task_error(self, task: str, exc: BaseException) -> None:
        self.task_errors.append((task, type(exc).__name__))

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        raise AssertionError("no checks in these tests")

    def record_group(self, group: str, duration_us: int) -> None:
        raise AssertionError("no groups in these tests")

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """No timings are asserted on in these tests."""

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """No timings are asserted on in these tests."""


def definition_of(cls: type) -> ScenarioDefinition:
    return cast(ScenarioDefinition, cls.__loadforge_scenario__)  # type: ignore[attr-defined]


def state_of(user: VirtualUser) -> UserState:
    """Read the state afresh (mypy would otherwise keep an earlier narrowing)."""
    return user.state


def make_user(cls: type, recorder: FakeRecorder) -> VirtualUser:
    client = cast(HttpClient, object())
    return VirtualUser(UserInfo(1, 1, 0, 1), definition_of(cls), client, recorder, random.Random(7))


async def run_until(user: VirtualUser, condition: object, *, stop: bool = True) -> None:
    task_ = asyncio.create_task(user.run())
    for _ in range(1000):
        await asyncio.sleep(0)
        if callable(condition) and condition():
            break
    if stop:
        user.stop()
    await asyncio.wait_for(task_, 2)


async def test_setup_failure_is_counted_and_retried_then_tasks_run_and_teardown() -> None:
    events: list[str] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Flaky:
        attempts = 0

        @setup
        async def login(self, client: object) -> None:
            Flaky.attempts += 1
            events.append("setup")
            if Flaky.attempts < 3:
                raise ConnectionError("not yet")

        @task
        async def work(self, client: object) -> None:
            events.append("task")

        @teardown
        async def logout(self, client: object) -> None:
            events.append("teardown")

    recorder = FakeRecorder()
    user = make_user(Flaky, recorder)
    await run_until(user, lambda: events.count("task") >= 5)
    assert events[:4] == ["setup", "setup", "setup", "task"]
    assert events[-1] == "teardown"
    assert recorder.task_errors == [("login", "ConnectionError"), ("login", "ConnectionError")]
    assert user.state is UserState.DONE


async def test_task_exception_is_data_and_the_user_goes_on() -> None:
    runs: list[int] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Broken:
        @task
        async def explode(self, client: object) -> None:
            runs.append(1)
            raise KeyError("boom")

    recorder = FakeRecorder()
    user = make_user(Broken, recorder)
    await run_until(user, lambda: len(runs) >= 3)
    assert len(runs) >= 3
    assert set(recorder.task_errors) == {("explode", "KeyError")}
    assert len(recorder.task_errors) == len(runs)


async def test_stop_wakes_a_user_from_long_think_time() -> None:
    ran = asyncio.Event()

    @scenario(base_url="http://127.0.0.1:1", think_time=(30, 30))
    class Sleepy:
        @task
        async def once(self, client: object) -> None:
            ran.set()

    user = make_user(Sleepy, FakeRecorder())
    runner = asyncio.create_task(user.run())
    await ran.wait()
    await asyncio.sleep(0)
    assert state_of(user) is UserState.THINKING
    user.stop()
    await asyncio.wait_for(runner, 1)  # did not sleep 30 s
    assert user.stopping
    assert state_of(user) is UserState.DONE
    assert "DONE" in repr(user)


async def test_a_user_stopped_during_failing_setup_never_runs_tasks_or_teardown() -> None:
    calls: list[str] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class NeverUp:
        @setup
        async def login(self, client: object) -> None:
            calls.append("setup")
            raise RuntimeError

        @task
        async def work(self, client: object) -> None:
            calls.append("task")

        @teardown
        async def logout(self, client: object) -> None:
            calls.append("teardown")

    user = make_user(NeverUp, FakeRecorder())
    await run_until(user, lambda: len(calls) >= 2)
    assert set(calls) == {"setup"}
    assert user.state is UserState.DONE


async def test_a_task_that_never_awaits_still_lets_the_loop_run() -> None:
    runs: list[int] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Busy:
        @task
        async def spin(self, client: HttpClient) -> None:
            runs.append(1)

    user = make_user(Busy, FakeRecorder())
    running = asyncio.create_task(user.run())
    await asyncio.sleep(0)
    first = len(runs)
    await asyncio.sleep(0)

    assert 0 < first <= YIELD_EVERY
    assert len(runs) > first  # the loop came back to this coroutine between yields
    user.stop()
    await asyncio.wait_for(running, 2)


def raising_user(recorder: FakeRecorder) -> VirtualUser:
    """A user whose task raises KeyError, RateGateClosed, ValueError; it stops after the third."""
    raised: list[Exception] = [KeyError("k"), RateGateClosed(), ValueError("v")]
    user: list[VirtualUser] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Raising:
        @task
        async def work(self, client: HttpClient) -> None:
            if len(raised) == 1:
                user[0].stop()
            raise raised.pop(0)

    user.append(make_user(Raising, recorder))
    return user[0]


async def closed_loop(user: VirtualUser) -> None:
    await asyncio.wait_for(user.run(), 2)


async def open_model(user: VirtualUser) -> None:
    assert await user.begin()
    for _ in range(3):
        await user.iterate()
    await user.finish()


@pytest.mark.parametrize("drive", [closed_loop, open_model])
async def test_both_models_count_task_exceptions_alike_and_swallow_a_closed_rate_gate(
    drive: Callable[[VirtualUser], Awaitable[None]],
) -> None:
    recorder = FakeRecorder()
    user = raising_user(recorder)

    await drive(user)

    # RateGateClosed means the run ended while a request waited for a slot: not an error.
    assert recorder.task_errors == [("work", "KeyError"), ("work", "ValueError")]
    assert user.state is UserState.DONE


async def test_every_call_of_the_scenario_counts_as_an_iteration() -> None:
    events: list[str] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Counted:
        @setup
        async def login(self, client: object) -> None:
            events.append("setup")

        @task
        async def work(self, client: object) -> None:
            events.append("task")
            if len(events) % 3 == 0:
                raise ValueError("now and then")

        @teardown
        async def logout(self, client: object) -> None:
            events.append("teardown")

    recorder = FakeRecorder()
    user = make_user(Counted, recorder)
    # More than one batch of YIELD_EVERY, and a part of one.
    await run_until(user, lambda: events.count("task") >= YIELD_EVERY + 5)
    assert recorder.iterations == len(events)
    assert len(recorder.task_errors) <= recorder.iterations


async def test_with_think_time_each_task_counts_as_it_ends() -> None:
    @scenario(base_url="http://127.0.0.1:1", think_time=(0.001, 0.001))
    class Thinking:
        @task
        async def work(self, client: object) -> None:
            return None

    recorder = FakeRecorder()
    user = make_user(Thinking, recorder)
    task_ = asyncio.create_task(user.run())
    for _ in range(200):
        await asyncio.sleep(0.001)
        if recorder.iterations >= 3:
            break
    user.stop()
    await asyncio.wait_for(task_, 2)
    assert recorder.iterations >= 3


async def test_current_user_is_the_user_in_setup_tasks_and_teardown_and_unknown_outside() -> None:
    seen: list[tuple[str, UserInfo]] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Knows:
        @setup
        async def begin(self, client: object) -> None:
            seen.append(("setup", current_user()))

        @task
        async def work(self, client: object) -> None:
            seen.append(("task", current_user()))

        @teardown
        async def end(self, client: object) -> None:
            seen.append(("teardown", current_user()))

    place = UserInfo(index=9, index_in_worker=4, worker_index=1, worker_count=2)
    client = cast(HttpClient, object())
    user = VirtualUser(place, definition_of(Knows), client, FakeRecorder(), random.Random(1))
    await run_until(user, lambda: len(seen) >= 3)

    assert {where for where, _ in seen} == {"setup", "task", "teardown"}
    assert {info for _, info in seen} == {place}
    assert user.user_id == 9
    with pytest.raises(LoadForgeError, match=r"current_user\(\) is only known inside"):
        current_user()


async def test_an_open_model_teardown_in_a_task_of_its_own_still_knows_its_user() -> None:
    seen: list[UserInfo] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Open:
        @task
        async def work(self, client: object) -> None:
            pass

        @teardown
        async def end(self, client: object) -> None:
            seen.append(current_user())

    place = UserInfo(index=3, index_in_worker=1, worker_index=1, worker_count=2)
    client = cast(HttpClient, object())
    user = VirtualUser(place, definition_of(Open), client, FakeRecorder(), random.Random(1))
    assert await asyncio.create_task(user.begin())
    await asyncio.create_task(user.finish())  # a fresh task: a context without the user

    assert seen == [place]


async def test_iteration_counts_finished_tasks_from_setup_through_teardown() -> None:
    seen: list[tuple[str, int]] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Counts:
        @setup
        async def begin(self, client: object) -> None:
            seen.append(("setup", current_user().iteration))

        @task
        async def work(self, client: object) -> None:
            seen.append(("task", current_user().iteration))
            if current_user().iteration == 1:
                raise ValueError("a failing task still counts as finished")

        @teardown
        async def end(self, client: object) -> None:
            seen.append(("teardown", current_user().iteration))

    place = UserInfo(index=0, index_in_worker=0, worker_index=0, worker_count=1)
    client = cast(HttpClient, object())
    user = VirtualUser(place, definition_of(Counts), client, FakeRecorder(), random.Random(1))
    await run_until(user, lambda: len(seen) >= 5)

    tasks = [n for where, n in seen if where == "task"]
    assert seen[0] == ("setup", 0)
    assert tasks == list(range(len(tasks)))
    assert len(tasks) >= 4
    assert seen[-1] == ("teardown", len(tasks))


async def test_open_model_iterations_of_one_user_count_on() -> None:
    seen: list[int] = []

    @scenario(base_url="http://127.0.0.1:1", think_time=0)
    class Open:
        @task
        async def work(self, client: object) -> None:
            seen.append(current_user().iteration)

    place = UserInfo(index=0, index_in_worker=0, worker_index=0, worker_count=1)
    client = cast(HttpClient, object())
    user = VirtualUser(place, definition_of(Open), client, FakeRecorder(), random.Random(1))
    assert await user.begin()
    for _ in range(3):
        await user.iterate()
    await user.finish()

    assert seen == [0, 1, 2]
    assert place.iteration == 3
    assert place == UserInfo(0, 0, 0, 1), "the counter takes no part in equality"
