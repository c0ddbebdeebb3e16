"""Checks, custom metrics and groups: counted per interval, merged exactly, shown by name."""

from __future__ import annotations

import json

import pytest

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.models import TestResult
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.metrics.scenario_interval import GaugeReading
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval
from sample_runs import normal_run, scenario_run


def test_two_workers_merge_to_exactly_their_sum() -> None:
    summary = scenario_run().final_summary

    check = summary.checks["status is 201"]
    assert (check.passes, check.fails, check.pass_rate) == (36, 4, 0.9)
    assert check.endpoint_passes == {"checkout › Order": 36}
    assert check.endpoint_fails == {"checkout › Order": 4}
    orders = summary.metrics["orders"]
    assert (orders.kind, orders.count, orders.per_second) == (CustomKind.COUNTER, 40.0, 20.0)
    paid = summary.metrics["paid"]
    assert (paid.count, paid.trues, paid.ratio) == (40.0, 20, 0.5)
    cart = summary.metrics["cart_ms"]
    assert cart.count == 40
    # HDR histograms keep three significant digits.
    assert (cart.low, cart.high, cart.p50) == pytest.approx((1.0, 10.0, 5.0), rel=1e-3)
    depth = summary.metrics["depth"]
    assert (depth.low, depth.high) == (0.0, 1.0)
    assert summary.groups["checkout"].count == 40
    assert summary.groups["checkout › pay"].count == 8
    assert summary.groups["checkout"].high == pytest.approx(20.0, rel=1e-3)


def test_each_second_shows_what_happened_in_it() -> None:
    first, second = scenario_run().snapshots

    assert first.checks["status is 201"].passes == 18
    assert second.metrics["orders"].count == 20.0
    assert second.groups["checkout"].per_second == 20.0


def test_result_json_has_passes_fails_and_a_counters_count_by_name() -> None:
    document = json.loads(json.dumps(scenario_run().to_dict()))
    summary = document["final_summary"]

    assert summary["checks"]["status is 201"]["passes"] == 36
    assert summary["checks"]["status is 201"]["fails"] == 4
    assert summary["metrics"]["orders"] == {"type": "counter", "count": 40.0, "per_second": 20.0}
    assert set(document["group_histograms"]) == {"checkout", "checkout › pay"}
    assert set(document["trend_histograms"]) == {"cart_ms"}


def test_the_result_round_trips_through_json() -> None:
    result = scenario_run()
    again = TestResult.from_dict(json.loads(json.dumps(result.to_dict())))

    assert again.final_summary == result.final_summary
    assert again.snapshots == result.snapshots
    assert again.group_histograms == result.group_histograms
    assert again.trend_histograms == result.trend_histograms


def test_a_run_without_the_features_writes_none_of_their_keys() -> None:
    document = normal_run().to_dict()
    summary = document["final_summary"]

    assert isinstance(summary, dict)
    assert not {"checks", "metrics", "groups"} & set(summary)
    assert not {"group_histograms", "trend_histograms"} & set(document)


def _interval() -> IntervalStats:
    collector = MetricsCollector()
    collector.record("Home", "GET", 200, 1000, 10, None)
    collector.record_check("ok", "Home", False, "KeyError")
    collector.add_counter("orders", 2.5)
    collector.set_gauge("depth", 7)
    collector.add_rate("hit", True)
    collector.record_trend("cart_ms", 1500)
    collector.record_group("checkout", 3000)
    return collector.take_interval()


def test_an_interval_crosses_processes_whole() -> None:
    interval = _interval()
    for again in (
        IntervalStats.from_bytes(interval.to_bytes()),
        IntervalDecoder().decode(IntervalEncoder().encode(WorkerInterval(0, 1, 1, interval))).stats,
    ):
        scenario = again.scenario
        assert scenario.checks["ok"].errors_by_type == {"KeyError": 1}
        assert scenario.counters == {"orders": 2.5}
        assert scenario.gauges["depth"].value == 7
        assert (scenario.rate_trues, scenario.rate_totals) == ({"hit": 1}, {"hit": 1})
        assert scenario.trends["cart_ms"].count == 1
        assert scenario.groups["checkout"].max_ms == pytest.approx(3.0, abs=0.01)


def test_an_interval_without_the_features_sends_no_scenario_field() -> None:
    collector = MetricsCollector()
    collector.record("Home", "GET", 200, 1000, 10, None)

    assert b"scenario" not in collector.take_interval().to_bytes()


def test_a_gauge_keeps_the_value_set_last_whichever_worker_set_it() -> None:
    early = GaugeReading(5.0, at=100.0, low=1.0, high=5.0)
    late = GaugeReading(2.0, at=200.0, low=2.0, high=9.0)
    early.merge(late)
    late_first = GaugeReading(2.0, at=200.0, low=2.0, high=9.0)
    late_first.merge(GaugeReading(5.0, at=100.0, low=1.0, high=5.0))

    for merged in (early, late_first):
        assert (merged.value, merged.low, merged.high) == (2.0, 1.0, 9.0)
