"""The figures of a report's summary card and tables, computed from a TestResult.

Like `chart_data`, pure: the template only formats what is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.run_events import RunEventKind
from loadforge.reports.chart_data import interval_seconds, is_open_model
from loadforge.thresholds import ThresholdOutcome


@dataclass(frozen=True, slots=True)
class OpenModelCard:
    """The open model's figures: the rate asked for and achieved, and corrected latency.

    Rates are iterations per second over the part of the planned duration
    the run lasted; `target_rate` is 0.0 (unknown) in results written before
    LoadForge recorded it.
    """

    target_rate: float
    achieved_rate: float
    started: int
    dropped: int
    max_users: int
    corrected_p50: float
    corrected_p95: float
    corrected_p99: float
    # Scenarios on users ran beside those on rates (`TestResult.mixed_models`).
    mixed: bool = False


@dataclass(frozen=True, slots=True)
class SummaryCard:
    """What a reader sees first: how much load, how fast, how many errors, pass or fail."""

    scenario: str
    status: str
    started: str
    duration_seconds: float
    pattern: str
    workers: int
    version: str
    requests: int
    average_rps: float
    peak_rps: float
    p50: float
    p95: float
    p99: float
    error_rate: float
    errors: int
    peak_users: int
    thresholds: tuple[ThresholdOutcome, ...]
    notes: tuple[str, ...]
    open_model: OpenModelCard | None = None

    @property
    def passed(self) -> bool:
        """True when every threshold passed (and there were thresholds)."""
        return all(outcome.passed for outcome in self.thresholds)


def summary_card(result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> SummaryCard:
    """The summary card of a run's report."""
    summary = result.final_summary
    return SummaryCard(
        scenario=result.scenario_name,
        status=result.status.value,
        started=result.start_time.strftime("%Y-%m-%d %H:%M:%S %Z").strip(),
        duration_seconds=result.duration_seconds,
        pattern=result.pattern_description,
        workers=result.workers,
        version=result.loadforge_version,
        requests=summary.requests,
        average_rps=summary.rps,
        peak_rps=peak_rps(result),
        p50=summary.latency_p50,
        p95=summary.latency_p95,
        p99=summary.latency_p99,
        error_rate=summary.error_rate,
        errors=summary.errors,
        peak_users=max((s.active_users for s in result.snapshots), default=summary.active_users),
        thresholds=tuple(outcomes),
        notes=run_notes(result),
        open_model=open_model_card(result),
    )


def peak_rps(result: TestResult) -> float:
    """The busiest whole interval's requests per second.

    A shorter interval (the run's last, cut by its end) is left out unless
    there is nothing else: a few requests over a few milliseconds would read
    as a huge rate. Every rate is per second of its interval's real length,
    so no longer interval counts as one second either.
    """
    snapshots = result.snapshots
    seconds = interval_seconds(snapshots)
    if not snapshots:
        return 0.0
    full = max(seconds)
    whole = [s.rps for s, t in zip(snapshots, seconds, strict=True) if t >= full * 0.99]
    return max(whole or [s.rps for s in snapshots])


def open_model_card(result: TestResult) -> OpenModelCard | None:
    """The open model's part of the summary card; None for the closed model."""
    if not is_open_model(result):
        return None
    summary = result.final_summary
    # Iterations asked for, from the per-second rates: the plan's length
    # follows, and the achieved rate is over that same length.
    seconds = interval_seconds(result.snapshots)
    asked = sum(s.target_rate * t for s, t in zip(result.snapshots, seconds, strict=True))
    started = summary.started_iterations
    return OpenModelCard(
        target_rate=summary.target_rate,
        achieved_rate=summary.target_rate * started / asked if asked > 0 else 0.0,
        started=started,
        dropped=summary.dropped_iterations,
        max_users=summary.target_users,
        corrected_p50=summary.latency_corrected_p50,
        corrected_p95=summary.latency_corrected_p95,
        corrected_p99=summary.latency_corrected_p99,
        mixed=result.mixed_models,
    )


def run_notes(result: TestResult) -> tuple[str, ...]:
    """Plain-language warnings about runs whose charts could mislead.

    Empty, short or failing runs, worker processes lost on the way, and
    open-model iterations that never started because every user was busy.
    """
    summary = result.final_summary
    notes = []
    if result.status is RunStatus.INTERRUPTED:
        notes.append("The run was interrupted before its planned end; it shows what was measured.")
    if summary.requests and not LatencyHistogram.decode(result.latency_histogram).count:
        notes.append(
            "The whole-run latency histogram was lost with the process that ran it: the"
            " percentiles shown are the per-second ones weighted by each second's requests."
        )
    if result.status is RunStatus.FAILED:
        notes.append("The run failed inside LoadForge; it shows what was measured before that.")
    if summary.requests == 0:
        notes.append(
            "No requests were measured, so there are no latencies or rates to show: check that"
            " the target was reachable and that the scenario's tasks send requests."
        )
    elif summary.errors == summary.requests:
        notes.append(
            "Every request failed. The latencies shown are those of the failures (timeouts,"
            " refused connections, error responses), not of successful requests."
        )
    for event in result.events:
        if event.kind is not RunEventKind.WORKER_LOST:
            notes.append(event.describe()[:1].upper() + event.describe()[1:] + ".")
            continue
        notes.append(
            f"Worker process {event.worker_id} was lost {event.elapsed_seconds:.0f} s into the"
            f" run ({event.cause}); the other workers took over its users."
        )
    if summary.dropped_iterations:
        notes.append(
            f"{summary.dropped_iterations:,} iterations were due to start but every virtual"
            " user was busy (--max-users): the target was offered less load than asked for."
        )
    if len(result.snapshots) <= 1:
        notes.append(
            "The run lasted at most one second, so the charts over time have a single point."
        )
    return tuple(notes)


def endpoint_rows(result: TestResult) -> tuple[EndpointMetrics, ...]:
    """The per-endpoint table's rows, busiest endpoint first."""
    endpoints = result.final_summary.endpoints.values()
    return tuple(sorted(endpoints, key=lambda e: (-e.requests, e.name)))


def per_second_rows(result: TestResult) -> tuple[MetricSnapshot, ...]:
    """The raw per-second table's rows, in time order."""
    return tuple(sorted(result.snapshots, key=lambda s: s.elapsed_seconds))
