"""The scheduler loop with a fake clock and an in-memory store: no sleeping, no database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from loadforge.server.scheduling import DueSchedule, Scheduler


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass
class FakeClock:
    """Time moves only when a test (or sleep_until) moves it."""

    current: datetime
    sleeps: list[datetime] = field(default_factory=list)
    stop_after: int = 1_000_000

    def now(self) -> datetime:
        return self.current

    async def sleep_until(self, when: datetime) -> None:
        self.sleeps.append(when)
        self.current = max(self.current, when)
        if len(self.sleeps) >= self.stop_after:
            raise asyncio.CancelledError
        await asyncio.sleep(0)


@dataclass
class MemoryStore:
    """Schedules in a dict; firings keyed by (schedule id, fire time) as the database does."""

    schedules: dict[int, tuple[str, str, datetime | None]] = field(default_factory=dict)
    firings: dict[tuple[int, datetime], int] = field(default_factory=dict)
    fire_calls: list[tuple[int, datetime]] = field(default_factory=list)
    failing: bool = False
    ticks: int = 0

    async def due_schedules(self, now: datetime) -> list[DueSchedule]:
        self.ticks += 1
        if self.failing:
            raise RuntimeError("database is down")
        return [
            DueSchedule(sid, nxt, cron, tz)
            for sid, (cron, tz, nxt) in self.schedules.items()
            if nxt is not None and nxt.replace(tzinfo=UTC) <= now
        ]

    async def fire(self, schedule_id: int, fire_time: datetime) -> int | None:
        self.fire_calls.append((schedule_id, fire_time))
        if (schedule_id, fire_time) in self.firings:
            return None
        run_id = 100 + len(self.firings)
        self.firings[(schedule_id, fire_time)] = run_id
        return run_id

    async def set_next(self, schedule_id: int, next_fire_at: datetime | None) -> None:
        cron, tz, _ = self.schedules[schedule_id]
        self.schedules[schedule_id] = (cron, tz, next_fire_at)

    def next_of(self, schedule_id: int) -> datetime | None:
        return self.schedules[schedule_id][2]


async def test_a_due_schedule_fires_once_and_moves_on() -> None:
    store = MemoryStore({1: ("*/5 * * * *", "UTC", utc(2026, 1, 1, 10, 5))})
    clock = FakeClock(utc(2026, 1, 1, 10, 5, 0))
    scheduler = Scheduler(store, clock)

    assert await scheduler.tick() == [100]
    assert store.next_of(1) == utc(2026, 1, 1, 10, 10)
    assert await scheduler.tick() == []  # not due again until 10:10
    assert store.fire_calls == [(1, utc(2026, 1, 1, 10, 5))]


async def test_nothing_fires_before_its_time() -> None:
    store = MemoryStore({1: ("*/5 * * * *", "UTC", utc(2026, 1, 1, 10, 5))})
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 4, 59)))

    assert await scheduler.tick() == []
    assert store.fire_calls == []


async def test_a_long_outage_catches_up_only_the_latest_firing() -> None:
    # Down for a day: 288 firings missed; one run starts, for the latest of them.
    store = MemoryStore({1: ("*/5 * * * *", "UTC", utc(2026, 1, 1, 10, 5))})
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 2, 10, 7, 30)))

    assert await scheduler.tick() == [100]
    assert store.fire_calls == [(1, utc(2026, 1, 2, 10, 5))]
    assert store.next_of(1) == utc(2026, 1, 2, 10, 10)


async def test_a_firing_already_recorded_does_not_start_a_second_run() -> None:
    # Another server (or this one before a crash) fired 10:05 but did not store the next time.
    store = MemoryStore({1: ("*/5 * * * *", "UTC", utc(2026, 1, 1, 10, 5))})
    store.firings[(1, utc(2026, 1, 1, 10, 5))] = 7
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 6)))

    assert await scheduler.tick() == []
    assert store.next_of(1) == utc(2026, 1, 1, 10, 10)


async def test_two_schedulers_on_one_store_fire_each_firing_once() -> None:
    store = MemoryStore({1: ("* * * * *", "UTC", utc(2026, 1, 1, 10, 1))})
    clock = FakeClock(utc(2026, 1, 1, 10, 1, 0))
    first, second = Scheduler(store, clock), Scheduler(store, clock)

    results = await asyncio.gather(first.tick(), second.tick())

    assert sorted(results) == [[], [100]]
    assert len(store.firings) == 1


async def test_the_loop_fires_every_minute_under_a_fake_clock() -> None:
    store = MemoryStore({1: ("* * * * *", "UTC", utc(2026, 1, 1, 10, 1))})
    clock = FakeClock(utc(2026, 1, 1, 10, 0, 30), stop_after=5 * 60)
    scheduler = Scheduler(store, clock, poll_seconds=1)

    await asyncio.wait([asyncio.create_task(scheduler.run())])

    fired = [when for _, when in store.fire_calls]
    assert fired == [utc(2026, 1, 1, 10, m) for m in range(1, 6)]
    assert clock.sleeps[1] - clock.sleeps[0] == timedelta(seconds=1)


async def test_a_store_failure_is_logged_and_the_loop_goes_on() -> None:
    store = MemoryStore({1: ("* * * * *", "UTC", utc(2026, 1, 1, 10, 1))}, failing=True)
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 1)))

    assert await scheduler.tick() == []
    store.failing = False
    assert await scheduler.tick() == [100]


async def test_a_schedule_that_no_longer_parses_is_disabled() -> None:
    store = MemoryStore({1: ("61 * * * *", "UTC", utc(2026, 1, 1, 10, 1))})
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 1)))

    assert await scheduler.tick() == []
    assert store.next_of(1) is None


async def test_naive_fire_times_from_sqlite_are_read_as_utc() -> None:
    naive = datetime(2026, 1, 1, 10, 5)
    store = MemoryStore({1: ("*/5 * * * *", "UTC", naive)})
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 5)))

    assert await scheduler.tick() == [100]
    assert store.fire_calls == [(1, utc(2026, 1, 1, 10, 5))]


def _loops() -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if task.get_name() == "loadforge-scheduler"]


async def test_start_runs_the_loop_and_stop_ends_it() -> None:
    store = MemoryStore({1: ("* * * * *", "UTC", utc(2026, 1, 1, 10, 1))})
    scheduler = Scheduler(store, FakeClock(utc(2026, 1, 1, 10, 1)))
    scheduler.start()
    scheduler.start()  # already running: still one loop
    assert len(_loops()) == 1
    for _ in range(100):
        if store.fire_calls:
            break
        await asyncio.sleep(0)
    assert store.fire_calls == [(1, utc(2026, 1, 1, 10, 1))]

    await scheduler.stop()
    assert _loops() == []
    ticks = store.ticks
    for _ in range(20):
        await asyncio.sleep(0)
    assert store.ticks == ticks  # no tick after stop
    await scheduler.stop()  # a second stop is harmless
