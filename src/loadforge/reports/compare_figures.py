"""Plotly figures of a run comparison: both runs overlaid, built from `comparison` values."""

from __future__ import annotations

import plotly.graph_objects as go

from loadforge.metrics.models import TestResult
from loadforge.reports._canvas import Chart, chart, empty_figure, styled_figure
from loadforge.reports.chart_data import LatencyDistribution
from loadforge.reports.comparison import (
    Comparison,
    Overlay,
    distribution_overlay,
    p95_overlay,
    throughput_overlay,
)

BASELINE_COLOR, CANDIDATE_COLOR = "#6b7280", "#2563eb"


def _overlay_chart(
    key: str, title: str, explanation: str, overlay: Overlay, y_title: str, names: tuple[str, str]
) -> Chart:
    if overlay.is_empty:
        return chart(key, title, explanation, empty_figure("Neither run measured a request."))
    figure = styled_figure("seconds since start", y_title)
    for x, y, name, color, dash in (
        (overlay.baseline_elapsed, overlay.baseline, names[0], BASELINE_COLOR, "dash"),
        (overlay.candidate_elapsed, overlay.candidate, names[1], CANDIDATE_COLOR, "solid"),
    ):
        figure.add_trace(
            go.Scatter(
                x=list(x), y=list(y), name=name, mode="lines+markers", marker={"size": 4},
                line={"color": color, "dash": dash, "width": 2},
            )
        )  # fmt: skip
    return chart(key, title, explanation, figure)


def _distribution_chart(
    distributions: tuple[LatencyDistribution, LatencyDistribution], names: tuple[str, str]
) -> Chart:
    title = "Latency distribution, both runs"
    explanation = (
        "How response times were spread over each whole run (log scale). A candidate curve"
        " shifted to the right is slower."
    )
    if all(d.is_empty for d in distributions):
        return chart("cmp-distribution", title, explanation, empty_figure("No latency measured."))
    figure = styled_figure("latency (ms, log scale)", "% of requests")
    figure.update_layout(xaxis={"type": "log"}, hovermode="closest")
    for data, name, color in zip(
        distributions, names, (BASELINE_COLOR, CANDIDATE_COLOR), strict=True
    ):
        figure.add_trace(
            go.Scatter(
                x=[(a * b) ** 0.5 for a, b in zip(data.lower, data.upper, strict=True)],
                y=list(data.percent), name=name, mode="lines",
                line={"shape": "hvh", "color": color},
            )
        )  # fmt: skip
    return chart("cmp-distribution", title, explanation, figure)


def _endpoint_chart(comparison: Comparison) -> Chart:
    title = "p95 latency by endpoint"
    explanation = "Each endpoint's whole-run p95 latency in both runs; lower is better."
    rows = comparison.rows
    figure = styled_figure("endpoint", "p95 latency (ms)")
    figure.update_layout(barmode="group", hovermode="closest")
    for name, values, color in (
        (comparison.baseline, [r.p95.baseline for r in rows], BASELINE_COLOR),
        (comparison.candidate, [r.p95.candidate for r in rows], CANDIDATE_COLOR),
    ):
        figure.add_trace(
            go.Bar(x=[r.name for r in rows], y=values, name=name, marker={"color": color})
        )
    return chart("cmp-endpoints", title, explanation, figure)


def comparison_charts(
    comparison: Comparison, baseline: TestResult, candidate: TestResult
) -> tuple[Chart, ...]:
    """The overlaid charts of a comparison page."""
    names = (comparison.baseline, comparison.candidate)
    return (
        _overlay_chart(
            "cmp-throughput", "Throughput over time, both runs",
            "Requests per second of each run, aligned on seconds since its start.",
            throughput_overlay(baseline, candidate), "requests per second", names,
        ),
        _overlay_chart(
            "cmp-p95", "p95 latency over time, both runs",
            "95 % of the requests of each second were faster than this; lower is better.",
            p95_overlay(baseline, candidate), "p95 latency (ms)", names,
        ),
        _distribution_chart(distribution_overlay(baseline, candidate), names),
        _endpoint_chart(comparison),
    )  # fmt: skip
