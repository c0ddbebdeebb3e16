"""What is left of a run whose server was killed: its summary and report from stored seconds.

A SIGKILLed server takes its run's process with it, and with them the
whole-run histogram; the per-second snapshots survive, in the database
and in the run's snapshots.jsonl. The server that finds the run orphaned
(`loadforge.server.api.ownership`) ends it `interrupted` with the reason
SERVER_STOPPED, its `finished_at` at its last stored second, a summary
added up from the stored seconds, and a report.html drawn from
snapshots.jsonl where the run's directory is on this machine.

Counts, rates, the mean and the maximum latency are exact; the percentiles
are the per-second percentiles weighted by each second's requests, since
the histogram that would make them exact died with the run. The report
says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.history import SnapshotHistory, merge_snapshots
from loadforge.metrics.models import MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.reports.plotly_source import PlotlySource
from loadforge.reports.run_report import render_run_report
from loadforge.results import iter_snapshots_jsonl
from loadforge.results.writer import SNAPSHOTS_JSONL, write_atomically
from loadforge.server.contract import RunSummary
from loadforge.version import __version__

__all__ = ["SERVER_STOPPED", "Remains", "remains_of", "write_report"]

SERVER_STOPPED = "server stopped"
"""The `error` of a run its server's death interrupted."""

REPORT_FILE = "report.html"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Remains:
    """An orphaned run's stored seconds, added up: its whole-run snapshot and last second."""

    total: MetricSnapshot
    history: list[MetricSnapshot]

    @property
    def finished_at(self) -> datetime:
        """The wall-clock time of the run's last stored second."""
        return datetime.fromtimestamp(self.total.timestamp, tz=UTC)

    def summary(self) -> RunSummary:
        """The contract's summary of what the stored seconds measured."""
        total = self.total
        duration = total.elapsed_seconds
        return RunSummary(
            requests=total.requests,
            errors=total.errors,
            error_rate=total.error_rate,
            rps=total.requests / duration if duration > 0 else 0.0,
            duration_seconds=duration,
            latency_p50=total.latency_p50,
            latency_p95=total.latency_p95,
            latency_p99=total.latency_p99,
            latency_max=total.latency_max,
            latency_avg=total.latency_avg,
        )


def remains_of(stored: Iterable[dict[str, object]]) -> Remains | None:
    """The remains of a run from its stored seconds (SnapshotData JSON); None without any.

    A row that does not read as a snapshot is logged and left out.
    """
    history = SnapshotHistory()
    for row in stored:
        try:
            history.append(SnapshotData.model_validate(row).to_snapshot())
        except (ValidationError, ValueError) as exc:
            log.warning("a stored second of an interrupted run is unreadable: %s", exc)
    return _added_up(history)


def write_report(results_dir: Path, scenario: str, started_at: datetime | None) -> Path | None:
    """report.html of an orphaned run, from its snapshots.jsonl; None when there is none."""
    history = SnapshotHistory()
    try:
        for snapshot in iter_snapshots_jsonl(results_dir / SNAPSHOTS_JSONL):
            history.append(snapshot)
    except ResultFormatError as exc:
        log.warning("no report for the interrupted run in %s: %s", results_dir, exc)
        return None
    remains = _added_up(history)
    if remains is None:
        return None
    begun = started_at or datetime.fromtimestamp(
        remains.total.timestamp - remains.total.elapsed_seconds, tz=UTC
    )
    result = TestResult(
        scenario_name=scenario,
        status=RunStatus.INTERRUPTED,
        start_time=begun,
        end_time=remains.finished_at,
        duration_seconds=remains.total.elapsed_seconds,
        pattern_description="unknown: the server stopped during the run",
        snapshots=remains.history,
        final_summary=remains.total,
        latency_histogram=LatencyHistogram().encode(),
        endpoint_histograms={},
        config={},
        loadforge_version=__version__,
    )
    path = results_dir / REPORT_FILE
    write_atomically(path, render_run_report(result, plotly=PlotlySource.INLINE))
    return path


def _added_up(history: SnapshotHistory) -> Remains | None:
    points = history.snapshots()
    if not points:
        return None
    # A run's seconds count from its start, at 0.
    total = merge_snapshots(points, 0.0)
    return Remains(total=total, history=points)
