"""Comparing two runs: per-endpoint changes, a verdict per row, and overlay chart data.

Pure functions of two TestResults. A row's verdict is "worse" when its p95
latency rose, or its throughput fell, by more than the tolerance, or its
error rate rose by more than one percentage point; "better" when any of
them moved the other way by as much; "unchanged" otherwise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, TestResult
from loadforge.reports.chart_data import LatencyDistribution, latency_distribution

OVERALL = "All requests"
DEFAULT_TOLERANCE = 0.05
ERROR_RATE_STEP = 0.01  # one percentage point


class Verdict(enum.Enum):
    """How a row of the comparison moved."""

    BETTER = "better"
    WORSE = "worse"
    UNCHANGED = "unchanged"
    NEW = "new"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Change:
    """One figure in both runs; None where a run has no such endpoint."""

    baseline: float | None
    candidate: float | None

    @property
    def relative(self) -> float | None:
        """(candidate − baseline) / baseline; None when it cannot be computed."""
        if self.baseline is None or self.candidate is None:
            return None
        if self.baseline == 0:
            return 0.0 if self.candidate == 0 else None
        return (self.candidate - self.baseline) / self.baseline


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One endpoint (or all requests) in both runs."""

    name: str
    rps: Change
    p50: Change
    p95: Change
    p99: Change
    error_rate: Change
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two runs side by side: the overall row first, then endpoints by name."""

    baseline: str
    candidate: str
    tolerance: float
    rows: tuple[ComparisonRow, ...]

    def regressions(self, limit: float) -> tuple[ComparisonRow, ...]:
        """Rows whose p95 latency got worse by more than `limit` (0.10 = 10 %)."""
        return tuple(
            row for row in self.rows if (change := row.p95.relative) is not None and change > limit
        )


def _figures(
    source: EndpointMetrics | MetricSnapshot | None,
) -> tuple[float | None, float | None, float | None, float | None, float | None]:
    if source is None:
        return (None, None, None, None, None)
    return (
        source.rps,
        source.latency_p50,
        source.latency_p95,
        source.latency_p99,
        source.error_rate,
    )


def verdict_of(rps: Change, p95: Change, error_rate: Change, tolerance: float) -> Verdict:
    """The verdict of one row from its throughput, p95 and error-rate changes."""
    if rps.baseline is None:
        return Verdict.NEW
    if rps.candidate is None:
        return Verdict.REMOVED
    latency = p95.relative
    throughput = rps.relative
    errors = (error_rate.candidate or 0.0) - (error_rate.baseline or 0.0)
    if (
        (latency is not None and latency > tolerance)
        or (throughput is not None and throughput < -tolerance)
        or errors > ERROR_RATE_STEP
    ):
        return Verdict.WORSE
    if (
        (latency is not None and latency < -tolerance)
        or (throughput is not None and throughput > tolerance)
        or errors < -ERROR_RATE_STEP
    ):
        return Verdict.BETTER
    return Verdict.UNCHANGED


def _row(
    name: str,
    before: EndpointMetrics | MetricSnapshot | None,
    after: EndpointMetrics | MetricSnapshot | None,
    tolerance: float,
) -> ComparisonRow:
    old, new = _figures(before), _figures(after)
    changes = [Change(a, b) for a, b in zip(old, new, strict=True)]
    rps, p50, p95, p99, error_rate = changes
    return ComparisonRow(
        name, rps, p50, p95, p99, error_rate, verdict_of(rps, p95, error_rate, tolerance)
    )


def compare_results(
    baseline: TestResult,
    candidate: TestResult,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    labels: tuple[str, str] = ("baseline", "candidate"),
) -> Comparison:
    """Compare the whole run and every endpoint that appears in either run."""
    before, after = baseline.final_summary, candidate.final_summary
    rows = [_row(OVERALL, before, after, tolerance)]
    for name in sorted(set(before.endpoints) | set(after.endpoints)):
        rows.append(_row(name, before.endpoints.get(name), after.endpoints.get(name), tolerance))
    return Comparison(labels[0], labels[1], tolerance, tuple(rows))


@dataclass(frozen=True, slots=True)
class Overlay:
    """One metric over time in both runs, each on its own seconds-since-start axis."""

    baseline_elapsed: tuple[float, ...]
    baseline: tuple[float, ...]
    candidate_elapsed: tuple[float, ...]
    candidate: tuple[float, ...]

    @property
    def is_empty(self) -> bool:
        """True when neither run has a point to draw."""
        return not self.baseline and not self.candidate


def throughput_overlay(baseline: TestResult, candidate: TestResult) -> Overlay:
    """Requests per second of both runs over time."""
    return Overlay(
        tuple(s.elapsed_seconds for s in baseline.snapshots),
        tuple(s.rps for s in baseline.snapshots),
        tuple(s.elapsed_seconds for s in candidate.snapshots),
        tuple(s.rps for s in candidate.snapshots),
    )


def p95_overlay(baseline: TestResult, candidate: TestResult) -> Overlay:
    """p95 latency of both runs over time, seconds without requests left out."""
    old = [s for s in baseline.snapshots if s.requests > 0]
    new = [s for s in candidate.snapshots if s.requests > 0]
    return Overlay(
        tuple(s.elapsed_seconds for s in old),
        tuple(s.latency_p95 for s in old),
        tuple(s.elapsed_seconds for s in new),
        tuple(s.latency_p95 for s in new),
    )


def distribution_overlay(
    baseline: TestResult, candidate: TestResult
) -> tuple[LatencyDistribution, LatencyDistribution]:
    """Both runs' whole-run latency distributions."""
    return (
        latency_distribution(baseline.latency_histogram),
        latency_distribution(candidate.latency_histogram),
    )
