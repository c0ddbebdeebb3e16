"""Where a report's plotly.js comes from: inlined (works offline) or the CDN (small file)."""

from __future__ import annotations

import enum
import functools

import plotly.offline
from markupsafe import Markup

from loadforge.errors import ConfigError


class PlotlySource(enum.Enum):
    """How a report loads plotly.js."""

    INLINE = "inline"
    CDN = "cdn"

    @classmethod
    def parse(cls, text: str, *, where: str = "--plotly") -> PlotlySource:
        """`inline` or `cdn`; ConfigError otherwise."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ConfigError(f"{where} must be 'inline' or 'cdn', got {text!r}.") from None


@functools.cache
def _inline_script() -> str:
    return f"<script>{plotly.offline.get_plotlyjs()}</script>"


def inline_size() -> int:
    """How many bytes plotly.js adds to a report that inlines it (about 4.8 MB)."""
    return len(_inline_script().encode())


def plotly_version() -> str:
    """The version of the plotly.js bundled with the plotly package."""
    return str(plotly.offline.get_plotlyjs_version())


def plotly_script(source: PlotlySource) -> Markup:
    """The `<script>` element that loads plotly.js."""
    if source is PlotlySource.INLINE:
        # plotly.js is trusted, and inlined the way plotly's own to_html does it.
        return Markup(_inline_script())  # noqa: S704 - plotly.js as shipped in the plotly wheel
    url = f"https://cdn.plot.ly/plotly-{plotly_version()}.min.js"
    return Markup('<script src="{}" charset="utf-8"></script>').format(url)
