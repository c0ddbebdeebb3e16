"""The HTML report of one run: chart data, figures and the page, put together."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from loadforge.metrics.history import downsample
from loadforge.metrics.models import TestResult
from loadforge.reports import chart_data
from loadforge.reports._canvas import PLOT_CONFIG, PRINT_PLOT_CONFIG, Chart
from loadforge.reports.figures import (
    corrected_latency_chart,
    distribution_chart,
    endpoint_latency_chart,
    error_totals_chart,
    errors_chart,
    latency_bands_chart,
    throughput_chart,
    users_chart,
)
from loadforge.reports.page import render_page
from loadforge.reports.plotly_source import PlotlySource
from loadforge.reports.scenario_rows import check_rows, group_tree, metric_rows, timing_rows
from loadforge.reports.summary import endpoint_rows, per_second_rows, summary_card
from loadforge.thresholds import ThresholdOutcome


def run_charts(result: TestResult) -> tuple[Chart, ...]:
    """Every chart of a run report, in page order; the open model's corrected latency second."""
    corrected = chart_data.corrected_latency(result)
    return (
        throughput_chart(chart_data.throughput(result)),
        *((corrected_latency_chart(corrected),) if corrected is not None else ()),
        latency_bands_chart(chart_data.latency_bands(result)),
        distribution_chart(chart_data.latency_distribution(result.latency_histogram)),
        endpoint_latency_chart(chart_data.endpoint_latency(result)),
        errors_chart(chart_data.errors_over_time(result)),
        error_totals_chart(chart_data.error_totals(result)),
        users_chart(chart_data.users_over_time(result)),
    )


def render_run_report(
    result: TestResult,
    outcomes: Sequence[ThresholdOutcome] = (),
    plotly: PlotlySource = PlotlySource.INLINE,
    *,
    printed: bool = False,
) -> str:
    """The self-contained HTML report of a run; ResultFormatError on a corrupt histogram.

    `printed` lays it out for print-to-PDF: static charts, every section open.

    Its charts and per-second table draw at most HISTORY_POINTS points, so the
    report of a result written with a longer history stays the size of a
    20-minute run's; the summary's percentiles come from the whole-run histogram.
    """
    result = replace(result, snapshots=downsample(result.snapshots))
    return render_page(
        "report.html.j2",
        plotly,
        card=summary_card(result, outcomes),
        charts=run_charts(result),
        error_totals=chart_data.error_totals(result),
        scenarios=result.scenarios,
        endpoints=endpoint_rows(result),
        seconds=per_second_rows(result),
        open_model=chart_data.is_open_model(result),
        summary=result.final_summary,
        checks=check_rows(result),
        metrics=metric_rows(result),
        groups=group_tree(result),
        timings=timing_rows(result),
        plot_config=json.dumps(PRINT_PLOT_CONFIG if printed else PLOT_CONFIG),
        printed=printed,
    )
