"""`loadforge run`: options in, a finished run and an exit code out.

Exit codes: 0 the run completed and every gate passed; 1 a threshold failed
(`--threshold`, `--fail-on-error-rate`) or the run failed inside LoadForge; 2 bad input
(raised as LoadForgeError, handled by the app); 130 the run was interrupted
by a signal (its results are still written).
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from rich.console import Console

from loadforge.cli.live_view import LiveView, PlainView
from loadforge.cli.outcomes import print_finished
from loadforge.cli.summary import print_summary, results_line, summary_line
from loadforge.engine.session import RunningTest, RunObservers, RunRequest, run_session
from loadforge.errors import ConfigError
from loadforge.metrics.models import RunEvent, RunStatus
from loadforge.runs.options import RunOptions
from loadforge.runs.outputs import finish_outputs, plan_outputs
from loadforge.runs.settings import load_settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_INTERRUPTED = 130
DEFAULT_OUTPUT = Path("results")


def execute_run(
    scenario_file: Path,
    options: RunOptions,
    *,
    console: Console,
    quiet: bool,
    verbose: bool,
    extra: RunObservers | None = None,
) -> int:
    """Run the load test the options describe, print what happened, return the exit code."""
    settings = load_settings(options)
    plan = plan_outputs(options)
    request = RunRequest(
        scenario_path=scenario_file,
        load=settings,
        output_root=options.output or DEFAULT_OUTPUT,
        scenario_name=options.scenario,
        base_url=options.base_url,
    )
    started: dict[str, Path] = {}
    view: LiveView | PlainView | None = None
    if not quiet:
        view = (
            LiveView(console, title=scenario_file.name, duration=settings.duration)
            if console.is_terminal
            else PlainView(console, duration=settings.duration)
        )

    def on_started(test: RunningTest, directory: Path) -> None:
        started["directory"] = directory
        if extra is not None and extra.on_started is not None:
            extra.on_started(test, directory)
        if isinstance(view, LiveView):
            view.title = f"{test.scenario.definition.name} · {settings.describe()}"

    notice = view.notice if view else console.print

    def on_event(event: RunEvent) -> None:
        notice(f"worker {event.worker_id} lost at {event.elapsed_seconds:.1f}s: {event.cause}")

    observers = RunObservers(
        on_snapshot=((view.on_snapshot,) if view else ())
        + tuple(extra.on_snapshot if extra else ()),
        on_state=extra.on_state if extra else (),
        on_started=on_started,
        on_notice=notice,
        on_event=(on_event,),
    )
    live = view if isinstance(view, LiveView) else contextlib.nullcontext()
    try:
        with live:
            outcome = run_session(request, observers)
    except ConfigError:
        raise
    except Exception as exc:
        log.debug("run failed", exc_info=True)
        console.print(f"[bold red]The run failed inside LoadForge:[/] {type(exc).__name__}: {exc}")
        if verbose:
            console.print_exception()
        if "directory" in started:
            console.print(results_line(started["directory"]), highlight=False, soft_wrap=True)
        return EXIT_GATE_FAILED
    if not quiet:
        print_summary(console, outcome.result)
    finished = finish_outputs(outcome.result, outcome.directory, plan)
    if quiet:
        console.print(
            summary_line(outcome.result, finished.outcomes), highlight=False, soft_wrap=True
        )
    print_finished(console, finished, quiet=quiet, plotly=plan.plotly)
    code = _exit_code(outcome.result.status, finished.passed)
    console.print(results_line(outcome.directory), highlight=False, soft_wrap=True)
    return code


def _exit_code(status: RunStatus, thresholds_passed: bool) -> int:
    if not thresholds_passed:
        return EXIT_GATE_FAILED
    if status is RunStatus.INTERRUPTED:
        return EXIT_INTERRUPTED
    if status is RunStatus.FAILED:
        return EXIT_GATE_FAILED
    return EXIT_OK
