"""Checking thresholds against a finished run's final summary.

Latency metrics come from the whole-run HDR histograms stored in the result,
so any percentile is exact, not an average of per-second percentiles. A
threshold on an endpoint that never appeared fails (it never passes
silently), and so does a latency, rate or throughput threshold on a run that
measured no request at all. Thresholds on checks, custom metrics and groups
are checked in `loadforge.thresholds.scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import TestResult
from loadforge.metrics.per_scenario import ScenarioMetrics, scenario_latency
from loadforge.thresholds.judging import failed, judged, latency_figure
from loadforge.thresholds.model import (
    MetricKind,
    Threshold,
    ThresholdOutcome,
)
from loadforge.thresholds.scenario import scenario_outcome


def evaluate_thresholds(
    thresholds: Sequence[Threshold], result: TestResult
) -> tuple[ThresholdOutcome, ...]:
    """The outcome of every threshold, in order."""
    return tuple(evaluate_threshold(threshold, result) for threshold in thresholds)


def evaluate_threshold(threshold: Threshold, result: TestResult) -> ThresholdOutcome:
    """Check one threshold; ResultFormatError when a stored histogram is corrupt."""
    scenario = scenario_outcome(threshold, result)
    if scenario is not None:
        return scenario
    summary = result.final_summary
    name = threshold.endpoint
    ran = next((each for each in result.scenarios if each.name == name), None)
    if ran is not None and name not in summary.endpoints:
        return _scenario_outcome(threshold, result, ran)
    if name is not None and name not in summary.endpoints:
        seen = ", ".join(sorted(summary.endpoints)) or "none"
        return failed(
            threshold, f"endpoint {name!r} never appeared in the run (endpoints seen: {seen})"
        )
    requests = summary.requests if name is None else summary.endpoints[name].requests
    if requests == 0 and threshold.metric.name not in _COUNTED_WITHOUT_REQUESTS:
        return failed(
            threshold, f"no requests were measured, so {threshold.metric.name} cannot be checked"
        )
    return judged(threshold, _measure(threshold, result))


_COUNTED_WITHOUT_REQUESTS = frozenset({"requests", "errors", "task_errors", "task_error_rate"})


def _scenario_outcome(
    threshold: Threshold, result: TestResult, ran: ScenarioMetrics
) -> ThresholdOutcome:
    """A threshold on one scenario of a run of several: its endpoints' figures together."""
    metric = threshold.metric
    if ran.requests == 0 and metric.name not in _COUNTED_WITHOUT_REQUESTS:
        return failed(threshold, f"scenario {ran.name!r} sent no requests")
    if metric.kind is MetricKind.LATENCY:
        histogram = scenario_latency(result.endpoint_histograms, ran.name)
        return judged(threshold, latency_figure(histogram, metric.name, metric.percentile))
    figures = {
        "rps": ran.rps,
        "error_rate": ran.error_rate,
        "errors": float(ran.errors),
        "requests": float(ran.requests),
    }
    if metric.name not in figures:
        return failed(threshold, f"{metric.name} is the run's, not scenario {ran.name!r}'s")
    return judged(threshold, figures[metric.name])


def _measure(threshold: Threshold, result: TestResult) -> float:
    metric = threshold.metric
    summary = result.final_summary
    endpoint = None if threshold.endpoint is None else summary.endpoints[threshold.endpoint]
    if metric.kind is MetricKind.LATENCY:
        histogram = LatencyHistogram.decode(
            result.latency_histogram
            if threshold.endpoint is None
            else result.endpoint_histograms.get(threshold.endpoint, "")
        )
        return latency_figure(histogram, metric.name, metric.percentile)
    if metric.name == "rps":
        return summary.rps if endpoint is None else endpoint.rps
    if metric.name == "error_rate":
        return summary.error_rate if endpoint is None else endpoint.error_rate
    if metric.name == "task_errors":
        return float(summary.task_errors)
    if metric.name == "task_error_rate":
        return summary.task_error_rate
    if metric.name == "errors":
        return float(summary.errors if endpoint is None else endpoint.errors)
    return float(summary.requests if endpoint is None else endpoint.requests)
