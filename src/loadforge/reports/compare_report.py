"""The HTML comparison of two runs: the comparison table and overlaid charts on one page."""

from __future__ import annotations

import json

from loadforge.metrics.models import TestResult
from loadforge.reports._canvas import PLOT_CONFIG
from loadforge.reports.compare_figures import comparison_charts
from loadforge.reports.comparison import LATENCY_FIGURES, Comparison
from loadforge.reports.page import render_page
from loadforge.reports.plotly_source import PlotlySource


def render_comparison(
    comparison: Comparison,
    baseline: TestResult,
    candidate: TestResult,
    *,
    regression_limit: float | None = None,
    plotly: PlotlySource = PlotlySource.INLINE,
) -> str:
    """The self-contained HTML page comparing two runs."""
    return render_page(
        "compare.html.j2",
        plotly,
        comparison=comparison,
        baseline=baseline,
        candidate=candidate,
        regression_limit=regression_limit,
        regressions=comparison.regressions(regression_limit)
        if regression_limit is not None
        else (),
        charts=comparison_charts(comparison, baseline, candidate),
        gated=[figure.value for figure in LATENCY_FIGURES if figure in comparison.judged],
        plot_config=json.dumps(PLOT_CONFIG),
    )
