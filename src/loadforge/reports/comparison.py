"""Comparing two runs: per-endpoint changes, a verdict per row, and overlay chart data.

Pure functions of two TestResults. A row's verdict weighs only the judged
figures (`Figure`; by default p95, requests per second and the error rate):
"worse" when a judged latency percentile rose, or the throughput fell, by
more than the tolerance, or the error rate rose by more than one percentage
point; "better" when any of them moved the other way by as much;
"unchanged" otherwise. A row with fewer than `min_requests` requests in
either run is "too few requests to judge": a handful of requests says
nothing about a percentile.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from loadforge.errors import ConfigError
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, TestResult
from loadforge.reports.chart_data import LatencyDistribution, latency_distribution

OVERALL = "All requests"
DEFAULT_TOLERANCE = 0.05
DEFAULT_MIN_REQUESTS = 100
ERROR_RATE_STEP = 0.01  # one percentage point


class Figure(enum.Enum):
    """A figure a comparison may judge rows by; its value is its name on the command line."""

    P50 = "p50"
    P95 = "p95"
    P99 = "p99"
    RPS = "rps"
    ERROR_RATE = "error_rate"

    @property
    def is_latency(self) -> bool:
        """Whether it is a latency percentile (worse when it rises)."""
        return self in LATENCY_FIGURES

    @classmethod
    def parse_all(cls, texts: Iterable[str], *, where: str = "--judge") -> frozenset[Figure]:
        """Figures by name (`p95`, `rps`, or comma-separated); ConfigError otherwise."""
        figures = set()
        for text in texts:
            for name in filter(None, (part.strip() for part in text.split(","))):
                try:
                    figures.add(cls(name.lower()))
                except ValueError:
                    known = ", ".join(f.value for f in cls)
                    raise ConfigError(f"{where}: unknown figure {name!r}; use {known}.") from None
        if not figures:
            raise ConfigError(f"{where} needs at least one figure to judge.")
        return frozenset(figures)


LATENCY_FIGURES = (Figure.P50, Figure.P95, Figure.P99)
DEFAULT_JUDGED = frozenset({Figure.P95, Figure.RPS, Figure.ERROR_RATE})


def judged_names(judged: Collection[Figure]) -> list[str]:
    """The judged figures' names, in the order of `Figure`."""
    return [figure.value for figure in Figure if figure in judged]


class Verdict(enum.Enum):
    """How a row of the comparison moved."""

    BETTER = "better"
    WORSE = "worse"
    UNCHANGED = "unchanged"
    NEW = "new"
    REMOVED = "removed"
    TOO_FEW = "too few requests to judge"


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
    requests: Change = Change(None, None)

    def change(self, figure: Figure) -> Change:
        """The change of one figure."""
        return {
            Figure.P50: self.p50,
            Figure.P95: self.p95,
            Figure.P99: self.p99,
            Figure.RPS: self.rps,
            Figure.ERROR_RATE: self.error_rate,
        }[figure]

    def latency_regressions(
        self, limit: float, judged: Collection[Figure]
    ) -> tuple[tuple[Figure, Change], ...]:
        """The judged percentiles that rose by more than `limit`; none for a row not judged."""
        if self.verdict is Verdict.TOO_FEW:
            return ()
        return tuple(
            (figure, change)
            for figure in LATENCY_FIGURES
            if figure in judged
            and (relative := (change := self.change(figure)).relative) is not None
            and relative > limit
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two runs side by side: the overall row first, then endpoints by name."""

    baseline: str
    candidate: str
    tolerance: float
    rows: tuple[ComparisonRow, ...]
    judged: frozenset[Figure] = DEFAULT_JUDGED
    min_requests: int = DEFAULT_MIN_REQUESTS

    def regressions(self, limit: float) -> tuple[ComparisonRow, ...]:
        """Judged rows whose judged latency percentiles (p95 by default) rose more than `limit`."""
        return tuple(row for row in self.rows if row.latency_regressions(limit, self.judged))

    @property
    def too_few(self) -> tuple[ComparisonRow, ...]:
        """The rows with too few requests to judge."""
        return tuple(row for row in self.rows if row.verdict is Verdict.TOO_FEW)

    def describe(self) -> str:
        """What the verdicts weighed, in one sentence for the terminal and the page."""
        names = judged_names(self.judged)
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        limits = [f"{self.tolerance * 100:g} %"] if self.judged - {Figure.ERROR_RATE} else []
        if Figure.ERROR_RATE in self.judged:
            limits.append("1 percentage point of error rate")
        text = f"Judged by {listed} (a change counts beyond {', or '.join(limits)})"
        if self.min_requests:
            text += (
                f"; rows with fewer than {self.min_requests:,}"
                f" request{'s' if self.min_requests != 1 else ''} in either run are"
                " too few requests to judge"
            )
        return text + "."


def _figures(
    source: EndpointMetrics | MetricSnapshot | None,
) -> tuple[float | None, ...]:
    if source is None:
        return (None, None, None, None, None, None)
    return (
        source.rps,
        source.latency_p50,
        source.latency_p95,
        source.latency_p99,
        source.error_rate,
        source.requests,
    )


def verdict_of(
    rps: Change,
    p95: Change,
    error_rate: Change,
    tolerance: float,
    *,
    p50: Change | None = None,
    p99: Change | None = None,
    judged: Collection[Figure] = DEFAULT_JUDGED,
) -> Verdict:
    """The verdict of one row from the changes of its judged figures."""
    if rps.baseline is None:
        return Verdict.NEW
    if rps.candidate is None:
        return Verdict.REMOVED
    # Each judged figure's move, signed so that a positive one is worse.
    moves: list[tuple[float, float]] = []
    for figure, change in ((Figure.P50, p50), (Figure.P95, p95), (Figure.P99, p99)):
        if figure in judged and change is not None and change.relative is not None:
            moves.append((change.relative, tolerance))
    if Figure.RPS in judged and (throughput := rps.relative) is not None:
        moves.append((-throughput, tolerance))
    if Figure.ERROR_RATE in judged:
        moves.append(
            ((error_rate.candidate or 0.0) - (error_rate.baseline or 0.0), ERROR_RATE_STEP)
        )
    if any(move > limit for move, limit in moves):
        return Verdict.WORSE
    if any(move < -limit for move, limit in moves):
        return Verdict.BETTER
    return Verdict.UNCHANGED


def _row(
    name: str,
    before: EndpointMetrics | MetricSnapshot | None,
    after: EndpointMetrics | MetricSnapshot | None,
    tolerance: float,
    judged: Collection[Figure],
    min_requests: int,
) -> ComparisonRow:
    old, new = _figures(before), _figures(after)
    changes = [Change(a, b) for a, b in zip(old, new, strict=True)]
    rps, p50, p95, p99, error_rate, requests = changes
    if (
        requests.baseline is not None
        and requests.candidate is not None
        and min(requests.baseline, requests.candidate) < min_requests
    ):
        verdict = Verdict.TOO_FEW
    else:
        verdict = verdict_of(rps, p95, error_rate, tolerance, p50=p50, p99=p99, judged=judged)
    return ComparisonRow(name, rps, p50, p95, p99, error_rate, verdict, requests)


def compare_results(
    baseline: TestResult,
    candidate: TestResult,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    labels: tuple[str, str] = ("baseline", "candidate"),
    judged: Collection[Figure] = DEFAULT_JUDGED,
    min_requests: int = DEFAULT_MIN_REQUESTS,
) -> Comparison:
    """Compare the whole run and every endpoint that appears in either run.

    Rows with fewer than `min_requests` requests in either run are too few to judge.
    """
    before, after = baseline.final_summary, candidate.final_summary
    figures = frozenset(judged)
    rows = [_row(OVERALL, before, after, tolerance, figures, min_requests)]
    for name in sorted(set(before.endpoints) | set(after.endpoints)):
        rows.append(
            _row(
                name,
                before.endpoints.get(name),
                after.endpoints.get(name),
                tolerance,
                figures,
                min_requests,
            )
        )
    return Comparison(labels[0], labels[1], tolerance, tuple(rows), figures, min_requests)


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
