"""Latency buckets from HDR counts, and the builder's whole-run totals for exporters."""

from __future__ import annotations

import random

import pytest
from hdrh.histogram import HdrHistogram

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.histogram import HIGHEST_US, LOWEST_US, SIGNIFICANT_DIGITS, LatencyHistogram
from loadforge.metrics.snapshots import SnapshotBuilder

BOUNDS = (5_000, 10_000, 25_000, 50_000, 100_000, 1_000_000)


def _reported(value: int) -> int:
    """The value HDR reports for a recorded latency: the top of its counter."""
    hdr = HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)
    return int(hdr.get_highest_equivalent_value(value))


def test_each_bucket_counts_the_latencies_reported_at_or_below_its_bound() -> None:
    rng = random.Random(7)
    values = [rng.randint(1, 1_200_000) for _ in range(5_000)] + [24_995, 25_000, 25_007, 5_000]
    histogram = LatencyHistogram()
    for value in values:
        histogram.record(value)

    counts = histogram.counts_at_or_below(BOUNDS)

    reported = [_reported(value) for value in values]
    assert counts == tuple(sum(r <= bound for r in reported) for bound in BOUNDS)
    assert counts == tuple(sorted(counts))


def test_a_bound_on_the_top_of_a_counter_includes_that_counter() -> None:
    histogram = LatencyHistogram()
    for value in (1_999, 2_000, 2_001, 5_003, 5_004):
        histogram.record(value)

    # Below 2048 µs every microsecond has its own counter; 5000-5003 share one.
    assert histogram.counts_at_or_below((2_000, 5_003)) == (2, 4)
    assert histogram.counts_at_or_below((4_999,)) == (3,)


@pytest.mark.parametrize("percentile", [50.0, 90.0, 99.0, 99.9])
def test_a_percentile_falls_in_the_bucket_its_counts_give(percentile: float) -> None:
    rng = random.Random(int(percentile))
    histogram = LatencyHistogram()
    for _ in range(20_000):
        histogram.record(int(rng.lognormvariate(9.5, 1.0)))
    bounds = tuple(range(1_000, 2_000_000, 7_919))
    counts = histogram.counts_at_or_below(bounds)
    value_us = histogram.percentile_ms(percentile) * 1000

    index = next(i for i, bound in enumerate(bounds) if value_us <= bound)
    rank = max(int(percentile * histogram.count / 100 + 0.5), 1)
    assert counts[index] >= rank
    assert index == 0 or counts[index - 1] < rank


def test_an_empty_histogram_counts_nothing() -> None:
    assert LatencyHistogram().counts_at_or_below(BOUNDS) == (0,) * len(BOUNDS)


def test_run_totals_add_up_every_interval() -> None:
    builder = SnapshotBuilder()
    for second in range(3):
        collector = MetricsCollector()
        collector.record("home", "GET", 200, 4_000, 100, None)
        collector.record("home", "GET", 503, 30_000, 10, "http_503")
        collector.record("api", "POST", 0, 2_000_000, 0, "timeout")
        collector.record_task_error("buy", ValueError("valueerror"))
        builder.add_interval(
            collector.take_interval(),
            timestamp=1_000.0 + second,
            elapsed=second + 1.0,
            interval_seconds=1.0,
            active_users=2,
            target_users=2,
        )

    totals = builder.run_totals(BOUNDS)

    home, api = totals.endpoints
    assert (home.name, home.method, home.requests, home.errors) == ("home", "GET", 6, 3)
    assert home.errors_by_type == {"http_503": 3}
    assert home.errors_by_status == {503: 3}
    assert home.latency_buckets == (3, 3, 3, 6, 6, 6)
    assert home.latency_count == 6
    assert home.latency_sum_seconds == pytest.approx(3 * 0.004 + 3 * 0.030, rel=1e-3)
    assert home.bytes_received == 330
    assert api.errors_by_status == {}
    assert api.latency_buckets == (0,) * 6
    assert api.latency_max_seconds == pytest.approx(2.0, rel=1e-3)
    assert totals.task_errors_by_type == {"ValueError": 3}
    assert totals.requests == 9
