"""The wire form of a snapshot: the JSON the dashboard, the server and its storage share.

The live dashboard's WebSocket, the server's progress messages, its stored
per-second rows and its CSV export all carry this shape; the message
envelopes around it live with their senders (`loadforge.dashboard.schemas`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from loadforge.metrics.models import EndpointMetrics, MetricSnapshot


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LatencyData(_Model):
    """Latency percentiles of one interval, in milliseconds."""

    p50: float
    p75: float
    p90: float
    p95: float
    p99: float
    p999: float
    min: float
    max: float
    avg: float


class ErrorsData(_Model):
    """Errors of one interval: count, share of requests, by HTTP status and by type."""

    total: int
    rate: float
    by_status: dict[str, int]
    by_type: dict[str, int]


class EndpointData(_Model):
    """One endpoint's figures over one interval."""

    name: str
    method: str
    rps: float
    request_count: int
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_avg: float
    latency_max: float
    error_count: int
    error_rate: float

    @classmethod
    def from_metrics(cls, metrics: EndpointMetrics) -> EndpointData:
        """The wire form of an endpoint's metrics."""
        return cls(
            name=metrics.name,
            method=metrics.method,
            rps=metrics.rps,
            request_count=metrics.requests,
            latency_p50=metrics.latency_p50,
            latency_p95=metrics.latency_p95,
            latency_p99=metrics.latency_p99,
            latency_avg=metrics.latency_avg,
            latency_max=metrics.latency_max,
            error_count=metrics.errors,
            error_rate=metrics.error_rate,
        )


class SnapshotData(_Model):
    """One second of the run, as the charts and cards read it."""

    timestamp: float
    elapsed_seconds: float
    active_users: int
    target_users: int
    rps: float
    total_requests: int
    latency: LatencyData
    errors: ErrorsData
    endpoints: list[EndpointData]

    @classmethod
    def from_snapshot(cls, snapshot: MetricSnapshot) -> SnapshotData:
        """The wire form of a MetricSnapshot."""
        return cls(
            timestamp=snapshot.timestamp,
            elapsed_seconds=snapshot.elapsed_seconds,
            active_users=snapshot.active_users,
            target_users=snapshot.target_users,
            rps=snapshot.requests_per_second,
            total_requests=snapshot.total_requests,
            latency=LatencyData(
                p50=snapshot.latency_p50,
                p75=snapshot.latency_p75,
                p90=snapshot.latency_p90,
                p95=snapshot.latency_p95,
                p99=snapshot.latency_p99,
                p999=snapshot.latency_p999,
                min=snapshot.latency_min,
                max=snapshot.latency_max,
                avg=snapshot.latency_avg,
            ),
            errors=ErrorsData(
                total=snapshot.total_errors,
                rate=snapshot.error_rate,
                by_status={str(code): count for code, count in snapshot.errors_by_status.items()},
                by_type=dict(snapshot.errors_by_type),
            ),
            endpoints=[EndpointData.from_metrics(m) for m in snapshot.endpoints.values()],
        )
