"""Metrics: recording requests into HDR histograms and building snapshots."""

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.recorder import RequestRecorder
from loadforge.metrics.snapshots import SnapshotBuilder

__all__ = [
    "EndpointInterval",
    "EndpointMetrics",
    "IntervalStats",
    "LatencyHistogram",
    "MetricSnapshot",
    "MetricsCollector",
    "RequestRecorder",
    "ResultFormatError",
    "RunStatus",
    "SnapshotBuilder",
    "TestResult",
]
