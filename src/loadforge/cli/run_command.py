"""`loadforge run`: options in, a finished run and an exit code out.

Exit codes: 0 the run completed and every gate passed; 1 a threshold failed
(`--threshold`, `--fail-on-error-rate`), the tasks raised and no request was
sent, or the run failed inside LoadForge; 2 bad input
(raised as LoadForgeError, handled by the app); 130 the run was interrupted
by a signal (its results are still written).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from loadforge.cli.live_view import JsonView, LiveView, PlainView
from loadforge.cli.outcomes import print_finished
from loadforge.cli.summary import print_summary, results_line, summary_line
from loadforge.cli.task_exceptions import FirstExceptions, nothing_sent
from loadforge.engine.session import (
    RunningTest,
    RunObservers,
    RunOutcome,
    RunRequest,
    run_session,
)
from loadforge.errors import ConfigError
from loadforge.exports.live import RunExports, optional_exports, with_exports
from loadforge.metrics.models import RunEvent, RunStatus
from loadforge.runs.options import RunOptions
from loadforge.runs.outputs import check_timings_recorded, finish_outputs, plan_outputs
from loadforge.runs.request import run_request
from loadforge.runs.settings import run_exports

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_INTERRUPTED = 130


def execute_run(
    scenario_file: Path,
    options: RunOptions,
    *,
    console: Console,
    quiet: bool,
    verbose: bool,
    extra: RunObservers | None = None,
    json_progress: bool = False,
) -> int:
    """Run the load test the options describe, print what happened, return the exit code.

    With `json_progress`, the per-second lines (stdout not a terminal) are
    JSON objects, as `--log-format json` asks.
    """
    request = run_request(scenario_file, options)
    plan = plan_outputs(options)
    check_timings_recorded(plan, request.timings_recorded)
    with optional_exports(run_exports(options), _printer(console)) as exports:
        outcome = _run(
            request,
            console,
            quiet=quiet,
            verbose=verbose,
            extra=extra,
            exports=exports,
            json_progress=json_progress,
        )
        if outcome is None:
            return EXIT_GATE_FAILED
        result = outcome.result if exports is None else exports.finish(outcome.result)
        if not quiet:
            print_summary(console, result)
        finished = finish_outputs(result, outcome.directory, plan)
        if quiet:
            console.print(summary_line(result, finished.outcomes), highlight=False, soft_wrap=True)
        print_finished(console, finished, quiet=quiet, plotly=plan.plotly)
        failure = nothing_sent(result.final_summary)
        if failure is not None:
            console.print(failure, highlight=False, soft_wrap=True)
        if (
            exports is not None
            and exports.scrape is not None
            and exports.settings.prometheus_linger
        ):
            console.print(
                f"Serving the final metrics for {exports.settings.prometheus_linger:g}s"
                " more (Ctrl-C to stop).",
                highlight=False,
            )
        console.print(results_line(outcome.directory), highlight=False, soft_wrap=True)
        console.file.flush()
        return _exit_code(result.status, finished.passed and failure is None)


def _run(
    request: RunRequest,
    console: Console,
    *,
    quiet: bool,
    verbose: bool,
    extra: RunObservers | None,
    exports: RunExports | None,
    json_progress: bool = False,
) -> RunOutcome | None:
    """The run itself, with its live view; None when it failed inside LoadForge (said so)."""
    started: dict[str, Path] = {}
    duration = request.load.duration
    view: LiveView | PlainView | JsonView | None = None
    if not quiet:
        if console.is_terminal:
            view = LiveView(console, title=request.scenario_path.name, duration=duration)
        elif json_progress:
            view = JsonView(console, duration=duration)
        else:
            view = PlainView(console, duration=duration)

    def on_started(test: RunningTest, directory: Path) -> None:
        started["directory"] = directory
        if extra is not None and extra.on_started is not None:
            extra.on_started(test, directory)
        if isinstance(view, LiveView):
            view.title = f"{test.run_name} · {request.load.describe()}"

    notice = view.notice if view else console.print

    def on_event(event: RunEvent) -> None:
        notice(event.describe())

    firsts = (FirstExceptions(notice).on_snapshot,) if verbose else ()
    observers = RunObservers(
        on_snapshot=((view.on_snapshot,) if view else ())
        + firsts
        + tuple(extra.on_snapshot if extra else ()),
        on_state=extra.on_state if extra else (),
        on_started=on_started,
        on_notice=notice,
        on_event=(on_event,),
    )
    live = view if isinstance(view, LiveView) else contextlib.nullcontext()
    try:
        with live:
            return run_session(request, with_exports(observers, exports))
    except ConfigError:
        raise
    except Exception as exc:
        log.debug("run failed", exc_info=True)
        console.print(f"[bold red]The run failed inside LoadForge:[/] {type(exc).__name__}: {exc}")
        if verbose:
            console.print_exception()
        if "directory" in started:
            console.print(results_line(started["directory"]), highlight=False, soft_wrap=True)
        return None


def _printer(console: Console) -> Callable[[str], None]:
    def notice(line: str) -> None:
        console.print(line, highlight=False, soft_wrap=True)
        console.file.flush()

    return notice


def _exit_code(status: RunStatus, thresholds_passed: bool) -> int:
    if not thresholds_passed:
        return EXIT_GATE_FAILED
    if status is RunStatus.INTERRUPTED:
        return EXIT_INTERRUPTED
    if status is RunStatus.FAILED:
        return EXIT_GATE_FAILED
    return EXIT_OK
