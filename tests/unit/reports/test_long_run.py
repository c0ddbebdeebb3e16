"""The report of a 24-hour run: charts and table downsampled, percentiles exact, size bounded."""

from __future__ import annotations

import re
from dataclasses import replace

from loadforge.metrics.history import HISTORY_POINTS
from loadforge.metrics.models import TestResult
from loadforge.reports.page import ms
from loadforge.reports.plotly_source import PlotlySource
from loadforge.reports.run_report import render_run_report
from sample_runs import EPOCH, normal_run

DAY = 86_400
REPORT_BYTES_24H = 400_000
"""The bound the README states for a 24-hour run's report.html, plotly itself left out."""


def day_long_run() -> TestResult:
    """A result holding 86,400 per-second snapshots, as a run from before bounded histories."""
    base = normal_run()
    second = base.snapshots[0]
    snapshots = [
        replace(second, elapsed_seconds=float(s), timestamp=EPOCH + s) for s in range(1, DAY + 1)
    ]
    return replace(base, snapshots=snapshots, duration_seconds=float(DAY))


def test_a_day_long_report_draws_bounded_charts_and_states_exact_percentiles() -> None:
    result = day_long_run()
    html = render_run_report(result, plotly=PlotlySource.CDN)
    assert len(html.encode()) < REPORT_BYTES_24H
    rows = re.search(r"Raw per-second data \((\d+) rows\)", html)
    assert rows is not None
    assert 0 < int(rows.group(1)) <= HISTORY_POINTS
    # The summary's percentiles are the whole-run histogram's, untouched by downsampling.
    summary = result.final_summary
    for value in (summary.latency_p50, summary.latency_p95, summary.latency_p99):
        assert ms(value) in html
