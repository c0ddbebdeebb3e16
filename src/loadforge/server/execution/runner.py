"""The child process of one server run: `python -m loadforge.server.execution.runner`.

It reads its `RunJob` as JSON on stdin, runs it with `run_session` (the same
call `loadforge run` makes), writes result.json and report.html with
`loadforge.runs`' `finish_outputs`, and reports on stdout as `protocol` lines. Anything
else that writes to stdout (a scenario's `print`) is moved to stderr first,
so it cannot corrupt the protocol.

It dies with the server (`die_with_parent`). SIGTERM is the server's stop:
run_session turns it into a graceful stop, the engine's result says
"interrupted" and the run ends STOPPED; a SIGTERM that arrives before the
load starts ends it STOPPED without load.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from loadforge.dsl import ScenarioDefinition
from loadforge.engine.lifecycle import StopReason
from loadforge.engine.parent_watch import die_with_parent
from loadforge.engine.session import RunningTest, RunObservers, RunOutcome, RunRequest, run_session
from loadforge.errors import ConfigError
from loadforge.exports.live import optional_exports, with_exports
from loadforge.http import AllowList
from loadforge.metrics.models import MetricSnapshot, RunEvent, RunEventKind
from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.runs.outputs import OutputPlan, finish_outputs
from loadforge.runs.request import find_scenario
from loadforge.server.contract import RunEnding, RunJob, RunState
from loadforge.server.execution.endings import run_state, summary_of, verdicts_of
from loadforge.server.execution.profile import (
    export_settings,
    output_plan,
    run_cluster,
    run_settings,
)
from loadforge.server.execution.protocol import (
    Finished,
    Log,
    Message,
    Progress,
    Started,
    encode,
    job_from_json,
)
from loadforge.server.execution.spec_scenario import prepare_scenario

__all__ = ["end_line", "main", "run_job"]


class Channel:
    """The protocol stream to the server; safe to use from any thread (logging may)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        """Write one message and flush it, so the server sees it now."""
        data = encode(message)
        with self._lock:
            self._stream.write(data)
            self._stream.flush()


class LogForwarder(logging.Handler):
    """Python logging at WARNING and above becomes console lines of the run."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(logging.WARNING)
        self._channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._channel.send(Log(f"{record.levelname} {record.name}: {record.getMessage()}"))
        except Exception:  # pragma: no cover - logging must never break the run
            self.handleError(record)


class StopFlag:
    """SIGTERM outside run_session (before the load starts or while writing results)."""

    def __init__(self) -> None:
        self.requested = False

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self.requested = True


def run_job(job: RunJob, channel: Channel, stop: StopFlag, environ: Mapping[str, str]) -> RunEnding:
    """Run one job to its end; never raises (a failure is a FAILED ending)."""
    started: dict[str, Path] = {}
    try:
        settings = run_settings(job.spec.get("load_profile"))
        exports = export_settings(job.spec.get("load_profile"))
        thresholds = job.spec.get("thresholds") or ()
        output_plan(thresholds)  # a malformed threshold fails the run before any load
        cluster = run_cluster(job.spec.get("load_profile"), job.cluster)
        run_root = job.results_root / f"run-{job.run_id}"
        scenario = prepare_scenario(job, run_root, portable=cluster is not None)
        extra = {**scenario.environ, **_targets_environ(job)}
        if cluster is not None:
            # A node's workers read the same variables, with paths in their working dir.
            node_environ = {**scenario.node_environ, **_targets_environ(job)}
            cluster = replace(cluster, env_vars=node_environ)
        # Worker processes inherit this process's environment (the request
        # description, the allowlist their connection pools hold to).
        os.environ.update(extra)
        definition = _code_scenario(job, scenario.path)
        if definition is not None and definition.pattern is not None:
            settings = run_settings(job.spec.get("load_profile"), definition.pattern)
        if stop.requested:
            return RunEnding(RunState.STOPPED, error=None)
        request = RunRequest(
            scenario_path=scenario.path,
            definition=definition,
            load=settings,
            output_root=run_root,
            base_url=scenario.base_url,
            environ={**environ, **extra},
            cluster=cluster,
        )
        observers = _observers(channel, stop, started, settings.duration)
        with optional_exports(exports, lambda line: channel.send(Log(line))) as live:
            outcome = run_session(request, with_exports(observers, live))
            stop.install()  # run_session gave SIGTERM back to its default: keep it harmless
            if live is not None:
                outcome = replace(outcome, result=live.finish(outcome.result))
            # A profile's `prometheus_linger` keeps /metrics up after this, as the CLI does.
            # Read again with the custom metrics the run recorded, now known.
            return _finish(outcome, output_plan(thresholds, outcome.result))
    except ConfigError as exc:
        return _failed(str(exc), started)
    except Exception as exc:
        return _failed(f"{type(exc).__name__}: {exc}", started)


def _code_scenario(job: RunJob, path: Path) -> ScenarioDefinition | None:
    """A `scenario_code` spec's scenario, loaded once here so that its own pattern can count."""
    if not job.spec.get("scenario_code"):
        return None
    return find_scenario(path)


def _targets_environ(job: RunJob) -> dict[str, str]:
    """The allowlist in the environment, where every process of the run reads it."""
    if job.allow_targets is None:
        return {}
    return AllowList.parse(job.allow_targets).to_environ()


def _observers(
    channel: Channel, stop: StopFlag, started: dict[str, Path], duration: float
) -> RunObservers:
    running: list[RunningTest] = []

    def on_started(test: RunningTest, directory: Path) -> None:
        running.append(test)
        started["directory"] = directory
        channel.send(Started(str(directory)))
        channel.send(Log(f"Started {test.run_name}: {test.settings.describe()}"))

    def on_snapshot(snapshot: MetricSnapshot) -> None:
        if stop.requested and running:
            # SIGTERM came after prepare but before run_session listened for it.
            stop.requested = False
            running[0].request_stop(StopReason.SIGNAL)
        data = SnapshotData.from_snapshot(snapshot).model_dump(mode="json")
        channel.send(Progress(data, snapshot.elapsed_seconds, duration))

    def on_event(event: RunEvent) -> None:
        channel.send(
            Log(f"worker {event.worker_id} lost at {event.elapsed_seconds:.1f}s: {event.cause}")
        )

    return RunObservers(
        on_snapshot=(on_snapshot,),
        on_started=on_started,
        on_notice=lambda line: channel.send(Log(line)),
        on_event=(on_event,),
    )


def _finish(outcome: RunOutcome, plan: OutputPlan) -> RunEnding:
    """Check thresholds and write result.json + report.html exactly as `loadforge run` does."""
    finished = finish_outputs(outcome.result, outcome.directory, plan)
    verdicts = verdicts_of(finished.outcomes, plan.thresholds)
    summary = summary_of(outcome.result)
    state = run_state(outcome.result.status)
    return RunEnding(
        state=state,
        summary=summary,
        thresholds=verdicts,
        results_dir=outcome.directory,
        error=_failure_cause(outcome) if state is RunState.FAILED else None,
    )


def _failure_cause(outcome: RunOutcome) -> str:
    """Why the engine's run failed, in words: its lost workers' causes when it lost them."""
    losses = [
        event.describe()
        for event in outcome.result.events
        if event.kind is RunEventKind.WORKER_LOST
    ]
    if not losses:
        return "the run failed inside LoadForge"
    return "the run's worker processes failed (" + "; ".join(losses[:5]) + ")"


def end_line(ending: RunEnding) -> str:
    """The console's last line: how the run ended, in numbers or in words."""
    summary = ending.summary
    if summary is None:
        return f"Ended {ending.state.value}" + (f": {ending.error}" if ending.error else "")
    return (
        f"Ended {ending.state.value}: {summary.requests} requests, {summary.errors} failed, "
        f"{round(summary.rps, 1)} req/s"
    )


def _failed(error: str, started: Mapping[str, Path]) -> RunEnding:
    return RunEnding(RunState.FAILED, results_dir=started.get("directory"), error=error)


def _claim_stdout() -> BinaryIO:
    """A private copy of stdout for the protocol; fd 1 then points at stderr."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return protocol


def main() -> int:
    """Entry point: read the job, run it, report its ending; exit 0 once reported."""
    die_with_parent(os.getppid())
    stop = StopFlag()
    stop.install()
    channel = Channel(_claim_stdout())
    logging.getLogger().addHandler(LogForwarder(channel))
    job = job_from_json(sys.stdin.buffer.read())
    ending = run_job(job, channel, stop, dict(os.environ))
    channel.send(Log(end_line(ending)))
    channel.send(Finished.from_ending(ending))
    return 0


if __name__ == "__main__":
    sys.exit(main())
