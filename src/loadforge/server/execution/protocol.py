"""What a run's child process tells the server: four small messages, one JSON line each.

The child writes to its stdout (its own prints are moved to stderr, see
`runner`), the server reads lines with asyncio. Each message is a frozen
dataclass; `encode`/`decode` map it to and from `{"type": TAG, ...fields}`
through one table, and the server dispatches decoded messages by class
through a `{type: handler}` table, never by comparing strings.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from loadforge.server.contract import (
    JsonObject,
    RunEnding,
    RunJob,
    RunState,
    RunSummary,
    ThresholdVerdict,
)

__all__ = [
    "Finished",
    "Log",
    "Message",
    "Progress",
    "ProtocolError",
    "Started",
    "decode",
    "encode",
    "job_from_json",
    "job_to_json",
]


class ProtocolError(ValueError):
    """A line from a run's process that is not one of its messages."""


@dataclass(frozen=True, slots=True)
class Started:
    """The run drives load; its results go to `results_dir`."""

    TAG: ClassVar[str] = "started"
    results_dir: str


@dataclass(frozen=True, slots=True)
class Progress:
    """One second of the run: `SnapshotData` JSON and how far along it is."""

    TAG: ClassVar[str] = "progress"
    snapshot: JsonObject
    elapsed_seconds: float
    duration_seconds: float


@dataclass(frozen=True, slots=True)
class Log:
    """One line of the run's console."""

    TAG: ClassVar[str] = "log"
    line: str


@dataclass(frozen=True, slots=True)
class Finished:
    """How the run ended, as `RunEnding` fields in JSON form; the last message."""

    TAG: ClassVar[str] = "finished"
    state: str
    summary: JsonObject | None = None
    thresholds: Sequence[JsonObject] = field(default_factory=tuple)
    results_dir: str | None = None
    error: str | None = None

    @classmethod
    def from_ending(cls, ending: RunEnding) -> Finished:
        """The message for an ending."""
        return cls(
            state=ending.state.value,
            summary=None if ending.summary is None else ending.summary.to_dict(),
            thresholds=tuple(dataclasses.asdict(verdict) for verdict in ending.thresholds),
            results_dir=None if ending.results_dir is None else str(ending.results_dir),
            error=ending.error,
        )

    def ending(self) -> RunEnding:
        """Back to the contract's `RunEnding`."""
        return RunEnding(
            state=RunState(self.state),
            summary=None if self.summary is None else RunSummary.from_dict(self.summary),
            thresholds=tuple(
                ThresholdVerdict(
                    expression=str(verdict["expression"]),
                    passed=bool(verdict["passed"]),
                    actual=str(verdict["actual"]),
                )
                for verdict in self.thresholds
            ),
            results_dir=None if self.results_dir is None else Path(self.results_dir),
            error=self.error,
        )


Message = Started | Progress | Log | Finished
_BY_TAG: Mapping[str, type[Message]] = {
    kind.TAG: kind for kind in (Started, Progress, Log, Finished)
}


def encode(message: Message) -> bytes:
    """One line of JSON, newline included."""
    fields = {f.name: getattr(message, f.name) for f in dataclasses.fields(message)}
    return json.dumps({"type": message.TAG, **fields}, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> Message:
    """The message a line carries; ProtocolError for anything else."""
    try:
        raw = json.loads(line)
        kind = _BY_TAG[raw.pop("type")]
        return kind(**raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProtocolError(f"not a run message: {line[:120]!r}") from exc


def job_to_json(job: RunJob) -> bytes:
    """The job as the server writes it to the child's stdin."""
    document = {
        "run_id": job.run_id,
        "spec": job.spec,
        "results_root": str(job.results_root),
        "body_file": None if job.body_file is None else str(job.body_file),
        "body_filename": job.body_filename,
        "body_content_type": job.body_content_type,
        "allow_targets": None if job.allow_targets is None else list(job.allow_targets),
        "cluster": job.cluster,
    }
    return json.dumps(document).encode()


def job_from_json(text: bytes) -> RunJob:
    """The job the server sent."""
    raw = json.loads(text)
    targets = raw.get("allow_targets")
    return RunJob(
        run_id=int(raw["run_id"]),
        spec=raw["spec"],
        results_root=Path(raw["results_root"]),
        body_file=None if raw["body_file"] is None else Path(raw["body_file"]),
        body_filename=raw["body_filename"],
        body_content_type=raw["body_content_type"],
        allow_targets=None if targets is None else tuple(targets),
        cluster=raw.get("cluster"),
    )
