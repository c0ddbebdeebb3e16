"""The loop that starts scheduled runs: each firing once, never twice, at most one catch-up.

Every `poll_seconds` it asks the `ScheduleStore` which schedules are due,
fires each one and stores its next firing time. The store, implemented by
the API over the database, records each firing under a unique
(schedule id, fire time) key and answers None for a firing already recorded,
so neither a restart between `fire` and `set_next` nor two servers sharing one
PostgreSQL database start a firing's run twice.

Catching up: a schedule due long ago (the server was down) fires once, for its
latest missed firing, and then resumes: a server down for a day does not
start 288 runs of an every-five-minutes schedule, it starts one.

Polling rather than sleeping until the earliest next firing keeps schedules
edited through the API (or by another server) in effect within a second,
without the store having to wake the loop; a due-schedules query on an
indexed `next_fire_at` once a second is cheap.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from loadforge.errors import ConfigError
from loadforge.server.scheduling.cron import parse_schedule

__all__ = ["Clock", "DueSchedule", "ScheduleStore", "Scheduler", "SystemClock"]

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class Clock(Protocol):
    """The time, and a way to wait for it; tests pass a fake one."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...

    async def sleep_until(self, when: datetime) -> None:
        """Return at (or soon after) `when`."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(UTC)

    async def sleep_until(self, when: datetime) -> None:
        """asyncio.sleep until `when`."""
        await asyncio.sleep(max(0.0, (when - self.now()).total_seconds()))


@dataclass(frozen=True, slots=True)
class DueSchedule:
    """An enabled schedule whose `next_fire_at` has come."""

    schedule_id: int
    fire_time: datetime  # its stored next_fire_at, aware
    cron: str
    timezone: str


class ScheduleStore(Protocol):
    """What the scheduler needs from the schedules table (implemented by the API)."""

    async def due_schedules(self, now: datetime) -> list[DueSchedule]:
        """Enabled schedules with `next_fire_at <= now`."""
        ...

    async def fire(self, schedule_id: int, fire_time: datetime) -> int | None:
        """Record the firing and start its run: the run id, or None if already recorded."""
        ...

    async def set_next(self, schedule_id: int, next_fire_at: datetime | None) -> None:
        """Store the schedule's next firing (None: it can no longer fire)."""
        ...


class Scheduler:
    """Fires due schedules through a `ScheduleStore`; `start()` it on the server's loop."""

    def __init__(
        self,
        store: ScheduleStore,
        clock: Clock | None = None,
        *,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._poll = timedelta(seconds=poll_seconds)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the loop in a task of the running event loop."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="loadforge-scheduler")

    async def stop(self) -> None:
        """Cancel the loop and wait for it to end."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.wait([task])  # unlike `await task`, does not re-raise its cancellation

    async def run(self) -> None:
        """Tick, then sleep to the next poll, until cancelled."""
        while True:
            await self.tick()
            await self._clock.sleep_until(self._clock.now() + self._poll)

    async def tick(self) -> list[int]:
        """One pass: fire every due schedule once; the run ids started."""
        now = self._clock.now()
        try:
            due = await self._store.due_schedules(now)
        except Exception:
            log.exception("reading the due schedules failed")
            return []
        started: list[int] = []
        for schedule in due:
            try:
                run_id = await self._fire(schedule, now)
            except Exception:
                log.exception("firing schedule %d failed", schedule.schedule_id)
                continue
            if run_id is not None:
                started.append(run_id)
        return started

    async def _fire(self, due: DueSchedule, now: datetime) -> int | None:
        try:
            schedule = parse_schedule(due.cron, due.timezone)
        except ConfigError as exc:  # saved before a rule tightened, or edited by hand
            log.warning("schedule %d cannot fire: %s", due.schedule_id, exc)
            await self._store.set_next(due.schedule_id, None)
            return None
        # Only the latest missed firing: the ones before it are skipped, not replayed.
        fire_time = max(_aware(due.fire_time), schedule.latest_at_or_before(now))
        run_id = await self._store.fire(due.schedule_id, fire_time)
        if run_id is None:
            log.debug("schedule %d at %s was fired already", due.schedule_id, fire_time)
        await self._store.set_next(due.schedule_id, schedule.next_after(max(now, fire_time)))
        return run_id


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the scheduler stores UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
