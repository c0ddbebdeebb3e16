"""The server's FastAPI app: routers, security, pages, and the executor's lifetime.

`create_app` opens the database (migrating it and interrupting runs a
previous server left active), wires the DatabaseRunSink, and takes either an
executor or a factory that builds one around the sink (the real
ProcessRunExecutor needs the sink at construction). On shutdown the executor
stops every job; their runs end `interrupted`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from loadforge.server.api import files, live, runs, schedules, specs
from loadforge.server.api.errors import install_error_handlers
from loadforge.server.api.pages import install_pages
from loadforge.server.api.security import check_bind, parse_patterns, require_token
from loadforge.server.api.state import ServerState
from loadforge.server.contract import RunExecutor, RunSink
from loadforge.server.settings import ServerSettings
from loadforge.version import __version__

ExecutorFactory = Callable[[RunSink], RunExecutor]


def create_app(
    settings: ServerSettings,
    executor: RunExecutor | None = None,
    *,
    executor_factory: ExecutorFactory | None = None,
) -> FastAPI:
    """The app for these settings; ConfigError for an unsafe bind or unreachable database."""
    check_bind(settings)
    parse_patterns(settings.allow_targets)
    state = ServerState.open(settings)
    if executor is None and executor_factory is not None:
        executor = executor_factory(state.sink)
    state.runs.executor = executor

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if state.runs.executor is not None:
                await state.runs.executor.shutdown()
            state.engine.dispose()

    app = FastAPI(
        title="LoadForge server",
        version=__version__,
        description="Saved specs, runs, attachments and schedules (docs/server-api.md).",
        lifespan=lifespan,
    )
    app.state.server = state
    install_error_handlers(app)
    for module in (specs, files, runs, schedules):
        app.include_router(module.router, dependencies=[Depends(require_token)])
    app.include_router(live.router)
    install_pages(app)
    return app
