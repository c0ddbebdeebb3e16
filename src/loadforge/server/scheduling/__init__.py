"""Cron schedules: when a saved spec runs by itself, and the loop that starts those runs.

The API validates a schedule with `validate_schedule` (a 422 on ConfigError),
computes `next_fire_at` with `next_fire_time`, and runs a `Scheduler` over
its own `ScheduleStore` for as long as the server runs.
"""

from loadforge.server.scheduling.cron import (
    CronSchedule,
    next_fire_time,
    parse_schedule,
    validate_schedule,
)
from loadforge.server.scheduling.scheduler import (
    Clock,
    DueSchedule,
    Scheduler,
    ScheduleStore,
    SystemClock,
)

__all__ = [
    "Clock",
    "CronSchedule",
    "DueSchedule",
    "ScheduleStore",
    "Scheduler",
    "SystemClock",
    "next_fire_time",
    "parse_schedule",
    "validate_schedule",
]
