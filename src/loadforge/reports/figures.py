"""Plotly figures for the report, built from `chart_data` values.

Every function returns a `Chart`: the figure as plotly JSON plus the title
and the plain-language explanation the page shows above it. Figures use
transparent backgrounds so the page's light or dark theme shows through;
the page's script recolours text and grid lines when the theme changes.
"""

from __future__ import annotations

import plotly.graph_objects as go

from loadforge import formatting
from loadforge.reports._canvas import (
    P50_COLOR,
    P95_COLOR,
    P99_COLOR,
    PALETTE,
    TARGET_COLOR,
    Chart,
    chart,
    empty_figure,
    error_colors,
    latency_ticks,
    line,
    mark_drain,
    styled_figure,
)
from loadforge.reports.chart_data import (
    CorrectedLatency,
    DrainSpan,
    EndpointLatency,
    ErrorsOverTime,
    ErrorTotal,
    LatencyBands,
    LatencyDistribution,
    ThroughputData,
    UsersOverTime,
)


def throughput_chart(data: ThroughputData) -> Chart:
    """Requests per second over time, with what the pattern asked for dashed."""
    title = "Throughput over time"
    if data.open_model:
        return _open_throughput_chart(data, title)
    explanation = (
        "How many requests per second the target answered, second by second (solid). The dashed"
        " line is the number of virtual users the traffic pattern asked for (right axis): when"
        " throughput stops following it, the system under test has hit a limit."
    )
    if data.is_empty:
        return chart("throughput", title, explanation, empty_figure("No requests were measured."))
    figure = styled_figure("seconds since start", "requests per second")
    figure.add_trace(line(data.elapsed, data.rps, "requests/s", PALETTE[0]))
    figure.add_trace(
        line(data.elapsed, data.target_users, "target users", TARGET_COLOR, dash="dash", yaxis="y2")
    )
    _draw_rps_cap(figure, data)
    _draw_drain(figure, data.drain)
    figure.update_layout(
        yaxis2={
            "title": {"text": "users"},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        }
    )
    return chart("throughput", title, explanation, figure)


def _open_throughput_chart(data: ThroughputData, title: str) -> Chart:
    """The open model's throughput: iterations started against the rate asked for, and requests."""
    explanation = (
        "The run asked for a rate of iterations (--arrival-rate), not for users. The dashed line"
        " is the iterations per second the traffic pattern asked for; the solid line beside it"
        " the iterations actually started each second, and the other the requests per second"
        " the target answered. Started below asked means iterations were dropped: every"
        " virtual user was busy (--max-users)."
    )
    if data.is_empty and not any(data.started_rate):
        return chart("throughput", title, explanation, empty_figure("No requests were measured."))
    figure = styled_figure("seconds since start", "per second")
    figure.add_trace(line(data.elapsed, data.rps, "requests/s", PALETTE[0]))
    if data.started_rate:
        figure.add_trace(line(data.elapsed, data.started_rate, "iterations started/s", PALETTE[4]))
    if data.target_rate:
        figure.add_trace(
            line(data.elapsed, data.target_rate, "target iterations/s", TARGET_COLOR, dash="dash")
        )
    _draw_rps_cap(figure, data)
    _draw_drain(figure, data.drain)
    return chart("throughput", title, explanation, figure)


def _draw_rps_cap(figure: go.Figure, data: ThroughputData) -> None:
    if data.rps_cap is not None:
        figure.add_hline(
            y=data.rps_cap,
            line={"dash": "dot", "color": PALETTE[2]},
            annotation_text=f"--rps cap {data.rps_cap:,g}/s",
        )


def _draw_drain(figure: go.Figure, drain: DrainSpan | None) -> None:
    if drain is not None:
        mark_drain(figure, drain.start, drain.end)


def corrected_latency_chart(data: CorrectedLatency) -> Chart:
    """The open model's service time (solid) against its corrected latency (dashed)."""
    title = "Service time vs corrected latency"
    explanation = (
        "Service time (solid) runs from sending a request to its answer. Corrected latency"
        " (dashed, same colour) runs from the moment the request's iteration was due to start,"
        " so it adds any wait for a free virtual user or a late start: what a user arriving on"
        " schedule would have waited. Where dashed pulls away from solid, the system fell"
        " behind the arrival rate."
    )
    if data.is_empty:
        return chart("corrected", title, explanation, empty_figure("No latency measured."))
    figure = styled_figure("seconds since start", "latency (ms)")
    colors = (P50_COLOR, P95_COLOR, P99_COLOR)
    for series, color in zip(data.service, colors, strict=True):
        figure.add_trace(line(data.elapsed, series.values, series.name, color, latency=True))
    for series, color in zip(data.corrected, colors, strict=True):
        figure.add_trace(
            line(data.elapsed, series.values, series.name, color, dash="dash", latency=True)
        )
    _draw_drain(figure, data.drain)
    return chart("corrected", title, explanation, figure)


def latency_bands_chart(data: LatencyBands) -> Chart:
    """p50/p95/p99 latency over time."""
    title = "Latency percentiles over time"
    explanation = (
        "Response time each second: half of the requests were faster than p50, 95 % faster"
        " than p95 and 99 % faster than p99. A widening gap between p50 and p99 means some"
        " users wait much longer than the typical one."
    )
    if data.is_empty:
        return chart("latency-bands", title, explanation, empty_figure("No latency measured."))
    figure = styled_figure("seconds since start", "latency (ms)")
    figure.add_trace(line(data.elapsed, data.p50, "p50", P50_COLOR, latency=True))
    figure.add_trace(line(data.elapsed, data.p95, "p95", P95_COLOR, fill="tonexty", latency=True))
    figure.add_trace(line(data.elapsed, data.p99, "p99", P99_COLOR, fill="tonexty", latency=True))
    _draw_drain(figure, data.drain)
    return chart("latency-bands", title, explanation, figure)


def distribution_chart(data: LatencyDistribution) -> Chart:
    """The whole run's latency histogram on a log axis, with p50/p95/p99 marked."""
    title = "Latency distribution"
    explanation = (
        "How response times were spread over the whole run, from every request (not from"
        " per-second figures). The horizontal axis is logarithmic; the vertical lines mark"
        " the whole-run p50, p95 and p99. A long tail to the right is the slow requests."
    )
    if data.is_empty:
        return chart("distribution", title, explanation, empty_figure("No latency measured."))
    figure = styled_figure("latency (log scale)", "% of requests")
    figure.update_layout(
        xaxis={"type": "log", **latency_ticks(data.lower[0], data.upper[-1])}, hovermode="closest"
    )
    figure.add_trace(
        go.Scatter(
            x=[(start * end) ** 0.5 for start, end in zip(data.lower, data.upper, strict=True)],
            y=list(data.percent),
            mode="lines",
            line={"shape": "hvh", "color": PALETTE[0]},
            fill="tozeroy",
            customdata=[
                [_ms(start), _ms(end), f"{count:,}"]
                for start, end, count in zip(data.lower, data.upper, data.counts, strict=True)
            ],
            hovertemplate="%{customdata[0]} – %{customdata[1]}: %{customdata[2]}"
            " requests (%{y:.2f} %)<extra></extra>",
            name="requests",
        )
    )
    # Vertical marker lines are traces, not shapes: shapes and annotations on a
    # log axis take log10 coordinates, which plotly.js and its Python side disagree on.
    top = max(data.percent) * 1.05
    for (label, value), color in zip(data.markers, (P50_COLOR, P95_COLOR, P99_COLOR), strict=True):
        figure.add_trace(
            go.Scatter(
                x=[value, value],
                y=[0, top],
                mode="lines",
                name=f"{label} {_ms(value)}",
                line={"color": color, "dash": "dash", "width": 2},
                hovertemplate=f"whole-run {label}: {_ms(value)}<extra></extra>",
            )
        )
    return chart("distribution", title, explanation, figure)


def endpoint_latency_chart(data: EndpointLatency) -> Chart:
    """Grouped bars: p50/p95/p99 of each endpoint."""
    title = "Latency by endpoint"
    explanation = "Whole-run p50, p95 and p99 of each endpoint side by side, to find the slow ones."
    if data.is_empty:
        return chart("endpoints", title, explanation, empty_figure("No endpoint was called."))
    figure = styled_figure("endpoint", "latency (ms)")
    figure.update_layout(barmode="group", hovermode="closest")
    for name, values, color in (
        ("p50", data.p50, P50_COLOR),
        ("p95", data.p95, P95_COLOR),
        ("p99", data.p99, P99_COLOR),
    ):
        figure.add_trace(
            go.Bar(
                x=list(data.names),
                y=list(values),
                name=name,
                marker={"color": color},
                text=[_ms(value) for value in values],
                textposition="none",
                hovertemplate=f"%{{x}} {name}: %{{text}}<extra></extra>",
            )
        )
    return chart("endpoints", title, explanation, figure)


def errors_chart(data: ErrorsOverTime) -> Chart:
    """Errors per second stacked by status class and error type."""
    title = "Errors over time"
    explanation = (
        "Failed requests each second, stacked by kind: HTTP status classes (4xx: the request"
        " was refused, 5xx: the server failed) and failures without a response (timeouts,"
        " refused or reset connections) or exceptions raised in the scenario."
    )
    if data.is_empty:
        message = (
            "No errors: every request succeeded."
            if data.requests
            else "No requests were measured, so there were no errors either."
        )
        return chart("errors", title, explanation, empty_figure(message))
    figure = styled_figure("seconds since start", "errors per second")
    figure.update_layout(barmode="stack")
    colors = error_colors([series.name for series in data.series])
    for series, color in zip(data.series, colors, strict=True):
        figure.add_trace(
            go.Bar(
                x=list(data.elapsed),
                y=list(series.values),
                name=series.name,
                marker={"color": color},
            )
        )
    _draw_drain(figure, data.drain)
    return chart("errors", title, explanation, figure)


def error_totals_chart(totals: tuple[ErrorTotal, ...]) -> Chart:
    """A doughnut of the whole run's errors by type."""
    title = "Errors by type, whole run"
    explanation = (
        "What the failed requests had in common: http_NNN is an error response with that"
        " status; other kinds are failures without a response, or exceptions in the scenario."
    )
    if not totals:
        return chart("error-totals", title, explanation, empty_figure("No request failed."))
    figure = styled_figure("", "")
    figure.update_layout(hovermode="closest", xaxis={"visible": False}, yaxis={"visible": False})
    figure.add_trace(
        go.Pie(
            labels=[total.kind for total in totals],
            values=[total.count for total in totals],
            hole=0.45,
            sort=False,
            marker={"colors": error_colors([total.kind for total in totals])},
            hovertemplate="%{label}: %{value} errors (%{percent})<extra></extra>",
        )
    )
    return chart("error-totals", title, explanation, figure)


def users_chart(data: UsersOverTime) -> Chart:
    """Active users against the pattern's target users (the open model: against the bound)."""
    if data.open_model:
        title = "Busy vs most users"
        explanation = (
            "Virtual users busy with an iteration each second (solid) against the most the run"
            " may have at once (dashed, --max-users). The pattern asks for a rate, not for"
            " users: users are created as the rate needs them, and when all of them are busy"
            " the iterations due are dropped."
        )
        bound = "most users (--max-users)"
    else:
        title = "Active vs target users"
        explanation = (
            "Virtual users running each second (solid) against the number the traffic pattern"
            " asked for (dashed). They differ briefly while users start or stop."
        )
        bound = "target users"
    if data.is_empty:
        return chart("users", title, explanation, empty_figure("No per-second data was recorded."))
    figure = styled_figure("seconds since start", "users")
    active = "busy users" if data.open_model else "active users"
    figure.add_trace(line(data.elapsed, data.active, active, PALETTE[0]))
    figure.add_trace(line(data.elapsed, data.target, bound, TARGET_COLOR, dash="dash"))
    _draw_drain(figure, data.drain)
    return chart("users", title, explanation, figure)


def _ms(value: float) -> str:
    """A latency as the terminal and the report's tables write it ("1.00 s", "12.3 ms")."""
    return formatting.ms(value, " ")
