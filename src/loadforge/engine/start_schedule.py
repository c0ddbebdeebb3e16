"""One exact schedule of the open model's starts: start k is due at anchor + k / rate.

`ArrivalPool` runs one for its whole rate, or one per scenario when several
scenarios follow arrival rates of their own (`ArrivalPool.pace_lanes`).
Each start is handed to `launch` with its intended time, which the pool
times corrected latency from.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

LAUNCH_WINDOW = 0.0005
"""Starts due within this many seconds are made at once rather than slept for.

uvloop times callbacks to the millisecond, rounding, so a sleep shorter
than half a millisecond returns at once: sleeping until each start would
spin the schedule around the loop, a whole core from about 2,000 starts/s
whatever the work (benchmarks/README.md, Open model). Each start is made
within about half a millisecond of its intended time, early or late.
"""


END_SLACK = 1e-6
"""A start due within this many seconds of the planned end counts as due at the end.

A phased schedule's last gap, (zero + phase/rate) + k/rate, can round an ulp
below zero + D: without the slack it would make the start due at D itself.
"""


class StartSchedule:
    """Starts at a rate from the run's time zero, strictly before its planned end."""

    def __init__(self, launch: Callable[[float], None]) -> None:
        self._launch = launch
        self.rate = 0.0
        self.phase = 0.0
        self.origin = 0.0  # when the schedule (re)started: starts are due from here
        # The run's time zero and planned end (time.monotonic()), once known:
        # the first start is due at its zero, and none is due at its end or after.
        self._zero: float | None = None
        self._end = math.inf
        # Start k is due at anchor + k / gap_rate.
        self._anchor, self._k, self._gap_rate = 0.0, 0, 0.0
        self._task: asyncio.Task[None] | None = None
        self._paced = asyncio.Event()

    def plan(self, start: float, end: float) -> None:
        """The run's time zero and planned end: starts fall at zero + k/rate, strictly before end.

        A rate R for D seconds then starts exactly R×D iterations (k6 does the
        same), however late the stop reaches the pool.
        """
        self._zero = start
        self._end = end

    def pace(self, rate: float, *, phase: float = 0.0) -> None:
        """Start `rate` iterations per second from now on; see `ArrivalPool.pace`."""
        self.phase = phase
        if rate == self.rate and self._task is not None:
            return
        self.rate = max(rate, 0.0)
        if self._task is None:
            self.origin = time.monotonic() if self._zero is None else self._zero
            loop = asyncio.get_running_loop()
            self._task = loop.create_task(self._run(), name="loadforge-arrivals")
        self._paced.set()

    def finish(self) -> None:
        """Make the starts that fell due before now (and before the end), then stop starting.

        A stop that comes late in a busy process so loses none of them.
        """
        if self._task is None:
            return
        if not self._task.done() and self._gap_rate > 0 and not self._paced.is_set():
            self.launch_due(time.monotonic())
        self._task.cancel()

    def cancel(self) -> None:
        """Stop starting, now."""
        if self._task is not None:
            self._task.cancel()

    def _first_due(self) -> float:
        return self.origin + (self.phase / self.rate if self.rate > 0 else 0.0)

    async def _run(self) -> None:
        # Start k is due at anchor + k / rate, computed from the anchor (never
        # by adding gaps to the clock or to each other), so the schedule does
        # not drift however late the loop wakes or however long the run.
        self._anchor, self._k, self._gap_rate = self._first_due(), 0, self.rate
        while True:
            if self.rate <= 0:
                self._paced.clear()
                await self._paced.wait()
                self._paced.clear()
                self.origin = time.monotonic()
                self._anchor, self._k, self._gap_rate = self._first_due(), 0, self.rate
                continue
            if self._paced.is_set():
                self._paced.clear()
                if self._k:
                    # A new rate: the next start is one new gap after the last one.
                    self._anchor += (self._k - 1) / self._gap_rate
                    self._k = 1
                else:
                    self._anchor = self._first_due()
                self._gap_rate = self.rate
            next_due = self._anchor + self._k / self._gap_rate
            if next_due >= self._end - END_SLACK:
                return  # the planned end: no start is due from here on
            now = time.monotonic()
            if next_due > now + LAUNCH_WINDOW:
                # Capped so that a lower rate set meanwhile is seen within 50 ms.
                await asyncio.sleep(min(next_due - now, 0.05))
                continue
            self.launch_due(now + LAUNCH_WINDOW)

    def launch_due(self, until: float) -> None:
        """Make every start due by `until` and before the planned end.

        Each start keeps its own intended time, so a late loop shows up in
        corrected latency (a start made early does not lower it).
        """
        launch = self._launch
        next_due = self._anchor + self._k / self._gap_rate
        while next_due <= until and next_due < self._end - END_SLACK:
            launch(next_due)
            self._k += 1
            next_due = self._anchor + self._k / self._gap_rate
