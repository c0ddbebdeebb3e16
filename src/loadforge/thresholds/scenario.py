"""Checking thresholds on what the scenario measured itself: checks, custom metrics, groups.

`checks>99%` reads the share of every check passed, `"status is 200":
checks>99.9%` one check's; `orders>1000` a custom counter's total;
`"checkout": p95<1s` a group's durations and `cart_ms: p95<200ms` a custom
trend's values, both from whole-run HDR histograms, so exact. A request
timing takes them the same way, for the whole run (`ttfb: p95<100ms`) or
one endpoint (`"ttfb{List Items}": p95<100ms`, from `timing_histograms`).
A name the run never measured fails the threshold and says which names it
did see.
"""

from __future__ import annotations

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import TestResult
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.metrics.timings import TIMING_NAMES, split_timing_key
from loadforge.thresholds.judging import failed, judged, latency_figure
from loadforge.thresholds.model import (
    MetricKind,
    Threshold,
    ThresholdOutcome,
)


def recorded_kinds(result: TestResult) -> dict[str, CustomKind]:
    """The custom metrics a result recorded, by name: the names a threshold on it may use."""
    return {name: figures.kind for name, figures in result.final_summary.scenario.metrics.items()}


def scenario_outcome(threshold: Threshold, result: TestResult) -> ThresholdOutcome | None:
    """The outcome of a threshold on scenario figures, or None when it is about requests."""
    metric = threshold.metric
    figures = result.final_summary.scenario
    if metric.name == "checks":
        return _checks(threshold, result)
    if metric.custom:
        custom = figures.metrics.get(metric.name)
        if custom is None:
            return failed(threshold, f"custom metric {metric.name!r} was never recorded")
        value = {
            CustomKind.COUNTER: custom.count,
            CustomKind.GAUGE: custom.value,
            CustomKind.RATE: custom.ratio,
        }.get(custom.kind)
        if value is None:
            return failed(threshold, f"{metric.name!r} is a {custom.kind.value}")
        if custom.kind is CustomKind.RATE and custom.count == 0:
            return failed(threshold, f"rate {metric.name!r} counted no values")
        return judged(threshold, value)
    name = threshold.endpoint
    if name is None or name in result.final_summary.endpoints:
        return None
    timing = split_timing_key(name)
    if timing is not None:
        return _endpoint_timing(threshold, result, *timing)
    encoded = result.group_histograms.get(name)
    what = "group"
    if encoded is None:
        encoded, what = result.trend_histograms.get(name), "trend"
    if encoded is None and name in TIMING_NAMES:
        return failed(threshold, f"no request recorded the timing {name!r}")
    if encoded is None:
        return None
    if metric.kind is not MetricKind.LATENCY:
        return failed(threshold, f"{name!r} is a {what}; its thresholds are pN, avg, min or max")
    histogram = LatencyHistogram.decode(encoded)
    if histogram.count == 0:
        return failed(threshold, f"{what} {name!r} recorded no values")
    return judged(threshold, latency_figure(histogram, metric.name, metric.percentile))


def _endpoint_timing(
    threshold: Threshold, result: TestResult, timing: str, endpoint: str
) -> ThresholdOutcome:
    """A threshold on one endpoint's timing, `ttfb{List Items}`."""
    if endpoint not in result.final_summary.endpoints:
        seen = ", ".join(sorted(result.final_summary.endpoints)) or "none"
        return failed(
            threshold, f"endpoint {endpoint!r} never appeared in the run (endpoints seen: {seen})"
        )
    encoded = result.timing_histograms.get(endpoint, {}).get(timing)
    histogram = LatencyHistogram() if encoded is None else LatencyHistogram.decode(encoded)
    if histogram.count == 0:
        return failed(threshold, f"endpoint {endpoint!r} recorded no {timing} time")
    metric = threshold.metric
    return judged(threshold, latency_figure(histogram, metric.name, metric.percentile))


def _checks(threshold: Threshold, result: TestResult) -> ThresholdOutcome:
    checks = result.final_summary.scenario.checks
    if threshold.endpoint is None:
        passes = sum(check.passes for check in checks.values())
        total = passes + sum(check.fails for check in checks.values())
        if total == 0:
            return failed(threshold, "no checks ran, so their pass rate cannot be checked")
        return judged(threshold, passes / total)
    check = checks.get(threshold.endpoint)
    if check is None:
        seen = ", ".join(repr(name) for name in sorted(checks)) or "none"
        return failed(threshold, f"check {threshold.endpoint!r} never ran (checks seen: {seen})")
    return judged(threshold, check.pass_rate)
