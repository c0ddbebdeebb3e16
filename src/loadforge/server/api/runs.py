"""`/api/runs`: start, stop, list, read and delete runs; their CSV, HTML and PDF report.

Starting, stopping and deleting go through the RunService (database row,
then executor). The CSV is built from the stored per-second snapshots and
streamed a page of rows at a time. The PDF is printed from the run's
result.json on first request (headless Chromium, `loadforge.reports.pdf`)
and kept beside it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from loadforge.errors import BrowserMissingError, ReportError
from loadforge.metrics.errors import ResultFormatError
from loadforge.reports import OutputFormat, write_outputs
from loadforge.reports.pdf import PDF_FILE
from loadforge.results import load_result
from loadforge.results.writer import RESULT_FILE
from loadforge.server.api.errors import Conflict, NotFound, Unavailable
from loadforge.server.api.openapi import READS, errors, links
from loadforge.server.api.parameters import (
    DEFAULT_LIMIT,
    Limit,
    Offset,
    RunId,
    RunOfPath,
    SpecFilter,
    SpecOfPath,
)
from loadforge.server.api.schemas import Page, Run, RunStatus
from loadforge.server.api.state import State
from loadforge.server.api.views import run_view
from loadforge.server.contract import JsonObject, RunState
from loadforge.server.csv_export import csv_rows
from loadforge.server.db.models import RunRow, RunSnapshotRow
from loadforge.thresholds import read_outcomes

router = APIRouter(prefix="/api/runs", tags=["runs"], responses=READS)

CSV_PAGE_ROWS = 500
REPORT_FILE = "report.html"


@router.get("")
def list_runs(
    state: State,
    spec_id: SpecFilter = None,
    status: RunStatus | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[Run]:
    """Runs, newest first, optionally of one spec and in one status."""
    query = select(RunRow)
    if spec_id is not None:
        query = query.where(RunRow.spec_id == spec_id)
    if status is not None:
        query = query.where(RunRow.status == status)
    with state.sessions() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(RunRow.id.desc()).limit(limit).offset(offset))
        items = [run_view(row) for row in rows]
    return Page[Run](items=items, total=total, limit=limit, offset=offset)


_RUN_LINKS = links(
    202,
    {
        "GetRun": ("/api/runs/{id}", "get", "id"),
        "StopRun": ("/api/runs/{run_id}/stop", "post", "run_id"),
        "DeleteRun": ("/api/runs/{id}", "delete", "id"),
        "RunCsv": ("/api/runs/{run_id}/csv", "get", "run_id"),
        "RunReport": ("/api/runs/{run_id}/report", "get", "run_id"),
    },
)


@router.post("/{id}", status_code=202, responses={**errors(403, 404, 415, 503), **_RUN_LINKS})
async def start_run(spec_id: SpecOfPath, state: State) -> Run:
    """Start a run of the spec, or queue it behind the runs already going."""
    return await state.runs.start(spec_id)


@router.get("/{id}", responses=errors(404))
def get_run(run_id: RunOfPath, state: State) -> Run:
    """One run."""
    return state.runs.get(run_id)


@router.post(
    "/{run_id}/stop", status_code=202, responses={**errors(403, 404, 409, 415), **_RUN_LINKS}
)
async def stop_run(run_id: RunId, state: State) -> Run:
    """Stop a run gracefully; it ends `stopped` with its results kept."""
    return await state.runs.stop(run_id)


@router.delete("/{id}", status_code=204, responses=errors(403, 404, 409, 415))
async def delete_run(run_id: RunOfPath, state: State) -> Response:
    """Delete an ended run with its snapshots, console and results; 409 while it is active."""
    await state.runs.delete(run_id)
    return Response(status_code=204)


@router.get(
    "/{run_id}/csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **errors(404)},
)
def run_csv(run_id: RunId, state: State) -> StreamingResponse:
    """One row per second of the run, streamed."""
    state.runs.get(run_id)
    return StreamingResponse(
        _csv_lines(state.sessions, run_id),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="run-{run_id}.csv"'},
    )


@router.get(
    "/{run_id}/report",
    response_class=FileResponse,
    responses={200: {"content": {"text/html": {}}}, **errors(404, 409)},
)
async def run_report(run_id: RunId, state: State) -> FileResponse:
    """The run's HTML report, once it has ended."""
    run, results_dir = await asyncio.to_thread(_results_dir, state.sessions, run_id)
    if not RunState(run.status).is_final:
        raise Conflict(f"Run {run_id} is still {run.status}; its report comes when it ends.")
    report = None if results_dir is None else Path(results_dir) / REPORT_FILE
    if report is None or not report.is_file():
        raise NotFound(f"Run {run_id} has no HTML report.")
    return FileResponse(report, media_type="text/html")


@router.get(
    "/{run_id}/report.pdf",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}}, **errors(404, 409, 503)},
)
async def run_pdf_report(run_id: RunId, state: State) -> FileResponse:
    """The run's report as a PDF, once it has ended; 503 when the server has no browser."""
    run, results_dir = await asyncio.to_thread(_results_dir, state.sessions, run_id)
    if not RunState(run.status).is_final:
        raise Conflict(f"Run {run_id} is still {run.status}; its report comes when it ends.")
    if results_dir is None or not (Path(results_dir) / RESULT_FILE).is_file():
        raise NotFound(f"Run {run_id} has no result to print as a PDF report.")
    pdf = await asyncio.to_thread(_printed_report, Path(results_dir))
    return FileResponse(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="run-{run_id}-report.pdf"'},
    )


def _printed_report(directory: Path) -> Path:
    """report.pdf of a results directory, printed unless it is newer than result.json."""
    pdf = directory / PDF_FILE
    if pdf.is_file() and pdf.stat().st_mtime >= (directory / RESULT_FILE).stat().st_mtime:
        return pdf
    try:
        result = load_result(directory)
        write_outputs(directory, result, read_outcomes(directory), {OutputFormat.PDF})
    except ResultFormatError as exc:
        raise NotFound(f"The run's result cannot be read: {exc}") from None
    except (BrowserMissingError, ReportError) as exc:
        raise Unavailable(f"This server cannot print PDF reports: {exc}") from None
    return pdf


def _results_dir(sessions: sessionmaker[Session], run_id: int) -> tuple[Run, str | None]:
    with sessions() as session:
        row = session.get(RunRow, run_id)
        if row is None:
            raise NotFound(f"Run {run_id} does not exist.")
        return run_view(row), row.results_dir


def _csv_lines(sessions: sessionmaker[Session], run_id: int) -> Iterator[str]:
    """The CSV of the run's stored snapshots (a sync generator: Starlette runs it in a thread)."""
    return csv_rows(_stored_snapshots(sessions, run_id))


def _stored_snapshots(sessions: sessionmaker[Session], run_id: int) -> Iterator[JsonObject]:
    """The run's snapshots in order, a page at a time: a long run is never whole in memory."""
    after = -1
    while True:
        with sessions() as session:
            page = list(
                session.execute(
                    select(RunSnapshotRow.second, RunSnapshotRow.snapshot)
                    .where(RunSnapshotRow.run_id == run_id, RunSnapshotRow.second > after)
                    .order_by(RunSnapshotRow.second)
                    .limit(CSV_PAGE_ROWS)
                )
            )
        if not page:
            return
        after = page[-1][0]
        for _, snapshot in page:
            yield snapshot
