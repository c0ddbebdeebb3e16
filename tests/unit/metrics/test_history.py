"""The bounded history: exact totals, merged rates and peaks, and a size that stops growing."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from loadforge.metrics.history import SnapshotHistory, downsample, merge_snapshots
from loadforge.metrics.models import MetricSnapshot
from sample_runs import EPOCH, Request, build_result


def _seconds(count: int) -> list[MetricSnapshot]:
    """`count` one-second snapshots; second i sends i % 5 + 1 requests, one of them failing."""
    per_second = [
        [Request("home", 1_000 * (1 + i % 7)) for _ in range(i % 5)]
        + [Request("cart", 2_000, status=500, error="http_500")]
        for i in range(count)
    ]
    return build_result(per_second).snapshots


def test_one_part_is_returned_as_it_is() -> None:
    (only,) = _seconds(1)
    assert merge_snapshots([only], 0.0) is only


def test_a_merge_adds_up_counts_and_divides_by_the_seconds_it_covers() -> None:
    parts = _seconds(4)
    merged = merge_snapshots(parts, 0.0)
    assert merged.requests == sum(p.requests for p in parts)
    assert merged.errors == sum(p.errors for p in parts) == 4
    assert merged.rps == pytest.approx(merged.requests / 4.0)
    assert merged.error_rate == pytest.approx(4 / merged.requests)
    assert merged.errors_by_status == {500: 4}
    assert merged.latency_max == max(p.latency_max for p in parts)
    assert merged.latency_min == min(p.latency_min for p in parts)
    weighted = sum(p.latency_avg * p.requests for p in parts) / merged.requests
    assert merged.latency_avg == pytest.approx(weighted)
    assert merged.elapsed_seconds == parts[-1].elapsed_seconds
    assert merged.endpoints["cart"].requests == merged.endpoints["cart"].errors == 4
    assert sum(e.requests for e in merged.endpoints.values()) == merged.requests


def test_a_merge_keeps_the_peak_users() -> None:
    parts = _seconds(3)
    peaked = [parts[0], replace(parts[1], active_users=40, target_users=50), parts[2]]
    merged = merge_snapshots(peaked, 0.0)
    assert (merged.active_users, merged.target_users) == (40, 50)


def test_a_short_history_keeps_every_second_as_it_came() -> None:
    parts = _seconds(10)
    history = SnapshotHistory(limit=20)
    for part in parts:
        history.append(part)
    assert history.snapshots() == parts
    assert history.seconds_per_point == 1


def test_a_long_history_stays_under_its_limit_with_exact_totals() -> None:
    template = _seconds(1)[0]
    history = SnapshotHistory(limit=16)
    for second in range(1, 1_001):
        history.append(replace(template, elapsed_seconds=float(second), timestamp=EPOCH + second))
        assert len(history) <= 16
    points = history.snapshots()
    assert sum(p.requests for p in points) == 1_000 * template.requests
    assert points[-1].elapsed_seconds == 1_000.0
    assert history.seconds_per_point == 64
    # Every finished point covers the same seconds, at the rate each second had.
    assert all(p.rps == pytest.approx(template.rps) for p in points)
    ends = [p.elapsed_seconds for p in history.points]
    assert {b - a for a, b in itertools.pairwise(ends)} == {64.0}


def test_downsample_leaves_a_short_history_alone_and_bounds_a_long_one() -> None:
    template = _seconds(1)[0]
    long = [replace(template, elapsed_seconds=float(s)) for s in range(1, 5_001)]
    assert downsample(long[:10], limit=100) == long[:10]
    bounded = downsample(long, limit=100)
    assert len(bounded) <= 100
    assert sum(p.requests for p in bounded) == 5_000 * template.requests


def test_an_odd_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="even"):
        SnapshotHistory(limit=5)
