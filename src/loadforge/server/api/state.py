"""What every route needs, built once per app: settings, database, store, hub, runs.

`ServerState.open` connects, migrates, and marks runs a previous server left
`queued` or `running` as `interrupted` (their data is kept): no process of
this server drives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from loadforge.server.api.hub import RunHub
from loadforge.server.api.live_runs import LiveRuns
from loadforge.server.api.run_service import RunService
from loadforge.server.api.schedule_store import DatabaseScheduleStore
from loadforge.server.api.sink import DatabaseRunSink
from loadforge.server.attachments import AttachmentStore
from loadforge.server.contract import RunState
from loadforge.server.db import make_engine, migrate, session_factory
from loadforge.server.db.models import RunRow, utc_now
from loadforge.server.settings import ServerSettings


@dataclass
class ServerState:
    """The app's shared objects (on `app.state.server`)."""

    settings: ServerSettings
    engine: Engine
    sessions: sessionmaker[Session]
    attachments: AttachmentStore
    hub: RunHub
    sink: DatabaseRunSink
    runs: RunService
    schedules: DatabaseScheduleStore
    live_runs: LiveRuns

    @classmethod
    def open(cls, settings: ServerSettings) -> ServerState:
        """Connect and migrate the database, and interrupt what a previous server left active."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        migrate(engine)
        sessions = session_factory(engine)
        mark_interrupted(sessions)
        attachments = AttachmentStore(settings.attachments_dir)
        hub = RunHub()
        live_runs = LiveRuns()
        sink = DatabaseRunSink(sessions, hub, live_runs)
        runs = RunService(settings, sessions, attachments, sink)
        schedules = DatabaseScheduleStore(sessions, runs)
        return cls(settings, engine, sessions, attachments, hub, sink, runs, schedules, live_runs)


def mark_interrupted(sessions: sessionmaker[Session]) -> int:
    """Mark every queued or running run interrupted; how many there were."""
    with sessions.begin() as session:
        result = session.execute(
            update(RunRow)
            .where(RunRow.status.in_([RunState.QUEUED.value, RunState.RUNNING.value]))
            .values(status=RunState.INTERRUPTED.value, finished_at=utc_now())
        )
        return int(getattr(result, "rowcount", 0))


def server_state(request: Request) -> ServerState:
    """FastAPI dependency: the app's ServerState."""
    state: ServerState = request.app.state.server
    return state


State = Annotated[ServerState, Depends(server_state)]
