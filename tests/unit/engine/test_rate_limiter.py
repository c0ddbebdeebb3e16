"""The token bucket's rate is exact: it is checked on a fake clock, not timed."""

from __future__ import annotations

import asyncio

import pytest

from loadforge.engine.rate_limiter import RateGateClosed, TokenBucket
from loadforge.errors import ConfigError


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted_within(bucket: TokenBucket, clock: FakeClock, seconds: float, callers: int) -> int:
    """How many reservations fall due within `seconds` when `callers` users keep asking."""
    start = clock.now
    admitted = 0
    # Each caller reserves, "sleeps" its delay, and reserves again: an event simulation.
    due = [start] * callers
    while True:
        index = min(range(callers), key=lambda i: due[i])
        clock.now = due[index]
        if clock.now - start > seconds:
            return admitted
        delay = bucket.reserve()
        if clock.now + delay - start <= seconds:
            admitted += 1
        due[index] = clock.now + delay


@pytest.mark.parametrize(("rate", "callers"), [(100.0, 1), (100.0, 50), (1234.0, 500), (7.5, 3)])
def test_rate_is_exact_over_ten_seconds(rate: float, callers: int) -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate, clock=clock)
    admitted = admitted_within(bucket, clock, 10.0, callers)
    assert admitted == int(rate * 10) + 1  # slots at 0, 1/rate, ..., 10 s inclusive


def test_slots_are_spaced_evenly_and_first_come_first_served() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4.0, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.25, 0.5, 0.75]


def test_idle_time_does_not_build_up_a_burst_beyond_the_bucket() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, burst=3, clock=clock)
    bucket.reserve()
    clock.now += 60  # a long pause
    delays = [bucket.reserve() for _ in range(5)]
    assert delays == pytest.approx([0.0, 0.0, 0.0, 0.1, 0.2])


@pytest.mark.parametrize("rate", [0.0, -5.0, float("inf"), float("nan")])
def test_invalid_rate_is_a_config_error(rate: float) -> None:
    with pytest.raises(ConfigError, match="--rps"):
        TokenBucket(rate)


def test_invalid_burst_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="burst"):
        TokenBucket(10.0, burst=0)


async def test_acquire_sleeps_until_its_slot() -> None:
    bucket = TokenBucket(50.0)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(6):
        await bucket.acquire()
    # Five intervals of 20 ms must have passed; asyncio never wakes early.
    assert loop.time() - start >= 0.1 - 0.002


async def test_close_releases_waiters_with_rate_gate_closed_then_lets_everyone_through() -> None:
    bucket = TokenBucket(1.0)
    await bucket.acquire()  # the first slot is now
    waiting = asyncio.create_task(bucket.acquire())  # the next is a second away
    await asyncio.sleep(0.01)
    assert not waiting.done()
    bucket.close()
    with pytest.raises(RateGateClosed):
        await waiting
    await asyncio.wait_for(bucket.acquire(), 0.1)  # no cap any more


def test_a_new_rate_applies_from_the_next_slot() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, clock=clock)
    assert bucket.reserve() == 0.0
    assert bucket.reserve() == pytest.approx(0.1)

    bucket.set_rate(20.0)

    assert bucket.reserve() == pytest.approx(0.2)
    assert bucket.reserve() == pytest.approx(0.25)
    with pytest.raises(ConfigError):
        bucket.set_rate(0.0)
