"""The wire form of a snapshot: the JSON the dashboard, the server and its storage share.

The live dashboard's WebSocket, the server's progress messages, its stored
per-second rows and its CSV export all carry this shape; the message
envelopes around it live with their senders (`loadforge.dashboard.schemas`).
Every field has the name of the `MetricSnapshot` (or `EndpointMetrics`) field
it is copied from, and `from_snapshot` copies by name, so the two cannot
drift apart: the wire form is the domain model with status codes as JSON
keys and endpoints as a list. It leaves out the figures no view of a live
run shows (bytes, the open model's corrected latencies), and carries the
interval's distinct task exceptions with their messages and tracebacks. The
web app's TypeScript types are generated from it (``web/src/schemas.ts``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from loadforge.metrics.fields import status_keys
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EndpointData(_Model):
    """One endpoint's figures over one interval (latencies in milliseconds)."""

    name: str
    method: str
    requests: int
    rps: float
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_avg: float
    latency_max: float
    errors: int
    error_rate: float

    @classmethod
    def from_metrics(cls, metrics: EndpointMetrics) -> EndpointData:
        """The wire form of an endpoint's metrics: its fields of the same names."""
        return cls.model_validate({name: getattr(metrics, name) for name in cls.model_fields})


class TaskExceptionData(_Model):
    """One distinct exception raised in tasks during the interval, and how often."""

    type: str
    message: str
    task: str
    traceback: str
    count: int


class SnapshotData(_Model):
    """One second of the run, as the charts and cards read it (latencies in milliseconds)."""

    timestamp: float
    elapsed_seconds: float
    active_users: int
    target_users: int
    requests: int
    rps: float
    latency_p50: float
    latency_p75: float
    latency_p90: float
    latency_p95: float
    latency_p99: float
    latency_p999: float
    latency_min: float
    latency_max: float
    latency_avg: float
    errors: int
    error_rate: float
    errors_by_status: dict[str, int]
    errors_by_type: dict[str, int]
    endpoints: list[EndpointData]
    # Absent from rows stored before task exceptions kept their messages.
    task_errors: int = 0
    task_exceptions: list[TaskExceptionData] = []
    # After the run stopped starting work, while users finished (the grace period).
    drain: bool = False

    @classmethod
    def from_snapshot(cls, snapshot: MetricSnapshot) -> SnapshotData:
        """The wire form of a MetricSnapshot: its fields of the same names."""
        values = {name: getattr(snapshot, name) for name in cls.model_fields}
        values["errors_by_status"] = status_keys(snapshot.errors_by_status)
        values["endpoints"] = [EndpointData.from_metrics(m) for m in snapshot.endpoints.values()]
        values["task_exceptions"] = [e.to_dict() for e in snapshot.task_exceptions]
        return cls.model_validate(values)
