"""The server's FastAPI app: routers, security, pages, and the executor's lifetime.

`create_app` opens the database (migrating it and interrupting runs a
previous server left active), wires the DatabaseRunSink, and takes either an
executor or a factory that builds one around the sink (the real
ProcessRunExecutor needs the sink at construction), and optionally a factory
for the scheduler loop over the DatabaseScheduleStore, run while the app
serves. On shutdown the scheduler stops, then the executor stops every job;
their runs end `interrupted`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import Depends, FastAPI

from loadforge.server.api import files, live, metrics, runs, schedules, specs
from loadforge.server.api.docs_page import install_docs
from loadforge.server.api.errors import install_error_handlers
from loadforge.server.api.guards import RequestGuard
from loadforge.server.api.headers import SecurityHeaders
from loadforge.server.api.openapi import install_method_not_allowed
from loadforge.server.api.pages import install_pages
from loadforge.server.api.schedule_store import DatabaseScheduleStore
from loadforge.server.api.security import check_bind, parse_patterns, require_token
from loadforge.server.api.state import ServerState
from loadforge.server.contract import RunExecutor, RunSink
from loadforge.server.settings import ServerSettings
from loadforge.version import __version__

ExecutorFactory = Callable[[RunSink], RunExecutor]


class BackgroundLoop(Protocol):
    """A loop the server runs while it serves (the scheduler): started, then stopped."""

    def start(self) -> None:
        """Start it as a task of the running event loop."""

    async def stop(self) -> None:
        """Stop it and wait for it to end."""


SchedulerFactory = Callable[[DatabaseScheduleStore], BackgroundLoop]


def create_app(
    settings: ServerSettings,
    executor: RunExecutor | None = None,
    *,
    executor_factory: ExecutorFactory | None = None,
    scheduler_factory: SchedulerFactory | None = None,
) -> FastAPI:
    """The app for these settings; ConfigError for an unsafe bind or unreachable database."""
    check_bind(settings)
    parse_patterns(settings.allow_targets)
    state = ServerState.open(settings)
    if executor is None and executor_factory is not None:
        executor = executor_factory(state.sink)
    state.runs.executor = executor
    scheduler = None if scheduler_factory is None else scheduler_factory(state.schedules)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.instance.start(state.runs.stop)
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                await scheduler.stop()
            if state.runs.executor is not None:
                await state.runs.executor.shutdown()
            await state.instance.stop()
            state.engine.dispose()

    app = FastAPI(
        title="LoadForge server",
        version=__version__,
        description="Saved specs, runs, attachments and schedules (docs/server-api.md).",
        lifespan=lifespan,
        docs_url=None,  # served from the package instead: docs_page
        redoc_url=None,
    )
    app.state.server = state
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so refusals get them too
    install_error_handlers(app)
    install_method_not_allowed(app)
    for module in (specs, files, runs, schedules):
        app.include_router(module.router, dependencies=[Depends(require_token)])
    app.include_router(live.router)
    app.include_router(metrics.router)
    install_docs(app)
    install_pages(app)
    return app
