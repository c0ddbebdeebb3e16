"""`loadforge serve`: the server with saved specs, runs, attachments and schedules.

FastAPI, SQLAlchemy and uvicorn are imported inside the command only, so other
commands never load them; the command first checks that the `server` extra
(SQLAlchemy, Alembic, psycopg, ...) is installed. The run executor
(`loadforge.server.execution`) and the scheduler loop
(`loadforge.server.scheduling`) are built in one place each:
`executor_factory` and `scheduler_factory`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loadforge.durations import parse_duration
from loadforge.engine.cluster import endpoint
from loadforge.errors import ConfigError
from loadforge.extras import require_extra
from loadforge.server.settings import (
    DEFAULT_DATA_DIR,
    DEFAULT_HOST,
    DEFAULT_MAX_ARRIVAL_RATE,
    DEFAULT_MAX_USERS,
    DEFAULT_MAX_WORKERS,
    DEFAULT_PORT,
    ServerSettings,
)

if TYPE_CHECKING:
    from types import FrameType

    import uvicorn

    from loadforge.server.api.app import BackgroundLoop, ExecutorFactory, SchedulerFactory
    from loadforge.server.api.schedule_store import DatabaseScheduleStore
    from loadforge.server.contract import RunExecutor, RunSink


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    data_dir: Annotated[
        Path, typer.Option(help="Where the SQLite database, attachments and results live.")
    ] = DEFAULT_DATA_DIR,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="LOADFORGE_DATABASE_URL",
            help="postgresql+psycopg://user:pass@host/db (default: SQLite in --data-dir).",
        ),
    ] = None,
    max_concurrent_runs: Annotated[
        int, typer.Option(help="Runs driving load at once; the rest wait in a queue.")
    ] = 1,
    allow_target: Annotated[
        list[str] | None,
        typer.Option(
            help="A host runs may target (repeatable): api.internal, host:port, *.example.com,"
            " 10.0.0.*, 10.0.0.0/24; needed off loopback."
        ),
    ] = None,
    allow_code_specs: Annotated[
        bool,
        typer.Option(
            "--allow-code-specs", help="Accept specs holding Python code (it runs on the server)."
        ),
    ] = False,
    max_users: Annotated[
        int,
        typer.Option(
            envvar="LOADFORGE_MAX_USERS", help="Most users in one run (open model: its pool)."
        ),
    ] = DEFAULT_MAX_USERS,
    max_workers: Annotated[
        int,
        typer.Option(
            envvar="LOADFORGE_MAX_WORKERS",
            help="Most worker processes per run (default: this machine's CPUs).",
        ),
    ] = DEFAULT_MAX_WORKERS,
    max_duration: Annotated[
        str,
        typer.Option(envvar="LOADFORGE_MAX_DURATION", help="Longest run: 90, 30m, 24h."),
    ] = "24h",
    max_arrival_rate: Annotated[
        float,
        typer.Option(
            envvar="LOADFORGE_MAX_ARRIVAL_RATE", help="Most iterations started per second."
        ),
    ] = DEFAULT_MAX_ARRIVAL_RATE,
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            envvar="LOADFORGE_CLUSTER",
            help="Run the workers of every run on this Ray cluster (auto, HOST:PORT,"
            " ray://HOST:PORT) unless its profile names another. Needs the ray extra.",
        ),
    ] = None,
) -> None:
    """Serve saved specs, runs, schedules and their web pages (Ctrl-C to stop)."""
    require_extra("server", "loadforge serve")
    if cluster is not None:
        require_extra("ray", "loadforge serve --cluster")
        endpoint(cluster)
    if max_concurrent_runs < 1:
        raise ConfigError(f"--max-concurrent-runs must be at least 1, got {max_concurrent_runs}.")
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, got {port}.")
    for option, value in (("--max-users", max_users), ("--max-workers", max_workers)):
        if value < 1:
            raise ConfigError(f"{option} must be at least 1, got {value}.")
    if not max_arrival_rate > 0:
        raise ConfigError(f"--max-arrival-rate must be above 0, got {max_arrival_rate}.")
    settings = ServerSettings(
        data_dir=data_dir,
        host=host,
        port=port,
        database_url=database_url,
        max_concurrent_runs=max_concurrent_runs,
        allow_targets=tuple(allow_target or ()),
        allow_code_specs=allow_code_specs,
        api_token=os.environ.get("LOADFORGE_API_TOKEN") or None,
        max_users=max_users,
        max_workers=max_workers,
        max_duration=parse_duration(max_duration, where="--max-duration"),
        max_arrival_rate=max_arrival_rate,
        cluster=cluster,
    )
    serve(settings)


def serve(settings: ServerSettings) -> None:
    """Build the app and serve it with uvicorn until Ctrl-C."""
    import uvicorn

    from loadforge.dashboard.server import url_for
    from loadforge.server.api import create_app

    app = create_app(
        settings,
        executor_factory=executor_factory(settings),
        scheduler_factory=scheduler_factory(),
    )
    print(f"LoadForge server on {url_for(settings.host, settings.port)} (Ctrl-C to stop)")
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        ws="websockets-sansio",
        timeout_graceful_shutdown=5,
    )
    quiet_server(config).run()


def quiet_server(config: uvicorn.Config) -> uvicorn.Server:
    """uvicorn that ends with exit code 0 on Ctrl-C, after its graceful shutdown.

    uvicorn re-raises the signal once it has shut down; under asyncio's runner
    that surfaces as KeyboardInterrupt or, depending on timing, as a stray
    CancelledError traceback. The shutdown (executor included) is already
    done, so the signal is not re-raised.
    """
    import uvicorn

    class QuietServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)  # a second Ctrl-C still forces the exit
            self._captured_signals.clear()

    return QuietServer(config)


def executor_factory(settings: ServerSettings) -> ExecutorFactory:
    """The run executor around the API's sink: a process per run, a bounded number at once."""
    from loadforge.server.execution import ProcessRunExecutor

    def build(sink: RunSink) -> RunExecutor:
        return ProcessRunExecutor(sink, settings.max_concurrent_runs)

    return build


def scheduler_factory() -> SchedulerFactory:
    """The cron scheduler loop over the schedules table."""
    from loadforge.server.scheduling import Scheduler

    def build(store: DatabaseScheduleStore) -> BackgroundLoop:
        return Scheduler(store)

    return build
