"""The wire form of a snapshot: the JSON the dashboard, the server and its storage share.

The live dashboard's WebSocket, the server's progress messages, its stored
per-second rows and its CSV export all carry this shape; the message
envelopes around it live with their senders (`loadforge.dashboard.schemas`).
Every field has the name of the `MetricSnapshot` (or `EndpointMetrics`) field
it is copied from, and `from_snapshot` copies by name, so the two cannot
drift apart: the wire form is the domain model with status codes as JSON
keys and endpoints as a list. It leaves out the figures no view of a live
run shows (bytes, the open model's corrected latencies), carries each
endpoint's request timings only where it recorded some (`timings`, empty
otherwise: a run without `--record-timings` pays nothing for them), and the
interval's distinct task exceptions with their messages and tracebacks. The
web app's TypeScript types are generated from it (``web/src/schemas.ts``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from loadforge.metrics.fields import status_keys
from loadforge.metrics.scenario_figures import CustomKind, ScenarioFigures
from loadforge.metrics.snapshot import EndpointMetrics, MetricSnapshot
from loadforge.metrics.task_exceptions import TaskException
from loadforge.metrics.timings import TimingFigures

_SCENARIO_FIELDS = ("checks", "metrics", "groups")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimingData(_Model):
    """One request timing of one endpoint over one interval (milliseconds)."""

    count: int
    avg: float
    p50: float
    p90: float
    p95: float
    p99: float
    min: float
    max: float


class EndpointData(_Model):
    """One endpoint's figures over one interval (latencies in milliseconds).

    `timings` holds, by name (`dns`, `connecting`, `tls`, `ttfb`,
    `receiving`), each request timing the endpoint recorded in the interval.
    """

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
    # Absent from rows stored before the wire carried timings.
    timings: dict[str, TimingData] = {}

    @classmethod
    def from_metrics(cls, metrics: EndpointMetrics) -> EndpointData:
        """The wire form of an endpoint's metrics: its fields of the same names."""
        values = {name: getattr(metrics, name) for name in cls.model_fields}
        values["timings"] = {name: f.to_dict() for name, f in metrics.timings.items()}
        return cls.model_validate(values)

    def to_metrics(self) -> EndpointMetrics:
        """Back to the domain model; the figures the wire leaves out are 0."""
        return EndpointMetrics(
            bytes_received=0,
            **self.model_dump(exclude={"timings"}),
            timings={name: TimingFigures(**t.model_dump()) for name, t in self.timings.items()},
        )


class TaskExceptionData(_Model):
    """One distinct exception raised in tasks during the interval, and how often."""

    type: str
    message: str
    task: str
    traceback: str
    count: int


class CheckData(_Model):
    """One check's passes and fails over one interval."""

    name: str
    passes: int
    fails: int
    pass_rate: float


class CustomMetricData(_Model):
    """One custom metric over one interval: `count` and `per_second` for counters and trends,
    `value` for gauges, `ratio` for rates, `p95` (ms) for trends; 0 where it does not apply."""

    name: str
    type: CustomKind
    count: float
    per_second: float
    value: float
    ratio: float
    p95: float


class GroupData(_Model):
    """One group's block durations over one interval (milliseconds)."""

    name: str
    count: int
    per_second: float
    p50: float
    p95: float
    p99: float
    max: float


def _scenario_lists(figures: ScenarioFigures) -> dict[str, object]:
    return {
        "checks": [
            CheckData(name=name, passes=c.passes, fails=c.fails, pass_rate=c.pass_rate)
            for name, c in figures.checks.items()
        ],
        "metrics": [
            CustomMetricData(
                name=name,
                type=m.kind,
                count=m.count,
                per_second=m.per_second,
                value=m.value,
                ratio=m.ratio,
                p95=m.p95,
            )
            for name, m in figures.metrics.items()
        ],
        "groups": [
            GroupData(
                name=name,
                count=g.count,
                per_second=g.per_second,
                p50=g.p50,
                p95=g.p95,
                p99=g.p99,
                max=g.high,
            )
            for name, g in figures.groups.items()
        ],
    }


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
    # What the scenario measured itself; empty when it uses no checks,
    # custom metrics or groups (and in rows stored before they existed).
    checks: list[CheckData] = []
    metrics: list[CustomMetricData] = []
    groups: list[GroupData] = []
    # After the run stopped starting work, while users finished (the grace period).
    drain: bool = False

    @classmethod
    def from_snapshot(cls, snapshot: MetricSnapshot) -> SnapshotData:
        """The wire form of a MetricSnapshot: its fields of the same names."""
        values = {
            name: getattr(snapshot, name)
            for name in cls.model_fields
            if name not in _SCENARIO_FIELDS
        }
        values.update(_scenario_lists(snapshot.scenario))
        values["errors_by_status"] = status_keys(snapshot.errors_by_status)
        values["endpoints"] = [EndpointData.from_metrics(m) for m in snapshot.endpoints.values()]
        values["task_exceptions"] = [e.to_dict() for e in snapshot.task_exceptions]
        return cls.model_validate(values)

    def to_snapshot(self) -> MetricSnapshot:
        """Back to the domain model (a server's stored second).

        The figures the wire form leaves out are 0: bytes received, and the
        scenario's own checks, custom metrics and groups.
        """
        values = self.model_dump(
            exclude={"errors_by_status", "endpoints", "task_exceptions", *_SCENARIO_FIELDS}
        )
        return MetricSnapshot(
            **values,
            errors_by_status={int(code): count for code, count in self.errors_by_status.items()},
            endpoints={endpoint.name: endpoint.to_metrics() for endpoint in self.endpoints},
            bytes_received=0,
            task_exceptions=tuple(
                TaskException.from_dict(exception.model_dump())
                for exception in self.task_exceptions
            ),
        )
