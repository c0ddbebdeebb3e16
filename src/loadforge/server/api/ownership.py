"""Which server drives which run, when several servers share one database.

Each `loadforge serve` registers itself in `server_instances` with a random
id and beats every HEARTBEAT_SECONDS; every run it creates carries that id as
its owner. A run is only ever ended by its owner, with one exception: a run
whose owner has not beaten for STALE_SECONDS, or whose owner ran on this
machine under a process id that no longer exists, has no process driving it
any more (the server was killed), and any server marks it `interrupted`
("server stopped", with a summary and report from its stored seconds), at
start-up and then at each heartbeat. A stop asked of a server that does not
own the run is left in `runs.stop_requested`; the owner looks for those every
POLL_SECONDS and stops the run itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from loadforge.metrics.errors import ResultFormatError
from loadforge.server.contract import RunState
from loadforge.server.db.models import RunRow, RunSnapshotRow, ServerInstanceRow, utc_now
from loadforge.server.execution.interrupted import SERVER_STOPPED, remains_of, write_report

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 30.0
POLL_SECONDS = 1.0
ACTIVE = (RunState.QUEUED.value, RunState.RUNNING.value)

StopRun = Callable[[int], Awaitable[object]]


class ServerInstance:
    """This server's row in `server_instances`, its heartbeat and the runs it owns."""

    def __init__(self, sessions: sessionmaker[Session], instance_id: str | None = None) -> None:
        self.id = instance_id or str(uuid.uuid4())
        self._sessions = sessions
        self._task: asyncio.Task[None] | None = None

    def register(self) -> int:
        """Interrupt the runs of dead servers, then record this one; how many were interrupted."""
        interrupted = interrupt_orphans(self._sessions, utc_now())
        with self._sessions.begin() as session:
            session.add(_row(self.id, utc_now()))
        return interrupted

    def start(self, stop_run: StopRun) -> None:
        """Beat, and carry out stops asked of this server by others, until `stop`."""
        self._task = asyncio.create_task(self._loop(stop_run), name="loadforge-heartbeat")

    async def stop(self) -> None:
        """End the loop and leave the table: this server owns nothing any more."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(SQLAlchemyError):
            await asyncio.to_thread(self._leave)

    def owner_alive(self, owner_id: str | None) -> bool:
        """Whether the server owning a run is this one or beat within STALE_SECONDS."""
        if owner_id is None:
            return False
        if owner_id == self.id:
            return True
        with self._sessions() as session:
            row = session.get(ServerInstanceRow, owner_id)
            return row is not None and row.heartbeat_at >= utc_now() - _stale()

    def request_stop(self, run_id: int) -> None:
        """Leave a stop for the run's owner (another server) to carry out."""
        with self._sessions.begin() as session:
            session.execute(update(RunRow).where(RunRow.id == run_id).values(stop_requested=True))

    async def _loop(self, stop_run: StopRun) -> None:
        beats_every = max(1, round(HEARTBEAT_SECONDS / POLL_SECONDS))
        tick = 0
        while True:
            await asyncio.sleep(POLL_SECONDS)
            tick += 1
            try:
                if tick % beats_every == 0:
                    await asyncio.to_thread(self._beat)
                for run_id in await asyncio.to_thread(self._stops_asked):
                    await stop_run(run_id)
            except Exception:
                log.exception("the server's heartbeat failed; trying again")

    def _beat(self) -> None:
        now = utc_now()
        with self._sessions.begin() as session:
            found = session.execute(
                update(ServerInstanceRow)
                .where(ServerInstanceRow.id == self.id)
                .values(heartbeat_at=now)
            )
            if not getattr(found, "rowcount", 1):  # another server thought us dead
                session.add(_row(self.id, now))
        interrupt_orphans(self._sessions, now)

    def _stops_asked(self) -> list[int]:
        with self._sessions.begin() as session:
            ids = list(
                session.scalars(
                    select(RunRow.id).where(
                        RunRow.owner_id == self.id,
                        RunRow.stop_requested,
                        RunRow.status.in_(ACTIVE),
                    )
                )
            )
            if ids:
                session.execute(
                    update(RunRow).where(RunRow.id.in_(ids)).values(stop_requested=False)
                )
            return ids

    def _leave(self) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ServerInstanceRow).where(ServerInstanceRow.id == self.id))


def interrupt_orphans(sessions: sessionmaker[Session], now: datetime) -> int:
    """Mark interrupted the active runs whose owner is gone; how many there were.

    Each gets the reason SERVER_STOPPED, a summary and `finished_at` from its
    stored seconds, and, where its results directory is on this machine, a
    report.html drawn after the transaction (`loadforge.server.execution.interrupted`).
    """
    reports: list[tuple[str, str, datetime | None]] = []
    with sessions.begin() as session:
        instances = session.execute(
            select(ServerInstanceRow.id, ServerInstanceRow.hostname, ServerInstanceRow.pid,
                   ServerInstanceRow.heartbeat_at)
        ).all()  # fmt: skip
        alive = [
            row.id for row in instances if _alive(row.hostname, row.pid, row.heartbeat_at, now)
        ]
        orphans = session.scalars(
            select(RunRow).where(
                RunRow.status.in_(ACTIVE),
                or_(RunRow.owner_id.is_(None), RunRow.owner_id.not_in(alive)),
            )
        ).all()
        interrupted = 0
        for run in orphans:
            if _interrupt(session, run, now):
                interrupted += 1
                if run.results_dir is not None:
                    reports.append((run.results_dir, _spec_name(run), run.started_at))
        session.execute(delete(ServerInstanceRow).where(ServerInstanceRow.id.not_in(alive)))
    for results_dir, scenario, started_at in reports:
        _write_report(Path(results_dir), scenario, started_at)
    return interrupted


def _interrupt(session: Session, run: RunRow, now: datetime) -> bool:
    """End one orphaned run from its stored seconds; False if another server got there first."""
    stored = session.scalars(
        select(RunSnapshotRow.snapshot)
        .where(RunSnapshotRow.run_id == run.id)
        .order_by(RunSnapshotRow.second)
        .execution_options(yield_per=500)
    )
    remains = remains_of(stored)
    finished_at = remains.finished_at if remains is not None else (run.started_at or now)
    result = session.execute(
        update(RunRow)
        .where(RunRow.id == run.id, RunRow.status.in_(ACTIVE))
        .values(
            status=RunState.INTERRUPTED.value,
            finished_at=finished_at,
            error=SERVER_STOPPED,
            summary=None if remains is None else remains.summary().to_dict(),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def _write_report(results_dir: Path, scenario: str, started_at: datetime | None) -> None:
    if not results_dir.is_dir():
        return  # the run ran on another machine
    try:
        write_report(results_dir, scenario, started_at)
    except (OSError, ResultFormatError):
        log.exception("the report of an interrupted run in %s could not be written", results_dir)


def _spec_name(run: RunRow) -> str:
    name = run.spec.get("name") if isinstance(run.spec, dict) else None
    return name if isinstance(name, str) else f"run {run.id}"


def _alive(hostname: str, pid: int, heartbeat_at: datetime, now: datetime) -> bool:
    """Whether a server instance may still drive runs: beating, and running if on this machine."""
    if heartbeat_at < now - _stale():
        return False
    if hostname != socket.gethostname() or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _row(instance_id: str, now: datetime) -> ServerInstanceRow:
    return ServerInstanceRow(
        id=instance_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=now,
        heartbeat_at=now,
    )


def _stale() -> timedelta:
    return timedelta(seconds=STALE_SECONDS)
