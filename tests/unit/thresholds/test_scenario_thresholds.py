"""Thresholds on checks, custom metrics, groups and trends, checked against a finished run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loadforge.errors import ConfigError
from loadforge.metrics import custom
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import TestResult
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.thresholds import evaluate_threshold, parse_threshold, recorded_kinds
from loadforge.thresholds.parser import response_timing
from sample_runs import normal_run, scenario_run


@pytest.fixture(autouse=True)
def declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The metrics `scenario_run` records, declared as its scenario file would."""
    monkeypatch.setattr(
        custom,
        "_declared",
        {
            "orders": CustomKind.COUNTER,
            "paid": CustomKind.RATE,
            "depth": CustomKind.GAUGE,
            "cart_ms": CustomKind.TREND,
            "never": CustomKind.COUNTER,
        },
    )


@pytest.mark.parametrize(
    ("expression", "passed", "actual"),
    [
        ("checks>89%", True, 0.9),
        ("checks>99%", False, 0.9),
        ('"status is 201": checks>=90%', True, 0.9),
        ("orders>39", True, 40.0),
        ("orders>1000", False, 40.0),
        ("paid>=50%", True, 0.5),
        ("depth<1", False, 1.0),
        ('"checkout": max<21ms', True, None),
        ('"checkout › pay": p95<0.5ms', False, None),
        ("cart_ms: p50<=5.01ms", True, None),
    ],
)
def test_a_scenario_threshold_reads_its_figure(
    expression: str, passed: bool, actual: float | None
) -> None:
    outcome = evaluate_threshold(parse_threshold(expression), scenario_run())

    assert outcome.passed is passed, outcome.message
    assert outcome.actual is not None
    if actual is not None:
        assert outcome.actual == pytest.approx(actual)


@pytest.mark.parametrize(
    ("expression", "run", "message"),
    [
        ('"status is 200": checks>99.9%', scenario_run, "check 'status is 200' never ran"),
        ('"status is 200": checks>99.9%', scenario_run, "checks seen: 'status is 201'"),
        ("checks>99%", normal_run, "no checks ran"),
        ("never>1", scenario_run, "'never' was never recorded"),
        ('"checkout": rps>1', scenario_run, "is a group"),
    ],
)
def test_a_name_the_run_never_measured_fails_and_says_so(
    expression: str, run: object, message: str
) -> None:
    assert callable(run)
    outcome = evaluate_threshold(parse_threshold(expression), run())

    assert not outcome.passed
    assert outcome.actual is None
    assert message in outcome.message


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("undeclared>1", "unknown metric 'undeclared'"),
        ("cart_ms<200ms", "is a trend; name a percentile"),
        ("checks>120%", "checks is a fraction"),
        ("paid>2", "paid is a fraction"),
    ],
)
def test_a_bad_scenario_threshold_is_a_config_error(expression: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_threshold(expression)


def test_recorded_kinds_are_the_custom_metrics_a_result_holds() -> None:
    assert recorded_kinds(scenario_run()) == {
        "orders": CustomKind.COUNTER,
        "paid": CustomKind.RATE,
        "depth": CustomKind.GAUGE,
        "cart_ms": CustomKind.TREND,
    }
    assert recorded_kinds(normal_run()) == {}


def test_a_stored_result_judges_its_custom_metrics_with_nothing_declared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(custom, "_declared", {})  # as in `loadforge report`
    result = scenario_run()
    kinds = recorded_kinds(result)

    outcomes = [
        evaluate_threshold(parse_threshold(text, custom_kinds=kinds), result)
        for text in ("orders>39", "paid>=60%", "depth<=1")
    ]

    assert [outcome.passed for outcome in outcomes] == [True, False, True]
    assert [outcome.actual for outcome in outcomes] == [40.0, 0.5, 1.0]


def _with_ttfb(waits_us: list[int]) -> TestResult:
    histogram = LatencyHistogram()
    for wait in waits_us:
        histogram.record(wait)
    return replace(normal_run(), timing_histograms={"List Items": {"ttfb": histogram.encode()}})


@pytest.mark.parametrize(
    ("expression", "passed"),
    [
        ('"ttfb{List Items}": p95<100ms', True),
        ('"ttfb{List Items}": p50>=40ms', True),
        ("ttfb{List Items}: max<45ms", False),
    ],
)
def test_a_threshold_reads_one_endpoint_s_timing(expression: str, passed: bool) -> None:
    outcome = evaluate_threshold(parse_threshold(expression), _with_ttfb([40_000, 50_000]))

    assert outcome.passed is passed, outcome.message
    assert outcome.actual is not None


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"receiving{List Items}": p95<1s', "endpoint 'List Items' recorded no receiving time"),
        ('"ttfb{Nowhere}": p95<1s', "endpoint 'Nowhere' never appeared"),
        ("tls: p95<1s", "no request recorded the timing 'tls'"),
    ],
)
def test_a_timing_never_recorded_fails_its_threshold(expression: str, message: str) -> None:
    outcome = evaluate_threshold(parse_threshold(expression), _with_ttfb([40_000]))

    assert not outcome.passed
    assert outcome.actual is None
    assert message in outcome.message


def test_a_timing_takes_only_latency_thresholds() -> None:
    with pytest.raises(ConfigError, match=r"ttfb\{List Items\} is a request timing"):
        parse_threshold('"ttfb{List Items}": requests>1')
    with pytest.raises(ConfigError, match="dns is a request timing"):
        parse_threshold("dns: errors<1")


def test_only_response_timings_need_recorded_timings() -> None:
    timings = [
        response_timing(parse_threshold(text))
        for text in ("ttfb: p95<1s", '"receiving{A}": p99<1s', "connecting: max<1s", "p95<1s")
    ]
    assert timings == ["ttfb", "receiving", None, None]
