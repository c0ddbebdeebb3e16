"""Thresholds on one scenario of a run of several: `"Browse": p95<200ms`."""

from __future__ import annotations

import dataclasses

import pytest

from loadforge.errors import ConfigError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import EndpointMetrics, TestResult
from loadforge.metrics.per_scenario import ScenarioShare, scenario_metrics
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import normal_run


def endpoint(name: str, requests: int, errors: int) -> EndpointMetrics:
    return EndpointMetrics(
        name=name,
        method="GET",
        requests=requests,
        rps=float(requests),
        latency_p50=0.0,
        latency_p95=0.0,
        latency_p99=0.0,
        latency_avg=0.0,
        latency_max=0.0,
        errors=errors,
        error_rate=errors / requests if requests else 0.0,
        bytes_received=0,
    )


def shop_run() -> TestResult:
    """Browse: 4 requests of 10 ms and 20 ms, 1 failed; Buy: none."""
    base = normal_run()
    latency = LatencyHistogram()
    for each in (10_000, 10_000, 20_000, 20_000):
        latency.record(each)
    endpoints = {"Browse › list": endpoint("Browse › list", 4, 1)}
    histograms = {"Browse › list": latency.encode()}
    shares = (ScenarioShare("Browse", 1, None, 1), ScenarioShare("Buy", 1, None, 1))
    summary = dataclasses.replace(base.final_summary, endpoints=endpoints)
    return dataclasses.replace(
        base,
        final_summary=summary,
        endpoint_histograms=histograms,
        scenarios=scenario_metrics(shares, endpoints, histograms),
    )


def outcome(text: str) -> tuple[bool, float | None, str]:
    (judged,) = evaluate_thresholds([parse_threshold(text)], shop_run())
    return judged.passed, judged.actual, judged.message


@pytest.mark.parametrize(
    ("text", "passed", "actual"),
    [
        ('"Browse": p95<25ms', True, pytest.approx(20.0, rel=1e-2)),
        ('"Browse": max<15ms', False, pytest.approx(20.0, rel=1e-2)),
        ('"Browse": requests>=4', True, 4.0),
        ('"Browse": error_rate<10%', False, 0.25),
        ('"Browse": rps>1', True, 4.0),
    ],
)
def test_a_scenarios_threshold_judges_its_endpoints_together(
    text: str, passed: bool, actual: object
) -> None:
    judged, value, _ = outcome(text)

    assert (judged, value) == (passed, actual)


def test_a_scenario_that_sent_nothing_fails_its_latency_threshold_with_the_reason() -> None:
    assert outcome('"Buy": p95<1s')[::2] == (False, "failed: scenario 'Buy' sent no requests")
    assert outcome('"Buy": requests<1')[0] is True


def test_a_run_wide_figure_named_for_a_scenario_is_refused_when_parsed() -> None:
    with pytest.raises(ConfigError, match="task_errors counts exceptions raised in tasks"):
        parse_threshold('"Browse": task_errors<1')
