"""`/api/specs`: saved specs, created, listed, read, replaced and deleted.

A duplicate name is a 409 (the name is the spec's handle in the pages and in
CI scripts; a conflict says "exists", not "malformed"). Deleting a spec with
a queued or running run is a 409; its finished runs are kept, their
`spec_id` set to null, and its schedules go with it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loadforge.server.api.errors import Conflict, NotFound, Unprocessable
from loadforge.server.api.limits import check_limits
from loadforge.server.api.openapi import READS, WRITES, errors, links
from loadforge.server.api.parameters import DEFAULT_LIMIT, Limit, Offset, SpecId
from loadforge.server.api.schemas import Page, Spec, SpecInput
from loadforge.server.api.secrets import kept_secrets
from loadforge.server.api.security import check_code_allowed
from loadforge.server.api.state import State
from loadforge.server.api.views import latest_runs, spec_view
from loadforge.server.contract import RunState
from loadforge.server.db.models import AttachmentRow, RunRow, SpecRow, utc_now

router = APIRouter(prefix="/api/specs", tags=["specs"], responses=READS)

ACTIVE = (RunState.QUEUED.value, RunState.RUNNING.value)


@router.get("")
def list_specs(state: State, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Page[Spec]:
    """Saved specs, newest first, each with its last run."""
    with state.sessions() as session:
        total = session.scalar(select(func.count()).select_from(SpecRow)) or 0
        rows = list(
            session.scalars(select(SpecRow).order_by(SpecRow.id.desc()).limit(limit).offset(offset))
        )
        last = latest_runs(session, (row.id for row in rows))
        items = [spec_view(row, last.get(row.id)) for row in rows]
    return Page[Spec](items=items, total=total, limit=limit, offset=offset)


_SPEC = "/api/specs/{spec_id}"
_SPEC_LINKS = links(
    201,
    {
        "GetSpec": (_SPEC, "get", "spec_id"),
        "ReplaceSpec": (_SPEC, "put", "spec_id"),
        "DeleteSpec": (_SPEC, "delete", "spec_id"),
        "StartRun": ("/api/runs/{id}", "post", "id"),
    },
)


@router.post("", status_code=201, responses={**WRITES, **errors(409), **_SPEC_LINKS})
def create_spec(body: SpecInput, state: State) -> Spec:
    """Save a new spec."""
    check_code_allowed(body.scenario_code, state.settings)
    check_limits(body.load_profile, state.settings)
    with state.sessions.begin() as session:
        _check_attachment(session, body)
        now = utc_now()
        row = SpecRow(created_at=now, updated_at=now, **_columns(body))
        session.add(row)
        _flush_unique(session, body.name)
        return spec_view(row)


@router.get("/{spec_id}", responses=errors(404))
def get_spec(spec_id: SpecId, state: State) -> Spec:
    """One spec, with its last run."""
    with state.sessions() as session:
        row = _spec(session, spec_id)
        return spec_view(row, latest_runs(session, [spec_id]).get(spec_id))


@router.put("/{spec_id}", responses={**WRITES, **errors(404, 409)})
def replace_spec(spec_id: SpecId, body: SpecInput, state: State) -> Spec:
    """Replace a spec's name, request or code, load profile and thresholds."""
    check_code_allowed(body.scenario_code, state.settings)
    check_limits(body.load_profile, state.settings)
    with state.sessions.begin() as session:
        row = _spec(session, spec_id)
        _check_attachment(session, body)
        for key, value in _columns(body, row.request).items():
            setattr(row, key, value)
        row.updated_at = utc_now()
        _flush_unique(session, body.name)
        return spec_view(row, latest_runs(session, [spec_id]).get(spec_id))


@router.delete("/{spec_id}", status_code=204, responses=errors(403, 404, 409, 415))
def delete_spec(spec_id: SpecId, state: State) -> Response:
    """Delete a spec (and its schedules); 409 while one of its runs is queued or running."""
    with state.sessions.begin() as session:
        row = _spec(session, spec_id)
        active = session.scalar(
            select(func.count())
            .select_from(RunRow)
            .where(RunRow.spec_id == spec_id, RunRow.status.in_(ACTIVE))
        )
        if active:
            raise Conflict(
                f"Spec {spec_id} has a queued or running run; stop it before deleting the spec."
            )
        session.delete(row)
    return Response(status_code=204)


def _spec(session: Session, spec_id: int) -> SpecRow:
    row = session.get(SpecRow, spec_id)
    if row is None:
        raise NotFound(f"Spec {spec_id} does not exist.")
    return row


def _columns(body: SpecInput, stored: dict[str, object] | None = None) -> dict[str, object]:
    request = None if body.request is None else body.request.model_dump(mode="json")
    if request is not None and stored is not None:
        # The pages send back the masked value of a secret header they did not change.
        request["headers"] = kept_secrets(request["headers"], _headers_of(stored))
    return {
        "name": body.name,
        "request": request,
        "scenario_code": body.scenario_code,
        "load_profile": body.load_profile,
        "thresholds": list(body.thresholds),
    }


def _headers_of(request: dict[str, object]) -> dict[str, str]:
    headers = request.get("headers")
    if not isinstance(headers, dict):
        return {}
    return {str(name): str(value) for name, value in headers.items()}


def _check_attachment(session: Session, body: SpecInput) -> None:
    attachment_id = None if body.request is None else body.request.attachment_id
    if attachment_id is not None and session.get(AttachmentRow, attachment_id) is None:
        raise Unprocessable(
            f"Attachment {attachment_id} does not exist; upload it to /api/attachments first.",
            ("request", "attachment_id"),
        )


def _flush_unique(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A spec named {name!r} already exists.") from None
