"""The API's side of the executor contract: a `RunSink` that stores and broadcasts.

Every report from the executor is written to the database in a worker
thread (its own short transaction, so the event loop never waits on the
database) and then published to the run's WebSocket clients. Log lines are
bounded: each insert deletes the lines older than the last LOG_LINES_KEPT.
A run that ended with a summary of 0 requests is stored as not passed, with
a `requests>0` verdict saying why: nothing measured is nothing passed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from pydantic import JsonValue
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from loadforge.server.api.hub import Kind, LiveMessage, RunHub
from loadforge.server.api.live_runs import LiveRuns
from loadforge.server.api.views import run_view
from loadforge.server.contract import JsonObject, RunEnding, RunState
from loadforge.server.db.models import RunLogRow, RunRow, RunSnapshotRow, utc_now

LOG_LINES_KEPT = 10_000

log = logging.getLogger(__name__)
_P = ParamSpec("_P")
_T = TypeVar("_T")


class DatabaseRunSink:
    """Implements `loadforge.server.contract.RunSink` over the database and a RunHub."""

    def __init__(
        self, sessions: sessionmaker[Session], hub: RunHub, live: LiveRuns | None = None
    ) -> None:
        self._sessions = sessions
        self._hub = hub
        self._live = live or LiveRuns()

    async def run_started(self, run_id: int, results_dir: Path) -> None:
        """Mark the run running and tell its clients."""
        text = await self._write(self._started, run_id, str(results_dir))
        self._publish(run_id, Kind.STATUS, -1, text)

    async def run_progress(
        self, run_id: int, snapshot: JsonObject, elapsed_seconds: float, duration_seconds: float
    ) -> None:
        """Store one second's snapshot and the run's progress, then broadcast the snapshot."""
        self._live.progress(run_id, snapshot)
        second = await self._write(
            self._progress, run_id, dict(snapshot), elapsed_seconds, duration_seconds
        )
        if second is not None:
            text = json.dumps({"type": "progress", "data": snapshot}, default=str)
            self._publish(run_id, Kind.PROGRESS, second, text)

    async def run_log(self, run_id: int, line: str) -> None:
        """Store one console line (keeping the last LOG_LINES_KEPT) and broadcast it."""
        stored = await self._write(self._log, run_id, line)
        if stored is not None:
            seq, timestamp = stored
            data = {"seq": seq, "timestamp": _iso(timestamp), "line": line}
            self._publish(run_id, Kind.LOG, seq, json.dumps({"type": "log", "data": data}))

    async def run_finished(self, run_id: int, ending: RunEnding) -> None:
        """Store how the run ended and tell its clients."""
        self._live.finished(run_id)
        text = await self._write(self._finished, run_id, ending)
        self._publish(run_id, Kind.STATUS, -1, text)

    async def _write(
        self, write: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T | None:
        """Run a database write in a worker thread; a failure is logged, never raised.

        The executor must not crash a run because the database hiccuped: the
        write is lost (and logged), the run goes on.
        """
        try:
            return await asyncio.to_thread(write, *args, **kwargs)
        except SQLAlchemyError:
            log.exception("storing a report of the run executor failed")
            return None

    def _publish(self, run_id: int, kind: Kind, key: int, text: str | None) -> None:
        if text is not None:
            self._hub.publish(run_id, LiveMessage(kind, key, text))

    def _started(self, run_id: int, results_dir: str) -> str | None:
        with self._sessions.begin() as session:
            row = session.get(RunRow, run_id)
            if row is None or RunState(row.status).is_final:
                return None
            row.status = RunState.RUNNING.value
            row.started_at = utc_now()
            row.results_dir = results_dir
            return status_message(row)

    def _progress(
        self, run_id: int, snapshot: dict[str, object], elapsed: float, duration: float
    ) -> int | None:
        with self._sessions.begin() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                return None
            last = session.scalar(
                select(func.max(RunSnapshotRow.second)).where(RunSnapshotRow.run_id == run_id)
            )
            second = 0 if last is None else last + 1
            session.add(RunSnapshotRow(run_id=run_id, second=second, snapshot=snapshot))
            row.elapsed_seconds = elapsed
            row.duration_seconds = duration
            return second

    def _log(self, run_id: int, line: str) -> tuple[int, datetime] | None:
        with self._sessions.begin() as session:
            if session.get(RunRow, run_id) is None:
                return None
            last = session.scalar(select(func.max(RunLogRow.seq)).where(RunLogRow.run_id == run_id))
            seq = 0 if last is None else last + 1
            timestamp = utc_now()
            session.add(RunLogRow(run_id=run_id, seq=seq, timestamp=timestamp, line=line))
            session.execute(
                delete(RunLogRow).where(
                    RunLogRow.run_id == run_id, RunLogRow.seq <= seq - LOG_LINES_KEPT
                )
            )
            return seq, timestamp

    def _finished(self, run_id: int, ending: RunEnding) -> str | None:
        with self._sessions.begin() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                return None
            row.status = ending.state.value
            row.finished_at = utc_now()
            row.summary = None if ending.summary is None else ending.summary.to_dict()
            row.thresholds = [
                {"expression": v.expression, "passed": v.passed, "actual": v.actual}
                for v in ending.thresholds
            ]
            row.passed = ending.passed
            if ending.summary is not None and ending.summary.requests == 0:
                # Nothing was measured, so nothing passed: a run that sent no request fails.
                row.passed = False
                row.thresholds = [*row.thresholds, NO_REQUEST_VERDICT]
            row.error = ending.error
            if ending.results_dir is not None:
                row.results_dir = str(ending.results_dir)
            return status_message(row)


NO_REQUEST_VERDICT: dict[str, object] = {
    "expression": "requests>0",
    "passed": False,
    "actual": "no request was sent",
}


def status_message(row: RunRow) -> str:
    """The `status` WebSocket message for a run row."""
    data: JsonValue = run_view(row).model_dump(mode="json")
    return json.dumps({"type": "status", "data": data})


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
