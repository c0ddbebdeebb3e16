"""Declaring custom metrics at module level and recording them into the bound sink."""

from __future__ import annotations

import pytest

from loadforge import metrics
from loadforge.errors import ScenarioError
from loadforge.metrics import custom
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.scenario_figures import CustomKind


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test declares into an empty registry and records into no sink."""
    monkeypatch.setattr(custom, "_declared", {})
    monkeypatch.setattr(custom, "_sink", [custom._DROPPED])


def test_values_go_to_the_bound_collector() -> None:
    orders = metrics.counter("orders")
    depth = metrics.gauge("queue_depth")
    hits = metrics.rate("cache_hit")
    cart = metrics.trend("cart_ms")
    collector = MetricsCollector()
    custom.bind_sink(collector)

    orders.add()
    orders.add(2)
    depth.set(4)
    hits.add(True)
    hits.add(0)
    cart.record(12.5)

    scenario = collector.take_interval().scenario
    assert scenario.counters == {"orders": 3.0}
    assert scenario.gauges["queue_depth"].value == 4.0
    assert (scenario.rate_trues, scenario.rate_totals) == ({"cache_hit": 1}, {"cache_hit": 2})
    assert scenario.trends["cart_ms"].count == 1
    assert custom.declared_kinds() == {
        "orders": CustomKind.COUNTER,
        "queue_depth": CustomKind.GAUGE,
        "cache_hit": CustomKind.RATE,
        "cart_ms": CustomKind.TREND,
    }


def test_values_recorded_outside_a_run_are_dropped() -> None:
    orders = metrics.counter("orders")
    orders.add(1)
    collector = MetricsCollector()
    custom.bind_sink(collector)
    custom.bind_sink(None)
    orders.add(1)

    assert not collector.take_interval().scenario


def test_declaring_again_with_the_same_kind_is_the_same_metric() -> None:
    first = metrics.counter("orders")
    again = metrics.counter("orders")

    assert first.name == again.name == "orders"
    assert repr(again) == "<Counter 'orders'>"


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        (lambda: metrics.counter("requests"), "built-in metric name"),
        (lambda: metrics.trend("p95"), "built-in metric name"),
        (lambda: metrics.rate("checks"), "built-in metric name"),
        (lambda: metrics.gauge("Error_Rate"), "built-in metric name"),
        (lambda: metrics.counter(""), "a metric name is a word"),
        (lambda: metrics.counter("two words"), "a metric name is a word"),
        (lambda: metrics.counter(3), "a metric name is a word"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_name_is_a_scenario_error(declare: object, message: str) -> None:
    assert callable(declare)
    with pytest.raises(ScenarioError, match=message):
        declare()


def test_one_name_is_one_kind() -> None:
    metrics.counter("orders")
    with pytest.raises(ScenarioError, match="already declared as a counter"):
        metrics.trend("orders")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (lambda: metrics.counter("c").add(-1), "only grows"),
        (lambda: metrics.counter("c").add(float("nan")), "finite number"),
        (lambda: metrics.gauge("g").set("3"), "finite number"),  # type: ignore[arg-type]
        (lambda: metrics.trend("t").record(-2), "negative"),
        (lambda: metrics.trend("t").record(True), "finite number"),
    ],
)
def test_a_bad_value_raises_in_the_task(record: object, message: str) -> None:
    assert callable(record)
    with pytest.raises(ValueError, match=message):
        record()
