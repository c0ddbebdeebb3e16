"""What every route needs, built once per app: settings, database, store, hub, runs.

`ServerState.open` connects, migrates, registers this server as a run owner
and marks `interrupted` the runs left `queued` or `running` by a server
whose heartbeat is stale (their data is kept): no process drives them. Runs
of another live server sharing the database are left alone (`ownership`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from loadforge.server.api.hub import RunHub
from loadforge.server.api.live_runs import LiveRuns
from loadforge.server.api.ownership import ServerInstance, interrupt_orphans
from loadforge.server.api.run_service import RunService
from loadforge.server.api.schedule_store import DatabaseScheduleStore
from loadforge.server.api.sink import DatabaseRunSink
from loadforge.server.attachments import AttachmentStore
from loadforge.server.db import make_engine, migrate, session_factory
from loadforge.server.db.models import utc_now
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
    instance: ServerInstance

    @classmethod
    def open(cls, settings: ServerSettings) -> ServerState:
        """Connect and migrate the database, and interrupt what a previous server left active."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        migrate(engine)
        sessions = session_factory(engine)
        instance = ServerInstance(sessions)
        instance.register()
        attachments = AttachmentStore(settings.attachments_dir)
        hub = RunHub()
        live_runs = LiveRuns()
        sink = DatabaseRunSink(sessions, hub, live_runs)
        runs = RunService(settings, sessions, attachments, sink, instance)
        schedules = DatabaseScheduleStore(sessions, runs)
        return cls(
            settings, engine, sessions, attachments, hub, sink, runs, schedules, live_runs, instance
        )


def mark_interrupted(sessions: sessionmaker[Session]) -> int:
    """Mark interrupted every queued or running run no live server owns; how many there were."""
    return interrupt_orphans(sessions, utc_now())


def server_state(request: Request) -> ServerState:
    """FastAPI dependency: the app's ServerState."""
    state: ServerState = request.app.state.server
    return state


State = Annotated[ServerState, Depends(server_state)]
