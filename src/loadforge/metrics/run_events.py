"""What happened to a run itself (a worker lost, a feeder exhausted), as stored in result.json."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object, read_float, read_int, read_str

__all__ = ["RunEvent", "RunEventKind", "read_events"]


class RunEventKind(enum.StrEnum):
    """What happened to the run; its value is the `kind` written in result.json."""

    WORKER_LOST = "worker_lost"
    # A feeder in `stop` mode ran out of rows, which ended the run.
    DATA_EXHAUSTED = "data_exhausted"
    # A worker's interval could not be decoded, so its counts are left out.
    INTERVAL_DROPPED = "interval_dropped"


@dataclass(frozen=True, slots=True)
class RunEvent:
    """Something that happened to the run itself, such as a worker process lost."""

    timestamp: float
    elapsed_seconds: float
    kind: RunEventKind
    worker_id: int
    cause: str
    # The cluster node the worker ran on (`--cluster`); None for a local worker.
    node: str | None = None

    def describe(self) -> str:
        """The event in one line, as the live view, the report and the server's console say it."""
        at = f"{self.elapsed_seconds:.1f}s"
        match self.kind:
            case RunEventKind.DATA_EXHAUSTED:
                return f"stopping at {at}: {self.cause}"
            case RunEventKind.INTERVAL_DROPPED:
                return f"worker {self.worker_id} at {at}: {self.cause}"
            case RunEventKind.WORKER_LOST:
                where = "" if self.node is None else f" on node {self.node[:12]}"
                return f"worker {self.worker_id}{where} lost at {at}: {self.cause}"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form; `node` only when the worker ran on a cluster node."""
        node: dict[str, object] = {} if self.node is None else {"node": self.node}
        return {
            "timestamp": self.timestamp,
            "elapsed_seconds": self.elapsed_seconds,
            "kind": self.kind.value,
            "worker_id": self.worker_id,
            "cause": self.cause,
            **node,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> RunEvent:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Run event"
        return cls(
            timestamp=read_float(source, "timestamp", where),
            elapsed_seconds=read_float(source, "elapsed_seconds", where),
            kind=_read_kind(source, where),
            worker_id=read_int(source, "worker_id", where),
            cause=read_str(source, "cause", where),
            node=read_str(source, "node", where) if "node" in source else None,
        )


def _read_kind(source: Mapping[str, object], where: str) -> RunEventKind:
    text = read_str(source, "kind", where)
    try:
        return RunEventKind(text)
    except ValueError as exc:
        known = ", ".join(kind.value for kind in RunEventKind)
        raise ResultFormatError(
            f"{where} field 'kind' is {text!r:.80}; expected one of {known}."
        ) from exc


def read_events(source: Mapping[str, object], where: str) -> list[RunEvent]:
    """The run events of a result, `[]` when it has none; ResultFormatError on malformed input."""
    events = source.get("events", [])
    if not isinstance(events, list):
        raise ResultFormatError(f"{where} field 'events' should be a list of events.")
    return [RunEvent.from_dict(as_object(item, "Run event")) for item in events]
