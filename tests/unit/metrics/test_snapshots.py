"""SnapshotBuilder turns intervals into per-second snapshots and an exact whole-run summary."""

from __future__ import annotations

import math

from hdrh.histogram import HdrHistogram

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.histogram import HIGHEST_US, LatencyHistogram
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshots import SnapshotBuilder


def reference_ms(values: list[int], percentile: float) -> float:
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for value in values:
        reference.record_value(value)
    return float(reference.get_value_at_percentile(percentile)) / 1000.0


def add(builder: SnapshotBuilder, stats: IntervalStats, seconds: float = 1.0) -> MetricSnapshot:
    return builder.add_interval(
        stats,
        timestamp=1000.0,
        elapsed=seconds,
        interval_seconds=seconds,
        active_users=4,
        target_users=8,
    )


def numbers_of(snapshot: MetricSnapshot) -> list[float]:
    document = snapshot.to_dict()
    return [value for value in document.values() if isinstance(value, int | float)]


def busy_interval() -> IntervalStats:
    collector = MetricsCollector()
    for latency in (1000, 1100, 1200):
        collector.record("users", "GET", 200, latency, 100, None)
    collector.record("users", "GET", 404, 1300, 10, "http_404")
    collector.record("login", "POST", 0, 1900, 0, "timeout")
    for _ in range(4):
        collector.count_iterations(1)
    collector.record_task_error("browse", KeyError("keyerror"))
    return collector.take_interval()


def test_interval_snapshot_counts_what_happened_in_that_interval() -> None:
    snapshot = add(SnapshotBuilder(), busy_interval(), seconds=0.5)

    assert (snapshot.timestamp, snapshot.elapsed_seconds) == (1000.0, 0.5)
    assert (snapshot.active_users, snapshot.target_users) == (4, 8)
    assert snapshot.requests == 5
    assert snapshot.rps == 10.0
    # Request errors over requests; the task exception has its own count and rate.
    assert snapshot.errors == 2
    assert snapshot.error_rate == 2 / 5
    assert snapshot.task_errors == 1
    assert snapshot.iterations == 4
    assert snapshot.task_error_rate == 1 / 4
    assert snapshot.errors_by_status == {404: 1}
    assert snapshot.errors_by_type == {"http_404": 1, "timeout": 1}
    assert snapshot.bytes_received == 310


def test_interval_latencies_come_from_the_merged_endpoint_histograms() -> None:
    snapshot = add(SnapshotBuilder(), busy_interval())

    values = [1000, 1100, 1200, 1300, 1900]
    assert snapshot.latency_p50 == reference_ms(values, 50)
    assert snapshot.latency_p75 == reference_ms(values, 75)
    assert snapshot.latency_p999 == reference_ms(values, 99.9)
    assert (snapshot.latency_min, snapshot.latency_max) == (1.0, 1.9)
    assert snapshot.latency_avg == 1.3


def test_endpoint_figures_per_interval() -> None:
    snapshot = add(SnapshotBuilder(), busy_interval(), seconds=2.0)

    users = snapshot.endpoints["users"]
    assert (users.name, users.method, users.requests, users.rps) == ("users", "GET", 4, 2.0)
    assert (users.latency_p50, users.latency_p99, users.latency_max) == (1.1, 1.3, 1.3)
    assert users.latency_avg == 1.15
    assert (users.errors, users.error_rate, users.bytes_received) == (1, 0.25, 310)
    assert snapshot.endpoints["login"].error_rate == 1.0


def test_rps_over_a_fractional_interval() -> None:
    collector = MetricsCollector()
    for _ in range(3):
        collector.record("a", "GET", 200, 1000, 0, None)

    snapshot = add(SnapshotBuilder(), collector.take_interval(), seconds=0.25)

    assert snapshot.rps == 12.0
    assert snapshot.endpoints["a"].rps == 12.0


def test_empty_interval_gives_zeros_not_nan() -> None:
    snapshot = add(SnapshotBuilder(), IntervalStats())

    assert snapshot.requests == 0
    assert snapshot.error_rate == 0.0
    assert snapshot.latency_p99 == 0.0
    assert snapshot.latency_avg == 0.0
    assert not any(math.isnan(value) for value in numbers_of(snapshot))


def test_zero_length_interval_gives_zero_rps() -> None:
    snapshot = add(SnapshotBuilder(), busy_interval(), seconds=0.0)

    assert snapshot.rps == 0.0
    assert snapshot.endpoints["users"].rps == 0.0


def test_task_errors_are_not_request_errors() -> None:
    stats = IntervalStats(task_errors_by_type={"E": 2}, task_errors_by_task={"t": 2}, iterations=2)

    snapshot = add(SnapshotBuilder(), stats)

    assert (snapshot.requests, snapshot.errors, snapshot.error_rate) == (0, 0, 0.0)
    assert (snapshot.task_errors, snapshot.task_error_rate) == (2, 1.0)


def test_endpoints_seen_earlier_stay_listed_with_zeros() -> None:
    builder = SnapshotBuilder()
    add(builder, busy_interval())
    collector = MetricsCollector()
    collector.record("login", "POST", 200, 800, 5, None)

    snapshot = add(builder, collector.take_interval())

    assert list(snapshot.endpoints) == ["users", "login"]
    users = snapshot.endpoints["users"]
    assert (users.method, users.requests, users.rps, users.latency_p99) == ("GET", 0, 0.0, 0.0)
    assert snapshot.endpoints["login"].requests == 1
    assert snapshot.requests == 1


def test_summary_percentiles_come_from_the_whole_run_not_an_average() -> None:
    builder = SnapshotBuilder()
    fast, slow = MetricsCollector(), MetricsCollector()
    for _ in range(99):
        fast.record("a", "GET", 200, 1000, 0, None)
    slow.record("a", "GET", 200, 100_000, 0, None)
    add(builder, fast.take_interval())
    add(builder, slow.take_interval())

    summary = builder.summary(timestamp=2000.0, elapsed=4.0, active_users=0, target_users=8)

    values = [1000] * 99 + [100_000]
    assert summary.latency_p99 == reference_ms(values, 99) == 1.0
    assert summary.latency_max == reference_ms(values, 100)
    assert summary.endpoints["a"].latency_p99 == 1.0


def test_summary_totals_the_run() -> None:
    builder = SnapshotBuilder()
    add(builder, busy_interval())
    add(builder, busy_interval())

    summary = builder.summary(timestamp=2000.0, elapsed=4.0, active_users=0, target_users=8)

    assert (summary.timestamp, summary.elapsed_seconds) == (2000.0, 4.0)
    assert (summary.active_users, summary.target_users) == (0, 8)
    assert summary.requests == 10
    assert summary.rps == 2.5
    assert (summary.errors, summary.task_errors) == (4, 2)
    assert summary.error_rate == 4 / 10
    assert (summary.iterations, summary.task_error_rate) == (8, 2 / 8)
    assert summary.errors_by_type == {"http_404": 2, "timeout": 2}
    assert summary.endpoints["users"].requests == 8
    assert summary.endpoints["users"].rps == 2.0
    assert builder.task_errors_by_task() == {"browse": 2}


def test_summary_of_nothing_at_zero_elapsed_is_all_zeros() -> None:
    summary = SnapshotBuilder().summary(timestamp=1.0, elapsed=0.0, active_users=0, target_users=0)

    assert summary.rps == 0.0
    assert summary.endpoints == {}
    assert not any(math.isnan(value) for value in numbers_of(summary))


def test_whole_run_and_endpoint_histograms_hold_every_latency() -> None:
    builder = SnapshotBuilder()
    add(builder, busy_interval())
    add(builder, busy_interval())

    whole = LatencyHistogram.decode(builder.whole_run_histogram())
    endpoints = {
        name: LatencyHistogram.decode(text) for name, text in builder.endpoint_histograms().items()
    }

    assert whole.count == 10
    assert whole.percentile_ms(50) == reference_ms([1000, 1100, 1200, 1300, 1900] * 2, 50)
    assert {name: histogram.count for name, histogram in endpoints.items()} == {
        "users": 8,
        "login": 2,
    }


def test_added_interval_is_not_kept_by_reference() -> None:
    builder = SnapshotBuilder()
    stats = busy_interval()
    add(builder, stats)

    stats.endpoints["users"].requests += 100

    summary = builder.summary(timestamp=1.0, elapsed=1.0, active_users=0, target_users=0)
    assert summary.endpoints["users"].requests == 4


def open_model_interval() -> IntervalStats:
    collector = MetricsCollector()
    for service, corrected in ((1000, 1000), (1100, 40_000), (1200, 50_000)):
        collector.record("slow", "GET", 200, service, 10, None)
        collector.record_corrected("slow", corrected)
    collector.record("fast", "GET", 200, 900, 10, None)
    collector.record_corrected("fast", 900)
    return collector.take_interval()


def test_corrected_percentiles_per_endpoint_and_for_the_run() -> None:
    builder = SnapshotBuilder()
    second = add(builder, open_model_interval())
    add(builder, open_model_interval())
    summary = builder.summary(timestamp=1.0, elapsed=2.0, active_users=0, target_users=0)

    slow = summary.endpoints["slow"]
    assert slow.latency_corrected_p50 == reference_ms([1000, 40_000, 50_000] * 2, 50)
    assert slow.latency_corrected_p99 == reference_ms([1000, 40_000, 50_000] * 2, 99)
    assert slow.latency_corrected_max == reference_ms([50_000], 100)
    assert slow.latency_p99 == reference_ms([1200], 100)
    assert summary.endpoints["fast"].latency_corrected_p99 == reference_ms([900], 99)
    everything = [1000, 40_000, 50_000, 900] * 2
    assert summary.latency_corrected_p95 == reference_ms(everything, 95)
    assert second.endpoints["slow"].latency_corrected_p95 == reference_ms([50_000], 95)
    assert second.latency_corrected_p50 == reference_ms(everything[:4], 50)


def test_closed_model_endpoints_have_zero_corrected_latency() -> None:
    snapshot = add(SnapshotBuilder(), busy_interval())

    users = snapshot.endpoints["users"]
    assert (users.latency_corrected_p99, users.latency_corrected_max) == (0.0, 0.0)
