"""The metric families every export publishes, from a snapshot and the run's totals."""

from __future__ import annotations

from loadforge.exports.series import (
    BOUNDS_SECONDS,
    BOUNDS_US,
    LE_LABELS,
    Family,
    Kind,
    RunInfo,
    figures,
)
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.metrics.totals import RunTotals


def _run() -> tuple[MetricSnapshot, RunTotals]:
    builder = SnapshotBuilder()
    collector = MetricsCollector()
    collector.record("home", "GET", 200, 3_000, 50, None)
    collector.record("home", "GET", 404, 30_000, 5, "http_404")
    collector.record("home", "GET", 200, 8_000, 50, None)
    collector.mark_failed("home", 200, "wrong body")
    collector.record("api", "POST", 0, 12_000_000, 0, "timeout")
    collector.record_task_error("buy", KeyError("keyerror"))
    collector.count_dropped()
    snapshot = builder.add_interval(
        collector.take_interval(), timestamp=100.0, elapsed=1.0, interval_seconds=1.0,
        active_users=3, target_users=4,
    )  # fmt: skip
    return snapshot, builder.run_totals(BOUNDS_US)


def _families(open_model: bool = False) -> dict[str, Family]:
    snapshot, totals = _run()
    info = RunInfo("Shop", "shop-20261202-101010", open_model)
    made = figures(info, snapshot, totals, start_time=99.0, iterations_per_second=7.5)
    assert (made.timestamp, made.start_time) == (100.0, 99.0)
    return {family.name: family for family in made.families}


def _values(family: Family) -> dict[tuple[tuple[str, str], ...], float]:
    return {point.labels: point.value for point in family.points}


def test_the_bounds_are_opentelemetry_http_ones_in_microseconds() -> None:
    assert BOUNDS_SECONDS[0] == 0.005
    assert BOUNDS_SECONDS[-1] == 10.0
    assert BOUNDS_US[:3] == (5_000, 10_000, 25_000)
    assert LE_LABELS[:2] == ("0.005", "0.01")
    assert LE_LABELS[9] == "1.0"


def test_requests_errors_and_classes_by_endpoint() -> None:
    families = _families()
    home = (("endpoint", "home"), ("method", "GET"))
    api = (("endpoint", "api"), ("method", "POST"))

    assert families["loadforge_requests"].kind is Kind.COUNTER
    assert _values(families["loadforge_requests"]) == {home: 3, api: 1}
    assert _values(families["loadforge_request_errors"]) == {
        (*home, ("error", "http_404")): 1,
        (*home, ("error", "wrong body")): 1,
        (*api, ("error", "timeout")): 1,
    }
    assert _values(families["loadforge_request_errors_by_class"]) == {
        (*home, ("status_class", "2xx")): 1,
        (*home, ("status_class", "4xx")): 1,
        (*api, ("status_class", "none")): 1,
    }
    assert _values(families["loadforge_received_bytes"]) == {home: 105, api: 0}
    assert _values(families["loadforge_task_errors"]) == {(("error", "KeyError"),): 1}


def test_the_latency_histogram_is_cumulative_and_exact() -> None:
    histogram = _families()["loadforge_request_duration_seconds"]
    home, api = histogram.histograms

    assert histogram.kind is Kind.HISTOGRAM
    assert histogram.unit == "seconds"
    assert home.buckets[:3] == (1, 2, 2)  # 3 ms, 8 ms, then 30 ms above 25 ms
    assert home.buckets[3] == 3
    assert home.count == 3
    assert api.buckets[-1] == 0  # 12 s is above the last bound
    assert api.count == 1
    assert 11.9 < api.max <= 12.1


def test_users_run_info_and_the_open_model() -> None:
    closed, opened = _families(), _families(open_model=True)

    assert _values(closed["loadforge_active_users"]) == {(): 3}
    assert _values(closed["loadforge_target_users"]) == {(): 4}
    assert _values(closed["loadforge_run_info"]) == {
        (("scenario", "Shop"), ("run_id", "shop-20261202-101010")): 1
    }
    assert "loadforge_dropped_iterations" not in closed
    assert _values(opened["loadforge_dropped_iterations"]) == {(): 1}
    assert _values(opened["loadforge_iterations_per_second"]) == {(): 7.5}
