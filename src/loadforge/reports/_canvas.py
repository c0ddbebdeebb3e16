"""The report's plotly conventions: colours, layout, empty figures, and the Chart wrapper.

Private to `loadforge.reports`: plotly has no type information, so figure
objects stay inside the modules that draw them and leave as `Chart`s, whose
figure is plain JSON text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from loadforge import formatting

PALETTE = ("#2563eb", "#f59e0b", "#dc2626", "#10b981", "#8b5cf6", "#ec4899", "#0891b2", "#65a30d")
P50_COLOR, P95_COLOR, P99_COLOR = "#10b981", "#f59e0b", "#dc2626"
TARGET_COLOR = "#6b7280"
# Errors are drawn in reds, oranges and purples only, never in a green (the
# colour of success, and of p50) nor in the blue of requests: 5xx red, 4xx amber.
ERROR_COLORS = {"5xx": "#dc2626", "4xx": "#f59e0b"}
ERROR_PALETTE = ("#9333ea", "#ea580c", "#be185d", "#7c2d12", "#c026d3", "#991b1b", "#a16207")
DRAIN_LABEL = "drain (after planned end)"
PLOT_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

PRINT_PLOT_CONFIG = {"staticPlot": True, "displayModeBar": False, "displaylogo": False}
"""Charts of a printed report (the PDF): still images at the page's width, no buttons."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a page: an element id, a title, an explanation and the plotly JSON."""

    key: str
    title: str
    explanation: str
    figure_json: str


def error_colors(kinds: Sequence[str]) -> list[str]:
    """One colour per error kind (`5xx`, `http_503`, `timeout`), none of them a green.

    The first kind of each status class takes the class's colour (5xx red,
    4xx amber); every other kind the next colour of ERROR_PALETTE.
    """
    colors = []
    taken: set[str] = set()
    others = 0
    for kind in kinds:
        status_class = _status_class(kind)
        if status_class in ERROR_COLORS and status_class not in taken:
            taken.add(status_class)
            colors.append(ERROR_COLORS[status_class])
        else:
            colors.append(ERROR_PALETTE[others % len(ERROR_PALETTE)])
            others += 1
    return colors


def _status_class(kind: str) -> str:
    code = kind.removeprefix("http_")
    return f"{code[0]}xx" if code[:1].isdigit() and len(code) == 3 else kind


def _layout(figure: go.Figure, x_title: str, y_title: str) -> None:
    figure.update_layout(
        template="none",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "system-ui, sans-serif", "size": 12, "color": "#1f2937"},
        margin={"l": 60, "r": 60, "t": 30, "b": 50},
        height=360,
        hovermode="x unified",
        legend={"orientation": "h", "y": 1.12, "x": 0},
        # Tick labels in plain digits: never 1e+03, nor 10k (ten thousand milliseconds).
        xaxis={
            "title": {"text": x_title},
            "gridcolor": "#e5e7eb",
            "zeroline": False,
            "exponentformat": "none",
            "separatethousands": True,
        },
        yaxis={
            "title": {"text": y_title},
            "gridcolor": "#e5e7eb",
            "rangemode": "tozero",
            "exponentformat": "none",
            "separatethousands": True,
        },
    )


def latency_ticks(lowest: float, highest: float) -> dict[str, list[float] | list[str]]:
    """Ticks for a log axis of milliseconds: 1-2-5 steps, labelled "2.00 ms", "1.00 s"."""
    values: list[float] = []
    decade = 10.0 ** math.floor(math.log10(max(lowest, 1e-3)))
    while decade <= highest * 10:
        values.extend(
            step * decade for step in (1, 2, 5) if lowest / 2 <= step * decade <= highest * 2
        )
        decade *= 10
    return {"tickvals": values, "ticktext": [formatting.ms(value, " ") for value in values]}


def chart(key: str, title: str, explanation: str, figure: go.Figure) -> Chart:
    """Wrap a figure as a Chart for a page."""
    return Chart(key, title, explanation, str(pio.to_json(figure, validate=False)))


def styled_figure(x_title: str, y_title: str) -> go.Figure:
    """An empty figure with the report's layout and axis titles."""
    figure = go.Figure()
    _layout(figure, x_title, y_title)
    return figure


def empty_figure(message: str) -> go.Figure:
    """A figure that says in words why there is nothing to draw."""
    figure = go.Figure()
    _layout(figure, "", "")
    figure.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=200,
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "font": {"size": 14},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )
    return figure


def mark_drain(figure: go.Figure, start: float, end: float) -> None:
    """Shade the drain's seconds grey behind the traces, with a legend entry of its own."""
    figure.add_vrect(
        x0=start,
        x1=end,
        fillcolor=TARGET_COLOR,
        opacity=0.18,
        line_width=0,
        layer="below",
        name=DRAIN_LABEL,
        showlegend=True,
        legendrank=2000,  # after the traces (1000 by default), whatever their order
    )


def line(
    x: Sequence[float],
    y: Sequence[float],
    name: str,
    color: str,
    *,
    dash: str = "solid",
    yaxis: str = "y",
    fill: str = "none",
    latency: bool = False,
) -> go.Scatter:
    """A line trace in the report's style; `latency` labels its points as the terminal does."""
    # Markers as well as lines, so a one-second run still shows its single point.
    trace = go.Scatter(
        x=list(x),
        y=list(y),
        name=name,
        mode="lines+markers",
        marker={"size": 8 if len(x) <= 3 else 4},  # a lone point must be visible
        line={"color": color, "width": 2, "dash": dash},
        yaxis=yaxis,
        fill=fill,
    )
    if latency:
        trace.update(
            text=[formatting.ms(value, " ") for value in y],
            hovertemplate=f"{name}: %{{text}}<extra></extra>",
        )
    return trace
