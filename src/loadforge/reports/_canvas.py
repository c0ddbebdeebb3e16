"""The report's plotly conventions: colours, layout, empty figures, and the Chart wrapper.

Private to `loadforge.reports`: plotly has no type information, so figure
objects stay inside the modules that draw them and leave as `Chart`s, whose
figure is plain JSON text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

PALETTE = ("#2563eb", "#f59e0b", "#dc2626", "#10b981", "#8b5cf6", "#ec4899", "#0891b2", "#65a30d")
P50_COLOR, P95_COLOR, P99_COLOR = "#10b981", "#f59e0b", "#dc2626"
TARGET_COLOR = "#6b7280"
PLOT_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a page: an element id, a title, an explanation and the plotly JSON."""

    key: str
    title: str
    explanation: str
    figure_json: str


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
        xaxis={"title": {"text": x_title}, "gridcolor": "#e5e7eb", "zeroline": False},
        yaxis={"title": {"text": y_title}, "gridcolor": "#e5e7eb", "rangemode": "tozero"},
    )


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


def line(
    x: Sequence[float],
    y: Sequence[float],
    name: str,
    color: str,
    *,
    dash: str = "solid",
    yaxis: str = "y",
    fill: str = "none",
) -> go.Scatter:
    """A line trace in the report's style."""
    # Markers as well as lines, so a one-second run still shows its single point.
    return go.Scatter(
        x=list(x),
        y=list(y),
        name=name,
        mode="lines+markers",
        marker={"size": 8 if len(x) <= 3 else 4},  # a lone point must be visible
        line={"color": color, "width": 2, "dash": dash},
        yaxis=yaxis,
        fill=fill,
    )
