"""What a threshold's outcome says: a figure judged against its limit, or a failure and its reason.

Shared by the request thresholds (`evaluate`) and those on what the scenario
measured itself (`scenario`), so every outcome reads the same.
"""

from __future__ import annotations

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.thresholds.model import Threshold, ThresholdOutcome, format_limit, format_value


def judged(threshold: Threshold, actual: float) -> ThresholdOutcome:
    """The outcome of `actual` against the threshold's limit, both in the metric's unit."""
    passed = threshold.operator.holds(actual, threshold.limit)
    kind = threshold.metric.kind
    verdict = "passed" if passed else "failed"
    message = (
        f"{verdict}: {threshold.metric.name} was {format_value(kind, actual)},"
        f" limit {threshold.operator.value}{format_limit(threshold)}"
    )
    return ThresholdOutcome(threshold.expression, threshold.source, passed, actual, message)


def failed(threshold: Threshold, reason: str) -> ThresholdOutcome:
    """A failed outcome with nothing measured, and why."""
    return ThresholdOutcome(
        threshold.expression, threshold.source, False, None, f"failed: {reason}"
    )


def latency_figure(histogram: LatencyHistogram, name: str, percentile: float | None) -> float:
    """The latency figure a threshold names (pN, min, max or avg), in ms, from a histogram."""
    if percentile is not None:
        return histogram.percentile_ms(percentile)
    if name == "min":
        return histogram.min_ms
    if name == "max":
        return histogram.max_ms
    return histogram.mean_ms
