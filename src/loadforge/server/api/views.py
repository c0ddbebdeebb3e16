"""Rows to the API's JSON models: one function per resource.

Kept in one place so the REST answers, the WebSocket messages and the frozen
spec in a run all show the same shapes.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import JsonValue, TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loadforge.server.api.schemas import (
    Attachment,
    LastRun,
    Progress,
    RequestSpec,
    Run,
    Schedule,
    Spec,
    ThresholdResult,
)
from loadforge.server.api.secrets import masked_request
from loadforge.server.db.models import AttachmentRow, RunRow, ScheduleRow, SpecRow

_JSON_OBJECT: TypeAdapter[dict[str, JsonValue]] = TypeAdapter(dict[str, JsonValue])


def spec_view(row: SpecRow, last_run: RunRow | None = None, *, masked: bool = True) -> Spec:
    """The Spec JSON of a row; credential headers masked unless `masked` is False."""
    request = masked_request(row.request) if masked else row.request
    return Spec(
        id=row.id,
        name=row.name,
        request=None if request is None else RequestSpec.model_validate(request),
        scenario_code=row.scenario_code,
        load_profile=_JSON_OBJECT.validate_python(row.load_profile),
        thresholds=list(row.thresholds),
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_run=None if last_run is None else _last_run(last_run),
    )


def _last_run(row: RunRow) -> LastRun:
    return LastRun.model_validate(
        {
            "id": row.id,
            "status": row.status,
            "passed": row.passed,
            "finished_at": row.finished_at,
        }
    )


def latest_runs(session: Session, spec_ids: Iterable[int]) -> dict[int, RunRow]:
    """The newest run of each of these specs, by spec id."""
    ids = list(spec_ids)
    if not ids:
        return {}
    newest = select(func.max(RunRow.id)).where(RunRow.spec_id.in_(ids)).group_by(RunRow.spec_id)
    rows = session.scalars(select(RunRow).where(RunRow.id.in_(newest)))
    return {row.spec_id: row for row in rows if row.spec_id is not None}


def frozen_spec(row: SpecRow) -> dict[str, JsonValue]:
    """The spec as a run keeps it: its JSON without the last run, secrets whole."""
    return spec_view(row, masked=False).model_dump(mode="json", exclude={"last_run"})


def run_view(row: RunRow) -> Run:
    """The Run JSON of a row."""
    duration = row.duration_seconds
    fraction = min(1.0, row.elapsed_seconds / duration) if duration > 0 else 0.0
    return Run.model_validate(
        {
            "id": row.id,
            "spec_id": row.spec_id,
            "spec": _masked_spec(row.spec),
            "status": row.status,
            "schedule_id": row.schedule_id,
            "created_at": row.created_at,
            "started_at": row.started_at,
            "finished_at": row.finished_at,
            "progress": Progress(
                elapsed_seconds=row.elapsed_seconds,
                duration_seconds=duration,
                fraction=fraction,
            ),
            "summary": row.summary,
            "thresholds": [ThresholdResult.model_validate(item) for item in row.thresholds],
            "passed": row.passed,
            "error": row.error,
        }
    )


def _masked_spec(spec: dict[str, object]) -> dict[str, object]:
    if "request" not in spec:
        return spec
    return {**spec, "request": masked_request(spec["request"])}


def attachment_view(row: AttachmentRow) -> Attachment:
    """The Attachment JSON of a row."""
    return Attachment(
        id=row.id,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def schedule_view(row: ScheduleRow) -> Schedule:
    """The Schedule JSON of a row."""
    return Schedule(
        id=row.id,
        spec_id=row.spec_id,
        cron=row.cron,
        timezone=row.timezone,
        enabled=row.enabled,
        next_fire_at=row.next_fire_at,
        last_fire_at=row.last_fire_at,
        last_run_id=row.last_run_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
