"""`loadforge.run(...)`: a load test from Python, with the CLI's settings and outputs.

The arguments become the same `RunOptions` the flags become, and go through
the same `run_request`, `plan_outputs` and `finish_outputs` the CLI and the
server use, so a run from Python measures, checks and writes exactly what
`loadforge run` would. Nothing is printed.

The run needs an event loop of its own (uvloop, where installed). From
synchronous code `run` makes one on the calling thread. Inside a running
event loop (an `async def`, Jupyter) it runs the test on a new thread and
waits for it, which blocks the caller's loop for the run's length;
`run_async` awaits the same run without blocking the loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loadforge.durations import parse_duration
from loadforge.engine.session import RunOutcome, RunRequest, run_session
from loadforge.errors import ConfigError
from loadforge.metrics.models import RunStatus, TestResult
from loadforge.patterns import LoadPattern, as_pattern
from loadforge.runs.options import RunOptions
from loadforge.runs.outputs import check_timings_recorded, finish_outputs, plan_outputs
from loadforge.runs.request import run_request
from loadforge.thresholds import ThresholdOutcome, outcomes_text

__all__ = ["RunResult", "run", "run_async"]

THRESHOLDS_KEY = "thresholds"


@dataclass(frozen=True, slots=True)
class RunResult:
    """A finished run from Python: its result, its threshold outcomes, where it was written.

    `final_summary` holds the figures of result.json's `final_summary`, under
    the same names, plus `thresholds`: each outcome as result.json stores it.
    `directory` is None when the run was given no `output`.
    """

    result: TestResult
    outcomes: tuple[ThresholdOutcome, ...]
    directory: Path | None
    final_summary: dict[str, object] = field(init=False)

    def __post_init__(self) -> None:
        summary = {
            **self.result.final_summary.to_dict(),
            THRESHOLDS_KEY: [outcome.to_dict() for outcome in self.outcomes],
        }
        object.__setattr__(self, "final_summary", summary)

    @property
    def status(self) -> RunStatus:
        """How the run ended: completed, interrupted or failed."""
        return self.result.status

    @property
    def passed(self) -> bool:
        """True when the run completed and every threshold passed (or there were none)."""
        completed = self.result.status is RunStatus.COMPLETED
        return completed and all(outcome.passed for outcome in self.outcomes)

    def threshold_table(self) -> str:
        """The threshold outcomes as a plain-text table (see `thresholds.outcomes_text`)."""
        return outcomes_text(self.outcomes)


def run(
    scenario: Path | str | type,
    *,
    users: int | None = None,
    duration: float | str | None = None,
    pattern: object = None,
    base_url: str | None = None,
    thresholds: Sequence[str] = (),
    workers: int = 1,
    output: Path | str | None = None,
    scenarios: Sequence[str] = (),
) -> RunResult:
    """Run a load test of `scenario` (a file path or a `@scenario` class) and return its result.

    `users`, `duration`, `base_url`, `thresholds` and `workers` mean what
    their flags mean; `pattern` is a pattern object (`ramp(...) >>
    constant(...)`, or a class with `users_at`/`rate_at` and `duration`),
    which wins over the scenario's own. With `output`, the run's files
    (result.json, CSV, report.html) are written under that directory, as
    `-o` does; without, nothing is kept. `scenarios` names the scenarios of
    the file to run together (``["all"]`` for every one), as repeated
    `--scenario` flags do. Bad input raises ConfigError before
    any request is sent. Works from synchronous code and inside a running
    event loop (see the module docstring).
    """
    options = _options(users, duration, base_url, thresholds, workers, output)
    if isinstance(scenarios, str):
        raise ConfigError(f"scenarios is a list of scenario names, e.g. [{scenarios!r}].")
    if scenarios:
        options = dataclasses.replace(options, scenarios=tuple(scenarios))
    chosen = None if pattern is None else _pattern(pattern, users)
    request = run_request(scenario, options, pattern=chosen)
    plan = plan_outputs(options)
    check_timings_recorded(plan, request.timings_recorded)
    keep = output is not None
    root = request.output_root if keep else Path(tempfile.mkdtemp(prefix="loadforge-run-"))
    try:
        outcome = _in_own_loop(dataclasses.replace(request, output_root=root))
        finished = finish_outputs(outcome.result, outcome.directory, plan)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return RunResult(outcome.result, finished.outcomes, outcome.directory if keep else None)


async def run_async(
    scenario: Path | str | type,
    *,
    users: int | None = None,
    duration: float | str | None = None,
    pattern: object = None,
    base_url: str | None = None,
    thresholds: Sequence[str] = (),
    workers: int = 1,
    output: Path | str | None = None,
    scenarios: Sequence[str] = (),
) -> RunResult:
    """`run`, awaited: the test runs on a thread of its own, so the caller's loop goes on."""
    return await asyncio.to_thread(
        run,
        scenario,
        users=users,
        duration=duration,
        pattern=pattern,
        base_url=base_url,
        thresholds=thresholds,
        workers=workers,
        output=output,
        scenarios=scenarios,
    )


def _options(
    users: int | None,
    duration: float | str | None,
    base_url: str | None,
    thresholds: Sequence[str],
    workers: int,
    output: Path | str | None,
) -> RunOptions:
    if isinstance(thresholds, str):
        raise ConfigError(f"thresholds is a list of conditions, e.g. [{thresholds!r}].")
    return RunOptions(
        users=users,
        duration=None if duration is None else parse_duration(duration, where="duration"),
        base_url=base_url,
        thresholds=tuple(thresholds) or None,
        workers=workers,
        output=None if output is None else Path(output),
        # Without an output directory nothing is kept, so no report is drawn.
        no_report=True if output is None else None,
    )


def _pattern(pattern: object, users: int | None) -> LoadPattern:
    if users is not None:
        raise ConfigError("Give either users or pattern, not both: a pattern says the users.")
    return as_pattern(pattern)


def _in_own_loop(request: RunRequest) -> RunOutcome:
    """`run_session` here when no loop runs on this thread, else on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run_session(request)
    outcome: list[RunOutcome] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(run_session(request))
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=target, name="loadforge-run", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
