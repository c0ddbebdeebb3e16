"""The numbers behind every chart of a run report, computed from a TestResult.

Pure functions from results to small frozen values, with no plotting
library in sight, so each chart's content is tested directly. `figures`
turns these into plotly figures.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import MetricSnapshot, TestResult

DISTRIBUTION_BINS = 40
HTTP_ERROR_PREFIX = "http_"


@dataclass(frozen=True, slots=True)
class Series:
    """One named line or bar series: y values over the shared x values of its chart."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class DrainSpan:
    """The seconds after the planned end (or a stop) while users finished: start to end."""

    start: float
    end: float


@dataclass(frozen=True, slots=True)
class ThroughputData:
    """Requests per second each second, and the users (or the open model's rate) asked for.

    In the open model `started_rate` is the iterations started each second
    and `target_rate` the iterations per second the pattern asked for; both
    are empty for the closed model, and for results written before they
    were recorded.
    """

    elapsed: tuple[float, ...]
    rps: tuple[float, ...]
    target_users: tuple[float, ...]
    rps_cap: float | None
    open_model: bool = False
    started_rate: tuple[float, ...] = ()
    target_rate: tuple[float, ...] = ()
    drain: DrainSpan | None = None

    @property
    def is_empty(self) -> bool:
        """True when no second had a request."""
        return not any(self.rps)


@dataclass(frozen=True, slots=True)
class LatencyBands:
    """p50, p95 and p99 latency (ms) each second that had requests."""

    elapsed: tuple[float, ...]
    p50: tuple[float, ...]
    p95: tuple[float, ...]
    p99: tuple[float, ...]
    drain: DrainSpan | None = None

    @property
    def is_empty(self) -> bool:
        """True when no second had a request."""
        return not self.elapsed


@dataclass(frozen=True, slots=True)
class CorrectedLatency:
    """The open model's service time against its corrected latency (ms), each second with requests.

    Service time runs from sending a request to its answer; corrected latency
    from the intended start of its iteration, so it includes any wait for a
    free user or a late start.
    """

    elapsed: tuple[float, ...]
    service: tuple[Series, ...]
    corrected: tuple[Series, ...]
    drain: DrainSpan | None = None

    @property
    def is_empty(self) -> bool:
        """True when no second had a request."""
        return not self.elapsed


@dataclass(frozen=True, slots=True)
class LatencyDistribution:
    """The whole run's latencies in log-spaced bins, from its HDR histogram.

    Bin i holds latencies in (lower[i], upper[i]] ms (the first bin starts at,
    and includes, the smallest latency); `percent` is its share
    of all requests. `markers` are the whole-run p50/p95/p99.
    """

    lower: tuple[float, ...]
    upper: tuple[float, ...]
    counts: tuple[int, ...]
    percent: tuple[float, ...]
    markers: tuple[tuple[str, float], ...]

    @property
    def is_empty(self) -> bool:
        """True when the run measured no latency."""
        return not self.counts


@dataclass(frozen=True, slots=True)
class EndpointLatency:
    """p50/p95/p99 (ms) of each endpoint over the whole run, endpoints sorted by name."""

    names: tuple[str, ...]
    p50: tuple[float, ...]
    p95: tuple[float, ...]
    p99: tuple[float, ...]

    @property
    def is_empty(self) -> bool:
        """True when no endpoint was called."""
        return not self.names


@dataclass(frozen=True, slots=True)
class ErrorsOverTime:
    """Errors each second, one series per HTTP status class (4xx, 5xx) or error type."""

    elapsed: tuple[float, ...]
    series: tuple[Series, ...]
    requests: int
    drain: DrainSpan | None = None

    @property
    def is_empty(self) -> bool:
        """True when the run had no error."""
        return not self.series


@dataclass(frozen=True, slots=True)
class ErrorTotal:
    """One row of the errors breakdown: what failed, how often, and its share of requests."""

    kind: str
    count: int
    share_of_requests: float


@dataclass(frozen=True, slots=True)
class UsersOverTime:
    """Active users each second against the users the pattern asked for.

    In the open model `target` is the bound on users (`--max-users`): the
    pattern asks for a rate, and users are created as the rate needs them.
    """

    elapsed: tuple[float, ...]
    active: tuple[float, ...]
    target: tuple[float, ...]
    open_model: bool = False
    drain: DrainSpan | None = None

    @property
    def is_empty(self) -> bool:
        """True when the run has no per-second snapshot."""
        return not self.elapsed


def is_open_model(result: TestResult) -> bool:
    """Whether the run started iterations at a rate (`TestResult.open_model`)."""
    return result.open_model


def interval_seconds(snapshots: list[MetricSnapshot]) -> tuple[float, ...]:
    """How long each snapshot's interval lasted: intervals follow each other from 0."""
    ends = [s.elapsed_seconds for s in snapshots]
    return tuple(end - start for start, end in zip([0.0, *ends], ends, strict=False))


# The least share of the time axis the drain's shading covers, so that a drain
# of a few milliseconds at the end of a long run still shows.
MIN_DRAIN_SHARE = 0.015


def drain_span(snapshots: list[MetricSnapshot]) -> DrainSpan | None:
    """Where the drain lies on a chart's time axis; None for a run without one.

    A snapshot's `elapsed_seconds` is where its interval ends, so the span
    starts where the first drain interval began (the snapshot before it). A
    span narrower than MIN_DRAIN_SHARE of the axis widens leftwards to it.
    """
    ends = [0.0, *(s.elapsed_seconds for s in snapshots)]
    drained = [index for index, s in enumerate(snapshots) if s.drain]
    if not drained:
        return None
    start, end = ends[drained[0]], ends[drained[-1] + 1]
    least = ends[-1] * MIN_DRAIN_SHARE
    return DrainSpan(start if end - start >= least else max(0.0, end - least), end)


def throughput(result: TestResult) -> ThroughputData:
    """Requests per second over time, with the target users (or rate) and any --rps cap."""
    snapshots = result.snapshots
    cap = result.config.get("rps")
    open_model = is_open_model(result)
    started: tuple[float, ...] = ()
    target: tuple[float, ...] = ()
    if open_model and result.final_summary.started_iterations:
        started = tuple(
            s.started_iterations / seconds if seconds > 0 else 0.0
            for s, seconds in zip(snapshots, interval_seconds(snapshots), strict=True)
        )
    if open_model and any(s.target_rate for s in snapshots):
        target = tuple(s.target_rate for s in snapshots)
    return ThroughputData(
        elapsed=_elapsed(snapshots),
        rps=tuple(s.rps for s in snapshots),
        target_users=tuple(float(s.target_users) for s in snapshots),
        rps_cap=float(cap) if isinstance(cap, int | float) and not isinstance(cap, bool) else None,
        open_model=open_model,
        started_rate=started,
        target_rate=target,
        drain=drain_span(snapshots),
    )


def corrected_latency(result: TestResult) -> CorrectedLatency | None:
    """The open model's per-second service and corrected p50/p95/p99; None in the closed model."""
    if not is_open_model(result):
        return None
    measured = [s for s in result.snapshots if s.requests > 0]
    return CorrectedLatency(
        elapsed=_elapsed(measured),
        service=(
            Series("p50", tuple(s.latency_p50 for s in measured)),
            Series("p95", tuple(s.latency_p95 for s in measured)),
            Series("p99", tuple(s.latency_p99 for s in measured)),
        ),
        corrected=(
            Series("corrected p50", tuple(s.latency_corrected_p50 for s in measured)),
            Series("corrected p95", tuple(s.latency_corrected_p95 for s in measured)),
            Series("corrected p99", tuple(s.latency_corrected_p99 for s in measured)),
        ),
        drain=drain_span(result.snapshots),
    )


def latency_bands(result: TestResult) -> LatencyBands:
    """Per-second p50/p95/p99, leaving out seconds without requests (they have no latency)."""
    measured = [s for s in result.snapshots if s.requests > 0]
    return LatencyBands(
        elapsed=_elapsed(measured),
        p50=tuple(s.latency_p50 for s in measured),
        p95=tuple(s.latency_p95 for s in measured),
        p99=tuple(s.latency_p99 for s in measured),
        drain=drain_span(result.snapshots),
    )


def latency_distribution(
    encoded_histogram: str, bins: int = DISTRIBUTION_BINS
) -> LatencyDistribution:
    """Bin a whole-run HDR histogram into at most `bins` log-spaced latency ranges."""
    histogram = LatencyHistogram.decode(encoded_histogram)
    buckets = histogram.distribution_ms()
    if not buckets:
        return LatencyDistribution((), (), (), (), ())
    upper = _log_edges(buckets[0][0], buckets[-1][0], bins)
    counts = [0] * len(upper)
    for value, count in buckets:
        counts[min(bisect.bisect_left(upper, value * (1 - 1e-12)), len(upper) - 1)] += count
    lower = (buckets[0][0], *upper[:-1])
    total = sum(counts)
    p50, p95, p99 = histogram.percentiles_ms((50.0, 95.0, 99.0))
    return LatencyDistribution(
        lower=lower,
        upper=tuple(upper),
        counts=tuple(counts),
        percent=tuple(100.0 * count / total for count in counts),
        markers=(("p50", p50), ("p95", p95), ("p99", p99)),
    )


def _log_edges(lowest: float, highest: float, bins: int) -> list[float]:
    if highest <= lowest or bins < 2:
        return [highest]
    ratio = (highest / lowest) ** (1 / bins)
    return [*(lowest * ratio**step for step in range(1, bins)), highest]


def endpoint_latency(result: TestResult) -> EndpointLatency:
    """Whole-run p50/p95/p99 of each endpoint."""
    endpoints = [
        result.final_summary.endpoints[name] for name in sorted(result.final_summary.endpoints)
    ]
    return EndpointLatency(
        names=tuple(e.name for e in endpoints),
        p50=tuple(e.latency_p50 for e in endpoints),
        p95=tuple(e.latency_p95 for e in endpoints),
        p99=tuple(e.latency_p99 for e in endpoints),
    )


def error_kinds(snapshot: MetricSnapshot) -> dict[str, int]:
    """A snapshot's errors by status class (`5xx`) and by non-HTTP error type (`timeout`).

    HTTP errors appear once, under their class; the counts add up to the
    snapshot's `errors`.
    """
    kinds: dict[str, int] = {}
    for status, count in snapshot.errors_by_status.items():
        label = f"{status // 100}xx"
        kinds[label] = kinds.get(label, 0) + count
    for kind, count in snapshot.errors_by_type.items():
        if not kind.startswith(HTTP_ERROR_PREFIX):
            kinds[kind] = kinds.get(kind, 0) + count
    return kinds


def errors_over_time(result: TestResult) -> ErrorsOverTime:
    """Errors each second, stacked by status class and error type."""
    per_second = [error_kinds(s) for s in result.snapshots]
    names = sorted({name for kinds in per_second for name in kinds})
    return ErrorsOverTime(
        elapsed=_elapsed(result.snapshots),
        series=tuple(
            Series(name, tuple(float(kinds.get(name, 0)) for kinds in per_second)) for name in names
        ),
        requests=result.final_summary.requests,
        drain=drain_span(result.snapshots),
    )


def error_totals(result: TestResult) -> tuple[ErrorTotal, ...]:
    """The whole run's errors by type (`http_503`, `timeout`...), most frequent first."""
    summary = result.final_summary
    requests = summary.requests
    ordered = sorted(summary.errors_by_type.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        ErrorTotal(kind, count, count / requests if requests else 0.0) for kind, count in ordered
    )


def users_over_time(result: TestResult) -> UsersOverTime:
    """Active and target users each second."""
    snapshots = result.snapshots
    return UsersOverTime(
        elapsed=_elapsed(snapshots),
        active=tuple(float(s.active_users) for s in snapshots),
        target=tuple(float(s.target_users) for s in snapshots),
        open_model=is_open_model(result),
        drain=drain_span(snapshots),
    )


def _elapsed(snapshots: list[MetricSnapshot]) -> tuple[float, ...]:
    return tuple(s.elapsed_seconds for s in snapshots)
