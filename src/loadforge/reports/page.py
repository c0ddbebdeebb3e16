"""Rendering report pages with jinja2: the templates, their filters, plotly.js.

Templates live in `templates/`; every value reaches them through autoescaping,
and chart JSON is embedded in `<script type="application/json">` elements with
`<`, `>` and `&` escaped, so names from a scenario cannot break the page.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import jinja2
from markupsafe import Markup

from loadforge import formatting
from loadforge.reports.plotly_source import PlotlySource, plotly_script
from loadforge.version import __version__


def ms(value: float) -> str:
    """A latency in milliseconds, with a space before the unit ("12.3 ms")."""
    return formatting.ms(value, " ")


def percent(rate: float) -> str:
    """A fraction as a percentage, with a space before the sign ("1.23 %")."""
    return formatting.percent(rate, " ")


def rate(value: float) -> str:
    """A rate per second in plain digits, to the 0.001 a fractional arrival rate is set in."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{text}/s"


def signed_percent(change: float | None) -> str:
    """A relative change as +12.3 % / -4.0 %, or a dash when there is none."""
    return "—" if change is None else f"{change * 100:+.1f} %"


def optional(value: float | None, style: str) -> str:
    """A value that may be missing: `ms`, `percent`, `count` or a %-format; a dash for None."""
    if value is None:
        return "—"
    if style == "count":
        return f"{value:,.0f}"
    if style == "ms":
        return ms(value)
    if style == "percent":
        return percent(value)
    return style % value


def script_json(text: str) -> Markup:
    """JSON made safe to sit inside a `<script>` element."""
    safe = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(safe)  # noqa: S704 - every character that could end the element is escaped


@functools.cache
def environment() -> jinja2.Environment:
    """The jinja2 environment with LoadForge's templates and filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("loadforge.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        ms=ms,
        percent=percent,
        rate=rate,
        signed_percent=signed_percent,
        script_json=script_json,
        optional=optional,
    )
    return env


def render_page(template: str, plotly: PlotlySource, **context: object) -> str:
    """Render one of the templates as a complete HTML page."""
    return (
        environment()
        .get_template(template)
        .render(
            plotly_script=plotly_script(plotly),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
            **context,
        )
    )
