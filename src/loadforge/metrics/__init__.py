"""Metrics: recording requests into HDR histograms and building snapshots.

Scenario code uses this package for its own metrics, declared at module
level: `metrics.counter("orders")`, `metrics.gauge(n)`, `metrics.rate(n)`
and `metrics.trend(n)` (see `loadforge.metrics.custom`).
"""

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.custom import Counter, Gauge, Rate, Trend, counter, gauge, rate, trend
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.recorder import RequestRecorder
from loadforge.metrics.snapshots import SnapshotBuilder

__all__ = [
    "Counter",
    "EndpointInterval",
    "EndpointMetrics",
    "Gauge",
    "IntervalStats",
    "LatencyHistogram",
    "MetricSnapshot",
    "MetricsCollector",
    "Rate",
    "RequestRecorder",
    "ResultFormatError",
    "RunStatus",
    "SnapshotBuilder",
    "TestResult",
    "Trend",
    "counter",
    "gauge",
    "rate",
    "trend",
]
