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

from loadforge.cli.gates import finish_outputs, plan_outputs
from loadforge.cli.live_view import LiveView, PlainView
from loadforge.cli.options import RunOptions, build_pattern
from loadforge.cli.summary import print_summary, results_line
from loadforge.engine.load_test import LoadSettings, LoadTest
from loadforge.engine.session import RunObservers, RunRequest, run_session
from loadforge.errors import ConfigError
from loadforge.metrics.models import RunStatus

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_INTERRUPTED = 130
DEFAULT_GRACE = 5.0
DEFAULT_OUTPUT = Path("results")


def load_settings(options: RunOptions) -> LoadSettings:
    """Validate the options and turn them into the engine's settings."""
    pattern = build_pattern(options)
    duration = options.effective_duration(pattern)
    if duration <= 0:
        raise ConfigError(f"--duration must be more than 0 seconds, got {duration:g}.")
    rate = options.fail_on_error_rate
    if rate is not None and not 0 <= rate <= 1:
        raise ConfigError(
            f"--fail-on-error-rate is a fraction between 0 and 1 (0.05 = 5%), got {rate:g}."
        )
    if options.max_connections is not None and options.max_connections < 1:
        raise ConfigError(f"--max-connections must be at least 1, got {options.max_connections}.")
    if options.rps is not None and options.rps <= 0:
        raise ConfigError(f"--rps must be more than 0, got {options.rps:g}.")
    return LoadSettings(
        pattern=pattern,
        duration=duration,
        rps=options.rps,
        grace=DEFAULT_GRACE if options.grace is None else options.grace,
        max_connections=options.max_connections,
        seed=options.seed,
        config=options.to_config(),
    )


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

    def on_started(test: LoadTest, directory: Path) -> None:
        started["directory"] = directory
        if extra is not None and extra.on_started is not None:
            extra.on_started(test, directory)
        if isinstance(view, LiveView):
            view.title = f"{test.scenario.definition.name} · {settings.pattern.describe()}"

    observers = RunObservers(
        on_snapshot=((view.on_snapshot,) if view else ())
        + tuple(extra.on_snapshot if extra else ()),
        on_state=extra.on_state if extra else (),
        on_started=on_started,
        on_notice=view.notice if view else console.print,
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
    passed = finish_outputs(outcome.result, outcome.directory, plan, console, quiet=quiet)
    code = _exit_code(outcome.result.status, passed)
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
