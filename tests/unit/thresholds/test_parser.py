"""Threshold expressions: metrics, operators, units, endpoints, and clear errors."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError, ScenarioError
from loadforge.metrics import custom
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.thresholds import MetricKind, Operator, parse_metric, parse_threshold


@pytest.mark.parametrize(
    ("text", "metric", "operator", "limit"),
    [
        ("p95<300ms", "p95", Operator.LT, 300.0),
        ("p95<300", "p95", Operator.LT, 300.0),
        ("p99<1s", "p99", Operator.LT, 1000.0),
        ("p99.9<2s", "p99.9", Operator.LT, 2000.0),
        ("p50 <= 250us", "p50", Operator.LE, 0.25),
        ("p50<=250µs", "p50", Operator.LE, 0.25),
        ("max<1m", "max", Operator.LT, 60_000.0),
        ("avg < 12.5ms", "avg", Operator.LT, 12.5),
        ("min>=0.1ms", "min", Operator.GE, 0.1),
        ("rps>500", "rps", Operator.GT, 500.0),
        ("rps>=500/s", "rps", Operator.GE, 500.0),
        ("error_rate<1%", "error_rate", Operator.LT, 0.01),
        ("error_rate<=0.05", "error_rate", Operator.LE, 0.05),
        ("requests>1000", "requests", Operator.GT, 1000.0),
        ("errors<=3", "errors", Operator.LE, 3.0),
        ("task_errors<1", "task_errors", Operator.LT, 1.0),
        ("task_error_rate<0.5%", "task_error_rate", Operator.LT, 0.005),
        ("P95<1E3", "p95", Operator.LT, 1000.0),
    ],
)
def test_valid_expressions(text: str, metric: str, operator: Operator, limit: float) -> None:
    threshold = parse_threshold(text)
    assert threshold.metric.name == metric
    assert threshold.operator is operator
    assert threshold.limit == pytest.approx(limit)
    assert threshold.endpoint is None
    assert threshold.expression == " ".join(text.split())


def test_percentiles_carry_their_number() -> None:
    assert parse_metric("p99.9").percentile == 99.9
    assert parse_metric("p100").percentile == 100.0
    assert parse_metric("avg").percentile is None
    assert parse_metric("error_rate").kind is MetricKind.RATE


@pytest.mark.parametrize(
    ("text", "endpoint"),
    [
        ('"List Items": p99<500ms', "List Items"),
        ("'List Items':p99<500ms", "List Items"),
        ("List Items: p99<500ms", "List Items"),
        ('"GET http://x:8080/a": p99<500ms', "GET http://x:8080/a"),
        ("GET http://x:8080/a: p99<500ms", "GET http://x:8080/a"),
    ],
)
def test_endpoint_thresholds(text: str, endpoint: str) -> None:
    threshold = parse_threshold(text)
    assert threshold.endpoint == endpoint
    assert threshold.metric.name == "p99"
    assert threshold.limit == 500.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("p95", "is not a threshold"),
        ("p95 = 300ms", "is not a threshold"),
        ("latency<300ms", "unknown metric 'latency'"),
        ("p0<1ms", "above p0"),
        ("p101<1ms", "at most p100"),
        ("p95<300kg", "uses unit 'kg'"),
        ("p95<5%", "uses unit '%'"),
        ("error_rate<5ms", "uses unit 'ms'"),
        ("error_rate<5", "fraction between 0 and 1"),
        ("requests>10s", "plain count"),
        ("rps>-5", "negative limit"),
        ('"List Items" p99<1s', "followed by a colon"),
        ('"": p99<1s', "followed by a colon"),
        (": p99<1s", "no endpoint name"),
        ('"List Items": task_errors<1', "belong to no endpoint"),
        ("task_error_rate<5", "task_error_rate is a fraction between 0 and 1"),
    ],
)
def test_invalid_expressions_are_config_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match="--threshold") as caught:
        parse_threshold(text)
    assert message in str(caught.value)


def test_unknown_metric_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_threshold("p95ms<3")
    assert "error_rate" in str(caught.value)
    assert "p99.9" in str(caught.value)


def test_operators_compare_as_written() -> None:
    assert Operator.LT.holds(1, 2)
    assert not Operator.LT.holds(2, 2)
    assert Operator.LE.holds(2, 2)
    assert not Operator.LE.holds(3, 2)
    assert Operator.GT.holds(3, 2)
    assert not Operator.GT.holds(2, 2)
    assert Operator.GE.holds(2, 2)
    assert not Operator.GE.holds(1, 2)


@pytest.fixture
def nothing_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """No scenario declared a custom metric in this process (as in `report` and the server)."""
    monkeypatch.setattr(custom, "_declared", {})


@pytest.mark.usefixtures("nothing_declared")
def test_an_undeclared_custom_metric_is_unknown_by_default() -> None:
    with pytest.raises(ConfigError, match="unknown metric 'orders'"):
        parse_threshold("orders>1000")


@pytest.mark.usefixtures("nothing_declared")
@pytest.mark.parametrize(
    ("text", "kind", "limit"),
    [
        ("orders>1000", MetricKind.COUNT, 1000.0),
        ("depth<=3", MetricKind.COUNT, 3.0),
        ("paid>=50%", MetricKind.RATE, 0.5),
    ],
)
def test_custom_kinds_name_the_custom_metrics(text: str, kind: MetricKind, limit: float) -> None:
    kinds = {"orders": CustomKind.COUNTER, "depth": CustomKind.GAUGE, "paid": CustomKind.RATE}
    threshold = parse_threshold(text, custom_kinds=kinds)

    assert threshold.metric.custom
    assert (threshold.metric.kind, threshold.limit) == (kind, limit)


@pytest.mark.usefixtures("nothing_declared")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cart_ms<200ms", "'cart_ms' is a trend; name a percentile of it"),
        ("orders>5%", "orders takes a plain count"),
        ("paid>2", "paid is a fraction between 0 and 1"),
        ("nope>1", "unknown metric 'nope'"),
    ],
)
def test_custom_kinds_hold_a_threshold_to_its_metrics_kind(text: str, message: str) -> None:
    kinds = {"orders": CustomKind.COUNTER, "paid": CustomKind.RATE, "cart_ms": CustomKind.TREND}
    with pytest.raises(ConfigError, match=message):
        parse_threshold(text, custom_kinds=kinds)


@pytest.mark.usefixtures("nothing_declared")
@pytest.mark.parametrize(
    ("text", "kind", "limit"),
    [
        ("orders>1000", MetricKind.COUNT, 1000.0),
        ("paid>=50%", MetricKind.RATE, 0.5),
        ("p95<300ms", MetricKind.LATENCY, 300.0),
        ("error_rate<1%", MetricKind.RATE, 0.01),
    ],
)
def test_undeclared_names_are_custom_metrics_of_the_kind_their_limit_fits(
    text: str, kind: MetricKind, limit: float
) -> None:
    threshold = parse_threshold(text, undeclared=True)

    assert threshold.metric.custom is (threshold.metric.name in {"orders", "paid"})
    assert (threshold.metric.kind, threshold.limit) == (kind, limit)


@pytest.mark.usefixtures("nothing_declared")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("orders<3ms", "orders takes a plain count"),
        ("paid>150%", "paid is a fraction between 0 and 1"),
        ("orders>>3", "is not a threshold"),
        ("p0<3ms", "must be above p0"),
    ],
)
def test_undeclared_names_still_follow_the_grammar(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_threshold(text, undeclared=True)


def test_a_declared_kind_wins_over_the_kind_a_limit_fits(nothing_declared: None) -> None:
    custom_kinds = {"paid": CustomKind.RATE}
    threshold = parse_threshold("paid>0.9", custom_kinds=custom_kinds, undeclared=True)
    assert threshold.metric.kind is MetricKind.RATE


@pytest.mark.parametrize("name", custom.TIMING_NAMES)
def test_request_timings_take_latency_thresholds_by_name(name: str) -> None:
    threshold = parse_threshold(f"{name}: p95<100ms", custom_kinds={})
    assert threshold.endpoint == name
    assert threshold.metric.kind is MetricKind.LATENCY
    assert threshold.metric.percentile == 95
    assert threshold.limit == 100


@pytest.mark.parametrize("name", custom.TIMING_NAMES)
def test_request_timing_names_cannot_be_declared_as_custom_metrics(name: str) -> None:
    with pytest.raises(ScenarioError, match="built-in metric name"):
        custom.trend(name)
