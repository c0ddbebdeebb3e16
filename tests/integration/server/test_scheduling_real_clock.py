"""One real firing: the scheduler on the system clock fires an every-second schedule."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from loadforge.server.scheduling import DueSchedule, Scheduler, next_fire_time


@dataclass
class OneSchedule:
    """A store holding one every-second schedule, recording its firings."""

    next_fire_at: datetime | None
    fired: list[datetime] = field(default_factory=list)
    event: asyncio.Event = field(default_factory=asyncio.Event)

    async def due_schedules(self, now: datetime) -> list[DueSchedule]:
        if self.next_fire_at is None or self.next_fire_at > now:
            return []
        return [DueSchedule(1, self.next_fire_at, "* * * * * *", "Europe/Paris")]

    async def fire(self, schedule_id: int, fire_time: datetime) -> int | None:
        self.fired.append(fire_time)
        self.event.set()
        return len(self.fired)

    async def set_next(self, schedule_id: int, next_fire_at: datetime | None) -> None:
        self.next_fire_at = next_fire_at


async def test_a_schedule_fires_on_the_real_clock() -> None:
    start = datetime.now(UTC)
    store = OneSchedule(next_fire_time("* * * * * *", "Europe/Paris", start))
    scheduler = Scheduler(store, poll_seconds=0.2)

    scheduler.start()
    try:
        await asyncio.wait_for(store.event.wait(), 5)
    finally:
        await scheduler.stop()

    fired = store.fired[0]
    assert fired > start
    assert fired.microsecond == 0
    assert datetime.now(UTC) >= fired
    assert store.next_fire_at is not None
    assert store.next_fire_at > fired
