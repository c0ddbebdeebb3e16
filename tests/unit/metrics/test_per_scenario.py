"""A run of several scenarios, figure by figure for each: its endpoints' figures added up."""

from __future__ import annotations

import dataclasses
import json

import pytest

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import EndpointMetrics, TestResult
from loadforge.metrics.per_scenario import ScenarioShare, scenario_metrics, scenario_of
from sample_runs import normal_run


def endpoint(name: str, requests: int, errors: int) -> EndpointMetrics:
    return EndpointMetrics(
        name=name,
        method="GET",
        requests=requests,
        rps=requests / 2,
        latency_p50=0.0,
        latency_p95=0.0,
        latency_p99=0.0,
        latency_avg=0.0,
        latency_max=0.0,
        errors=errors,
        error_rate=errors / requests,
        bytes_received=0,
    )


def histogram(*latencies_us: int) -> str:
    latency = LatencyHistogram()
    for each in latencies_us:
        latency.record(each)
    return latency.encode()


def test_a_scenarios_figures_are_its_endpoints_added_and_their_histograms_merged() -> None:
    endpoints = {
        "Browse › list": endpoint("Browse › list", 4, 1),
        "Browse › checkout › pay": endpoint("Browse › checkout › pay", 2, 0),
        "Buy › list": endpoint("Buy › list", 2, 2),
    }
    histograms = {
        "Browse › list": histogram(1000, 1000, 2000, 3000),
        "Browse › checkout › pay": histogram(9000, 9000),
        "Buy › list": histogram(5000, 5000),
    }
    shares = (ScenarioShare("Browse", 3, None, 6), ScenarioShare("Buy", 1, None, 2))

    browse, buy = scenario_metrics(shares, endpoints, histograms)

    assert (browse.requests, browse.errors, browse.rps, browse.users) == (6, 1, 3.0, 6)
    assert browse.latency_max == pytest.approx(9.0, rel=1e-3)
    assert browse.latency_p50 == pytest.approx(2.0, rel=1e-3)
    assert (buy.requests, buy.errors, buy.error_rate) == (2, 2, 1.0)
    assert buy.latency_p99 == pytest.approx(5.0, rel=1e-3)


def test_a_scenario_that_sent_nothing_has_zeros() -> None:
    (idle,) = scenario_metrics((ScenarioShare("Idle", 0, None, 0),), {}, {})

    assert (idle.requests, idle.error_rate, idle.latency_p95) == (0, 0.0, 0.0)


def test_the_scenario_of_an_endpoint_is_the_part_before_the_first_separator() -> None:
    assert scenario_of("Browse › checkout › pay") == "Browse"
    assert scenario_of("Browse") == "Browse"


def test_scenarios_round_trip_through_result_json_and_are_absent_for_one_scenario() -> None:
    single = normal_run()
    (browse,) = scenario_metrics(
        (ScenarioShare("Browse", 1, 2, 2),), {"Browse › a": endpoint("Browse › a", 1, 0)}, {}
    )
    several = dataclasses.replace(single, scenarios=(browse,))

    assert "scenarios" not in single.to_dict()
    stored = json.loads(json.dumps(several.to_dict()))
    assert stored["scenarios"][0]["fixed_users"] == 2
    assert TestResult.from_dict(stored) == several
