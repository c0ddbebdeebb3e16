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


def test_checks_custom_metrics_and_groups_are_families_of_their_own() -> None:
    builder = SnapshotBuilder()
    collector = MetricsCollector()
    collector.record("home", "GET", 200, 3_000, 50, None)
    collector.record_check("status is 200", "home", True, None)
    collector.record_check("status is 200", "home", False, None)
    collector.record_check("status is 200", "home", True, None)
    collector.add_counter("orders", 2)
    collector.add_counter("orders", 1.5)
    collector.set_gauge("queue.depth", 7)
    collector.add_rate("paid", True)
    collector.add_rate("paid", False)
    collector.add_rate("paid", True)
    collector.record_trend("cart_ms", 4_000)
    collector.record_trend("cart_ms", 40_000)
    collector.record_group("checkout", 20_000)
    snapshot = builder.add_interval(
        collector.take_interval(), timestamp=100.0, elapsed=1.0, interval_seconds=1.0,
        active_users=1, target_users=1,
    )  # fmt: skip
    made = figures(RunInfo("Shop", "id"), snapshot, builder.run_totals(BOUNDS_US), start_time=99.0)
    families = {family.name: family for family in made.families}

    assert _values(families["loadforge_checks"]) == {
        (("check", "status is 200"), ("outcome", "pass")): 2,
        (("check", "status is 200"), ("outcome", "fail")): 1,
    }
    assert _values(families["loadforge_custom_counter"]) == {(("metric", "orders"),): 3.5}
    assert _values(families["loadforge_custom_gauge"]) == {(("metric", "queue.depth"),): 7}
    assert _values(families["loadforge_custom_rate_values"]) == {
        (("metric", "paid"), ("value", "true")): 2,
        (("metric", "paid"), ("value", "false")): 1,
    }
    (trend,) = families["loadforge_custom_trend_seconds"].histograms
    assert trend.labels == (("metric", "cart_ms"),)
    assert (trend.count, trend.buckets[0], trend.buckets[2], trend.buckets[3]) == (2, 1, 1, 2)
    assert 0.043 < trend.sum < 0.045
    (group,) = families["loadforge_group_duration_seconds"].histograms
    assert (group.labels, group.count) == ((("group", "checkout"),), 1)


def test_a_scenario_without_them_adds_no_family() -> None:
    names = set(_families())
    assert not {name for name in names if "custom" in name or "check" in name or "group" in name}


def test_the_new_families_render_in_every_export_form() -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from loadforge.exports.otlp import metrics_data, resource
    from loadforge.exports.remote_write import samples
    from loadforge.exports.scrape import FiguresCollector

    builder = SnapshotBuilder()
    collector = MetricsCollector()
    collector.record_check("ok", "home", True, None)
    collector.add_counter("orders", 1)
    collector.record_group("checkout", 20_000)
    snapshot = builder.add_interval(
        collector.take_interval(), timestamp=100.0, elapsed=1.0, interval_seconds=1.0,
        active_users=1, target_users=1,
    )  # fmt: skip
    info = RunInfo("Shop", "id")
    made = figures(info, snapshot, builder.run_totals(BOUNDS_US), start_time=99.0)

    registry = CollectorRegistry()
    scrape = FiguresCollector()
    scrape.latest = made
    registry.register(scrape)
    text = generate_latest(registry).decode()
    assert 'loadforge_checks_total{check="ok",outcome="pass"} 1.0' in text
    assert 'loadforge_custom_counter_total{metric="orders"} 1.0' in text
    assert 'loadforge_group_duration_seconds_count{group="checkout"} 1.0' in text
    names = {name for name, _, _ in samples(made)}
    assert {"loadforge_checks_total", "loadforge_custom_counter_total"} <= names
    exported = metrics_data(made, resource(info, {}))
    otlp_names = {
        metric.name
        for resource_metrics in exported.resource_metrics
        for scope in resource_metrics.scope_metrics
        for metric in scope.metrics
    }
    assert "loadforge_checks" in otlp_names
    assert any(name.startswith("loadforge_group_duration") for name in otlp_names)
