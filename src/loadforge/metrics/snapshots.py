"""Turning intervals of raw counts into the snapshots users see, and keeping whole-run totals.

Percentiles are always read from merged HDR histograms (never averaged from
per-interval percentiles), so the final summary's p99 is the p99 of every
request in the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats, add_counts
from loadforge.metrics.scenario_figures import ScenarioFigures, scenario_figures
from loadforge.metrics.scenario_interval import ScenarioInterval
from loadforge.metrics.snapshot import EndpointMetrics, MetricSnapshot
from loadforge.metrics.task_exceptions import by_count
from loadforge.metrics.timings import timing_figures
from loadforge.metrics.totals import DurationTotals, EndpointTotals, RunTotals

_SNAPSHOT_PERCENTILES = (50.0, 75.0, 90.0, 95.0, 99.0, 99.9)
_ENDPOINT_PERCENTILES = (50.0, 95.0, 99.0)


def _ratio(part: float, whole: float) -> float:
    """`part / whole`, or 0.0 when nothing happened (never NaN)."""
    return part / whole if whole > 0 else 0.0


def _endpoint_metrics(name: str, endpoint: EndpointInterval, seconds: float) -> EndpointMetrics:
    latency = endpoint.latency
    p50, p95, p99 = latency.percentiles_ms(_ENDPOINT_PERCENTILES)
    c50, c95, c99 = endpoint.corrected.percentiles_ms(_ENDPOINT_PERCENTILES)
    return EndpointMetrics(
        name=name,
        method=endpoint.method,
        requests=endpoint.requests,
        rps=_ratio(endpoint.requests, seconds),
        latency_p50=p50,
        latency_p95=p95,
        latency_p99=p99,
        latency_avg=latency.mean_ms,
        latency_max=latency.max_ms,
        errors=endpoint.errors,
        error_rate=_ratio(endpoint.errors, endpoint.requests),
        bytes_received=endpoint.bytes_received,
        latency_corrected_p50=c50,
        latency_corrected_p95=c95,
        latency_corrected_p99=c99,
        latency_corrected_max=endpoint.corrected.max_ms,
        timings=timing_figures(endpoint.timings) if endpoint.timings else {},
    )


@dataclass(frozen=True, slots=True)
class _Moment:
    """When a snapshot was taken, its users, the rate the pattern asked for, whether it drained."""

    timestamp: float
    elapsed: float
    active_users: int
    target_users: int
    target_rate: float = 0.0
    drain: bool = False


_CORRECTED_PERCENTILES = (50.0, 95.0, 99.0, 99.9)


@dataclass(frozen=True, slots=True)
class _Latencies:
    """Every endpoint's latencies merged: as measured, and from the intended starts."""

    service: LatencyHistogram
    corrected: LatencyHistogram


def _snapshot(
    stats: IntervalStats, latencies: _Latencies, seconds: float, moment: _Moment
) -> MetricSnapshot:
    """One snapshot from interval-shaped counts covering `seconds` of the run."""
    latency, corrected = latencies.service, latencies.corrected
    endpoints = stats.endpoints
    requests = sum(endpoint.requests for endpoint in endpoints.values())
    task_errors = stats.task_errors
    # Request errors only: a task exception is not a request, and has its own rate.
    errors = sum(endpoint.errors for endpoint in endpoints.values())
    errors_by_status: dict[int, int] = {}
    errors_by_type: dict[str, int] = {}
    for endpoint in endpoints.values():
        add_counts(errors_by_status, endpoint.errors_by_status)
        add_counts(errors_by_type, endpoint.errors_by_type)
    p50, p75, p90, p95, p99, p999 = latency.percentiles_ms(_SNAPSHOT_PERCENTILES)
    c50, c95, c99, c999 = corrected.percentiles_ms(_CORRECTED_PERCENTILES)
    scenario = scenario_figures(stats.scenario, seconds) if stats.scenario else ScenarioFigures()
    return MetricSnapshot(
        timestamp=moment.timestamp,
        elapsed_seconds=moment.elapsed,
        active_users=moment.active_users,
        target_users=moment.target_users,
        requests=requests,
        rps=_ratio(requests, seconds),
        latency_p50=p50,
        latency_p75=p75,
        latency_p90=p90,
        latency_p95=p95,
        latency_p99=p99,
        latency_p999=p999,
        latency_min=latency.min_ms,
        latency_max=latency.max_ms,
        latency_avg=latency.mean_ms,
        errors=errors,
        error_rate=_ratio(errors, requests),
        errors_by_status=errors_by_status,
        errors_by_type=errors_by_type,
        endpoints={
            name: _endpoint_metrics(name, endpoint, seconds) for name, endpoint in endpoints.items()
        },
        bytes_received=sum(endpoint.bytes_received for endpoint in endpoints.values()),
        task_errors=task_errors,
        dropped_iterations=stats.dropped_iterations,
        started_iterations=stats.started_iterations,
        target_rate=moment.target_rate,
        latency_corrected_p50=c50,
        latency_corrected_p95=c95,
        latency_corrected_p99=c99,
        latency_corrected_p999=c999,
        latency_corrected_max=corrected.max_ms,
        task_exceptions=tuple(by_count(stats.task_exceptions.values())),
        iterations=stats.iterations,
        task_error_rate=min(_ratio(task_errors, stats.iterations), 1.0),
        checks=scenario.checks,
        metrics=scenario.metrics,
        groups=scenario.groups,
        drain=moment.drain,
    )


class SnapshotBuilder:
    """Builds per-interval snapshots and accumulates the whole run for the final summary.

    Every snapshot lists every endpoint seen so far in the run, with zeros
    for those idle in that interval, so views and charts keep a stable set
    of rows.
    """

    def __init__(self) -> None:
        self._run = IntervalStats()
        self._run_latencies = _Latencies(LatencyHistogram(), LatencyHistogram())
        # Each endpoint's latencies added up (ms), from the interval means the
        # snapshots compute anyway: the whole run's mean over again would cost
        # ~0.6 ms an endpoint every second.
        self._latency_sums_ms: dict[str, float] = {}
        # Pay for the mean's lookup table now rather than in the first
        # snapshot, where it would stall the event loop for ~20 ms.
        LatencyHistogram.prepare()

    def add_interval(
        self,
        stats: IntervalStats,
        *,
        timestamp: float,
        elapsed: float,
        interval_seconds: float,
        active_users: int,
        target_users: int,
        target_rate: float = 0.0,
        drain: bool = False,
    ) -> MetricSnapshot:
        """The snapshot of one interval ending at `timestamp`; its counts join the run totals.

        `stats` is merged (not kept), so the caller may reuse or drop it.
        `target_rate` is the open model's iterations per second the pattern
        asked for over the interval; `drain` marks an interval after the run
        stopped starting work. Rates are per second of `interval_seconds`.
        """
        latency = LatencyHistogram()
        for endpoint in stats.endpoints.values():
            latency.merge(endpoint.latency)
        latencies = _Latencies(latency, stats.corrected())
        self._run.merge(stats)
        self._run_latencies.service.merge(latency)
        self._run_latencies.corrected.merge(latencies.corrected)
        shown = IntervalStats(
            endpoints={
                name: stats.endpoints.get(name) or EndpointInterval(endpoint.method)
                for name, endpoint in self._run.endpoints.items()
            },
            task_errors_by_type=stats.task_errors_by_type,
            task_errors_by_task=stats.task_errors_by_task,
            dropped_iterations=stats.dropped_iterations,
            started_iterations=stats.started_iterations,
            task_exceptions=stats.task_exceptions,
            iterations=stats.iterations,
            scenario=stats.scenario,
        )
        moment = _Moment(timestamp, elapsed, active_users, target_users, target_rate, drain)
        snapshot = _snapshot(shown, latencies, interval_seconds, moment)
        sums = self._latency_sums_ms
        for name, shown_endpoint in snapshot.endpoints.items():
            if shown_endpoint.requests:
                sums[name] = (
                    sums.get(name, 0.0) + shown_endpoint.latency_avg * shown_endpoint.requests
                )
        return snapshot

    def summary(
        self,
        *,
        timestamp: float,
        elapsed: float,
        active_users: int,
        target_users: int,
        target_rate: float = 0.0,
    ) -> MetricSnapshot:
        """The whole run so far as one snapshot; rates are per second of `elapsed`."""
        moment = _Moment(timestamp, elapsed, active_users, target_users, target_rate)
        return _snapshot(self._run, self._run_latencies, elapsed, moment)

    def whole_run_histogram(self) -> str:
        """Every request's latency in the run, HDR-encoded for `TestResult.latency_histogram`."""
        return self._run_latencies.service.encode()

    def endpoint_histograms(self) -> dict[str, str]:
        """Each endpoint's latencies over the run, HDR-encoded, by endpoint name."""
        return {name: endpoint.latency.encode() for name, endpoint in self._run.endpoints.items()}

    def timing_histograms(self) -> dict[str, dict[str, str]]:
        """Each endpoint's request timings over the run, HDR-encoded, by endpoint and timing."""
        return {
            name: {timing: histogram.encode() for timing, histogram in endpoint.timings.items()}
            for name, endpoint in self._run.endpoints.items()
            if endpoint.timings
        }

    def trend_histograms(self) -> dict[str, str]:
        """Each custom trend's values over the run, HDR-encoded, by name."""
        return {name: trend.encode() for name, trend in self._run.scenario.trends.items()}

    def group_histograms(self) -> dict[str, str]:
        """Each group's block durations over the run, HDR-encoded, by group path."""
        return {name: group.encode() for name, group in self._run.scenario.groups.items()}

    def run_totals(self, bounds_us: tuple[int, ...]) -> RunTotals:
        """The run so far as counters and latency buckets at `bounds_us` (ascending µs)."""
        run = self._run
        sums = self._latency_sums_ms
        endpoints = tuple(
            EndpointTotals(
                name=name,
                method=endpoint.method,
                requests=endpoint.requests,
                errors=endpoint.errors,
                bytes_received=endpoint.bytes_received,
                errors_by_type=dict(endpoint.errors_by_type),
                errors_by_status=dict(endpoint.errors_by_status),
                latency_buckets=endpoint.latency.counts_at_or_below(bounds_us),
                latency_count=endpoint.latency.count,
                latency_sum_seconds=sums.get(name, 0.0) / 1000.0,
                latency_min_seconds=endpoint.latency.min_ms / 1000.0,
                latency_max_seconds=endpoint.latency.max_ms / 1000.0,
            )
            for name, endpoint in run.endpoints.items()
        )
        return RunTotals(
            bounds_us=bounds_us,
            endpoints=endpoints,
            task_errors_by_type=dict(run.task_errors_by_type),
            dropped_iterations=run.dropped_iterations,
            **_scenario_totals(run.scenario, bounds_us),
        )

    def users_by_scenario(self) -> dict[str, int]:
        """The users each scenario's starts set up over the run (open model, several scenarios)."""
        return dict(self._run.users_by_scenario)

    def task_errors_by_task(self) -> dict[str, int]:
        """How many exceptions each task raised over the run, by task name."""
        return dict(self._run.task_errors_by_task)


def _scenario_totals(scenario: ScenarioInterval, bounds_us: tuple[int, ...]) -> dict[str, Any]:
    """`RunTotals`' fields for the checks, custom metrics and groups of the run so far."""

    def durations(histograms: dict[str, LatencyHistogram]) -> tuple[DurationTotals, ...]:
        return tuple(
            DurationTotals(
                name,
                histogram.counts_at_or_below(bounds_us),
                histogram.count,
                histogram.mean_ms * histogram.count / 1000.0,
            )
            for name, histogram in histograms.items()
        )

    return {
        "checks": {name: (c.passes, c.fails) for name, c in scenario.checks.items()},
        "counters": dict(scenario.counters),
        "gauges": {name: reading.value for name, reading in scenario.gauges.items()},
        "rates": {
            name: (scenario.rate_trues.get(name, 0), total)
            for name, total in scenario.rate_totals.items()
        },
        "trends": durations(scenario.trends),
        "groups": durations(scenario.groups),
    }
