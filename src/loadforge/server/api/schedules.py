"""`/api/schedules`: cron schedules that start runs of a spec.

The API stores schedules and shows their next firing; the scheduler loop
(loadforge.server.scheduling) fires them through
`RunService.start_run_for_firing`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loadforge.server.api.errors import NotFound, Unprocessable
from loadforge.server.api.openapi import READS, WRITES, errors, links
from loadforge.server.api.parameters import DEFAULT_LIMIT, Limit, Offset, ScheduleId
from loadforge.server.api.schedule_times import next_fire_time
from loadforge.server.api.schemas import Page, Schedule, ScheduleInput
from loadforge.server.api.state import State
from loadforge.server.api.views import schedule_view
from loadforge.server.db.models import ScheduleRow, SpecRow, utc_now

router = APIRouter(prefix="/api/schedules", tags=["schedules"], responses=READS)


@router.get("")
def list_schedules(
    state: State, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> Page[Schedule]:
    """Schedules, newest first."""
    with state.sessions() as session:
        total = session.scalar(select(func.count()).select_from(ScheduleRow)) or 0
        rows = session.scalars(
            select(ScheduleRow).order_by(ScheduleRow.id.desc()).limit(limit).offset(offset)
        )
        items = [schedule_view(row) for row in rows]
    return Page[Schedule](items=items, total=total, limit=limit, offset=offset)


_SCHEDULE = "/api/schedules/{schedule_id}"
_SCHEDULE_LINKS = links(
    201,
    {
        "GetSchedule": (_SCHEDULE, "get", "schedule_id"),
        "ReplaceSchedule": (_SCHEDULE, "put", "schedule_id"),
        "DeleteSchedule": (_SCHEDULE, "delete", "schedule_id"),
    },
)


@router.post("", status_code=201, responses={**WRITES, **_SCHEDULE_LINKS})
def create_schedule(body: ScheduleInput, state: State) -> Schedule:
    """Add a schedule; 422 for a malformed cron expression, unknown timezone or spec."""
    with state.sessions.begin() as session:
        _check_spec(session, body.spec_id)
        now = utc_now()
        row = ScheduleRow(created_at=now, updated_at=now)
        _apply(row, body)
        session.add(row)
        session.flush()
        return schedule_view(row)


@router.get("/{schedule_id}", responses=errors(404))
def get_schedule(schedule_id: ScheduleId, state: State) -> Schedule:
    """One schedule."""
    with state.sessions() as session:
        return schedule_view(_schedule(session, schedule_id))


@router.put("/{schedule_id}", responses={**WRITES, **errors(404)})
def replace_schedule(schedule_id: ScheduleId, body: ScheduleInput, state: State) -> Schedule:
    """Replace a schedule's spec, cron expression, timezone and switch."""
    with state.sessions.begin() as session:
        row = _schedule(session, schedule_id)
        _check_spec(session, body.spec_id)
        _apply(row, body)
        row.updated_at = utc_now()
        return schedule_view(row)


@router.delete("/{schedule_id}", status_code=204, responses=errors(403, 404, 415))
def delete_schedule(schedule_id: ScheduleId, state: State) -> Response:
    """Delete a schedule; the runs it made are kept."""
    with state.sessions.begin() as session:
        session.delete(_schedule(session, schedule_id))
    return Response(status_code=204)


def _apply(row: ScheduleRow, body: ScheduleInput) -> None:
    row.spec_id = body.spec_id
    row.cron = body.cron
    row.timezone = body.timezone
    row.enabled = body.enabled
    row.next_fire_at = next_fire_time(body.cron, body.timezone, utc_now()) if body.enabled else None


def _schedule(session: Session, schedule_id: int) -> ScheduleRow:
    row = session.get(ScheduleRow, schedule_id)
    if row is None:
        raise NotFound(f"Schedule {schedule_id} does not exist.")
    return row


def _check_spec(session: Session, spec_id: int) -> None:
    if session.get(SpecRow, spec_id) is None:
        raise Unprocessable(f"Spec {spec_id} does not exist.", ("spec_id",))
