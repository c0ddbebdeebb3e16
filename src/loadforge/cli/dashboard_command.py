"""The CLI's side of the dashboard: `run --dashboard` and `loadforge dashboard RESULTS_DIR`.

`loadforge.dashboard` (FastAPI, pydantic, uvicorn) is imported inside these
functions only, so commands without the dashboard never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from loadforge.cli.run_command import execute_run
from loadforge.runs.options import RunOptions
from loadforge.runs.settings import load_settings

DEFAULT_DASHBOARD_PORT = 8089
DEFAULT_DASHBOARD_HOST = "127.0.0.1"


def run_with_dashboard(
    scenario_file: Path,
    options: RunOptions,
    quiet: bool,
    verbose: bool,
    console: Console | None = None,
) -> int:
    """`run --dashboard` (or `dashboard = true` in the config): the run and its dashboard."""
    from loadforge.dashboard import open_live_dashboard

    load_settings(options)  # bad flags fail before a server starts and a URL is printed
    console = console or Console()
    host = options.dashboard_host or DEFAULT_DASHBOARD_HOST
    port = DEFAULT_DASHBOARD_PORT if options.dashboard_port is None else options.dashboard_port
    with open_live_dashboard(host, port) as dashboard:
        console.print(f"Dashboard: {dashboard.url}", highlight=False, soft_wrap=True)
        console.file.flush()
        return execute_run(
            scenario_file,
            options,
            console=console,
            quiet=quiet,
            verbose=verbose,
            extra=dashboard.observers(),
        )


def dashboard_command(
    results_dir: Annotated[Path, typer.Argument(help="A results directory of a run.")],
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_DASHBOARD_PORT,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_DASHBOARD_HOST,
) -> None:
    """Serve the dashboard over a finished run, replayed from its snapshots.jsonl."""
    from loadforge.dashboard import serve_replay

    serve_replay(results_dir, host, port)
