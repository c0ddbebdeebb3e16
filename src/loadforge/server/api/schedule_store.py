"""The schedules table as the scheduler loop sees it (`loadforge.server.scheduling`).

`DatabaseScheduleStore` has the three methods of the scheduler's
`ScheduleStore` protocol: which schedules are due, fire one (the firing row
and its run in one transaction, through `RunService.start_run_for_firing`),
and store the next firing time. Database work runs in worker threads.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from loadforge.server.api.run_service import RunService
from loadforge.server.db.models import ScheduleRow
from loadforge.server.scheduling import DueSchedule


class DatabaseScheduleStore:
    """Due schedules, firings and next firing times, over the database."""

    def __init__(self, sessions: sessionmaker[Session], runs: RunService) -> None:
        self._sessions = sessions
        self._runs = runs

    async def due_schedules(self, now: datetime) -> list[DueSchedule]:
        """Enabled schedules with `next_fire_at <= now`, the earliest first."""
        return await asyncio.to_thread(self._due, now)

    async def fire(self, schedule_id: int, fire_time: datetime) -> int | None:
        """Record the firing and start its run; None when it was recorded already."""
        return await self._runs.start_run_for_firing(schedule_id, fire_time)

    async def set_next(self, schedule_id: int, next_fire_at: datetime | None) -> None:
        """Store the schedule's next firing (None: it can no longer fire)."""
        await asyncio.to_thread(self._set_next, schedule_id, next_fire_at)

    def _due(self, now: datetime) -> list[DueSchedule]:
        with self._sessions() as session:
            rows = session.scalars(
                select(ScheduleRow)
                .where(ScheduleRow.enabled, ScheduleRow.next_fire_at <= now)
                .order_by(ScheduleRow.next_fire_at, ScheduleRow.id)
            )
            return [
                DueSchedule(row.id, row.next_fire_at, row.cron, row.timezone)
                for row in rows
                if row.next_fire_at is not None
            ]

    def _set_next(self, schedule_id: int, next_fire_at: datetime | None) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(ScheduleRow)
                .where(ScheduleRow.id == schedule_id)
                .values(next_fire_at=next_fire_at)
            )
