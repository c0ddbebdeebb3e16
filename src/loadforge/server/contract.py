"""The types the server's API and its run executor share (see docs/server-api.md).

The API owns the database and the WebSocket; the executor owns the processes
that drive load. They meet here: the API hands the executor a `RunJob`, the
executor reports what happens through a `RunSink` the API implements. Keeping
the seam this small lets each side be tested without the other.
"""

from __future__ import annotations

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
    """

    run_id: int
    spec: JsonObject
    results_root: Path
    body_file: Path | None = None
    body_filename: str | None = None
    body_content_type: str | None = None
    allow_targets: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ThresholdVerdict:
    """One threshold's outcome at the end of a run."""

    expression: str
    passed: bool
    actual: str


@dataclass(frozen=True, slots=True)
class RunEnding:
    """How a run ended, as the executor reports it once.

    `summary` has the keys of docs/server-api.md (`total_requests`, ...,
    `latency_ms`); it is None when the run failed before any result existed.
    `results_dir` holds result.json and report.html when they were written.
    """

    state: RunState
    summary: JsonObject | None = None
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
        """One second's snapshot, in the dashboard's `SnapshotData` JSON form."""

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
