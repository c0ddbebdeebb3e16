"""A token bucket that caps the total request rate (`--rps`).

It is written as GCRA (the "virtual scheduling" form of a token bucket): each
caller reserves the next free slot on a timeline spaced `1/rate` apart and
sleeps until it. Reserving instead of polling gives exact rates (N seconds let
through `N * rate + 1` requests, not "about" that), first-come first-served
fairness between virtual users, and no busy loop however many users wait.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from loadforge.errors import ConfigError, RunCutOff


class RateGateClosed(RunCutOff):
    """Raised in callers still waiting for a slot when the run stops.

    Their requests were never sent and are not errors: the virtual user
    unwinds out of its task quietly and goes on to its teardown.
    """


class TokenBucket:
    """Lets at most `rate` acquisitions through per second, evenly spaced.

    `burst` is how many acquisitions may go through at once after an idle
    period (a bucket's capacity); the default of 1 keeps the rate smooth.
    """

    __slots__ = ("_burst_credit", "_clock", "_closed", "_issued", "_origin", "_waiters", "rate")

    def __init__(
        self, rate: float, *, burst: int = 1, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not rate > 0 or rate == float("inf"):
            raise ConfigError(f"--rps must be a positive number of requests per second, got {rate}")
        if burst < 1:
            raise ConfigError(f"rate limiter burst must be at least 1, got {burst}")
        self.rate = rate
        self._burst_credit = (burst - 1) / rate
        self._clock = clock
        # Slot n is at origin + n / rate, computed afresh rather than summed, so
        # that a long run accumulates no floating-point drift.
        self._origin = 0.0
        self._issued = -1
        self._closed = False
        self._waiters: set[asyncio.Future[None]] = set()

    def set_rate(self, rate: float) -> None:
        """Change the rate from the next slot on; slots already reserved keep their times."""
        if not rate > 0 or rate == float("inf"):
            raise ConfigError(f"--rps must be a positive number of requests per second, got {rate}")
        if self._issued >= 0:
            self._origin += self._issued / self.rate
            self._issued = 0
        self.rate = rate

    def reserve(self) -> float:
        """Reserve the next slot and return how long the caller must wait for it."""
        now = self._clock()
        earliest = now - self._burst_credit
        if self._issued < 0 or self._origin + self._issued / self.rate < earliest:
            self._origin = earliest  # idle long enough: the timeline restarts now
            self._issued = 0
        slot = self._origin + self._issued / self.rate
        self._issued += 1
        return max(0.0, slot - now)

    async def acquire(self) -> None:
        """Wait for this caller's slot; after `close()` let everyone through at once."""
        if self._closed:
            return
        delay = self.reserve()
        if delay <= 0:
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        handle = loop.call_later(delay, _release, waiter)
        self._waiters.add(waiter)
        try:
            await waiter
        finally:
            handle.cancel()
            self._waiters.discard(waiter)

    def close(self) -> None:
        """Stop the cap: waiting callers get RateGateClosed, later ones pass freely.

        Called when the run stops, so that requests queued for slots beyond
        the run's end are not sent, while teardowns still run unthrottled.
        """
        self._closed = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(RateGateClosed())


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
