"""The types the server's API and its run executor share (see docs/server-api.md).

The API owns the database and the WebSocket; the executor owns the processes
that drive load. They meet here: the API hands the executor a `RunJob`, the
executor reports what happens through a `RunSink` the API implements. Keeping
the seam this small lets each side be tested without the other.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

JsonObject = Mapping[str, object]
"""A decoded JSON object, as the API reads and writes it."""


class RunState(enum.StrEnum):
    """Where a server run is in its life; the last four are final."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"

    @property
    def is_final(self) -> bool:
        """True once the run has ended and nothing about it will change."""
        return self not in (RunState.QUEUED, RunState.RUNNING)


@dataclass(frozen=True, slots=True)
class RunJob:
    """One run to execute: its id, the spec as it was frozen, and where its files go.

    `spec` is the Spec JSON of docs/server-api.md. `body_file` is the stored
    attachment the request sends, already resolved to a path by the API.
    `results_root` is the directory under which the run's results directory
    (result.json, snapshots, report.html) is created. `allow_targets` is the
    server's --allow-target list when one is in force (None: no allowlist);
    the run's HTTP client holds every connection and redirect to it.
    `cluster` is the server's --cluster: the Ray cluster a run goes to when
    its profile names none (None: on this machine).
    """

    run_id: int
    spec: JsonObject
    results_root: Path
    body_file: Path | None = None
    body_filename: str | None = None
    body_content_type: str | None = None
    allow_targets: tuple[str, ...] | None = None
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class ThresholdVerdict:
    """One threshold's outcome at the end of a run."""

    expression: str
    passed: bool
    actual: str


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A finished run's figures: the engine's final summary, in the run figures' names.

    Counts and rates cover the whole run; latencies are milliseconds, from
    the whole-run histogram, as the thresholds and the report use them.
    """

    requests: int
    errors: int
    error_rate: float
    rps: float
    duration_seconds: float
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_max: float
    latency_avg: float

    def to_dict(self) -> dict[str, object]:
        """The JSON object of docs/server-api.md's `summary`."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, source: JsonObject) -> RunSummary:
        """Back from `to_dict`'s form; ValueError naming the key when one is missing or wrong."""
        return cls(
            requests=int(_number(source, "requests")),
            errors=int(_number(source, "errors")),
            error_rate=_number(source, "error_rate"),
            rps=_number(source, "rps"),
            duration_seconds=_number(source, "duration_seconds"),
            latency_p50=_number(source, "latency_p50"),
            latency_p95=_number(source, "latency_p95"),
            latency_p99=_number(source, "latency_p99"),
            latency_max=_number(source, "latency_max"),
            latency_avg=_number(source, "latency_avg"),
        )


def _number(source: JsonObject, key: str) -> float:
    value = source.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"summary field {key!r} should be a number, got {value!r:.40}")
    return float(value)


@dataclass(frozen=True, slots=True)
class RunEnding:
    """How a run ended, as the executor reports it once.

    `summary` is None when the run failed before any result existed.
    `results_dir` holds result.json and report.html when they were written.
    """

    state: RunState
    summary: RunSummary | None = None
    thresholds: Sequence[ThresholdVerdict] = ()
    results_dir: Path | None = None
    error: str | None = None

    @property
    def passed(self) -> bool | None:
        """All thresholds passed; None when the run produced no result."""
        if self.summary is None:
            return None
        return all(verdict.passed for verdict in self.thresholds)


class RunSink(Protocol):
    """What the executor tells the API about each run, in order, on the API's event loop."""

    async def run_started(self, run_id: int, results_dir: Path) -> None:
        """The run's process is driving load; its results go to `results_dir`."""

    async def run_progress(
        self, run_id: int, snapshot: JsonObject, elapsed_seconds: float, duration_seconds: float
    ) -> None:
        """One second's snapshot, as `loadforge.metrics.snapshot_schema.SnapshotData` JSON."""

    async def run_log(self, run_id: int, line: str) -> None:
        """One line of the run's console."""

    async def run_finished(self, run_id: int, ending: RunEnding) -> None:
        """The run ended; called exactly once per submitted job, queued ones included."""


class RunExecutor(Protocol):
    """Runs jobs in worker processes, at most N at a time, the rest queued in order."""

    async def submit(self, job: RunJob) -> RunState:
        """Start the job now (RUNNING) or queue it (QUEUED)."""

    async def stop(self, run_id: int) -> bool:
        """Stop a running job gracefully or drop a queued one; False when unknown or ended."""

    def is_active(self, run_id: int) -> bool:
        """True while the job is queued or running."""

    async def shutdown(self) -> None:
        """Stop every job at once (server exit); their runs end as INTERRUPTED."""
