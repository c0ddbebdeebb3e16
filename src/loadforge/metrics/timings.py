"""Where a request's time went, per endpoint: `dns`, `connecting`, `tls`, `ttfb`, `receiving`.

Each endpoint of an interval holds one histogram per timing it recorded
(`EndpointInterval.timings`); the snapshot turns them into `TimingFigures`
(milliseconds) and `TestResult.timing_histograms` keeps them HDR-encoded
for the whole run. A timing of one endpoint is named `ttfb{List Items}`
wherever a single name is needed: in thresholds and in metrics.csv. The
three connection timings are recorded when a request opens a connection,
the two response timings only where the client records timings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from loadforge.metrics.fields import read_float, read_int, read_object, read_str
from loadforge.metrics.histogram import LatencyHistogram

__all__ = [
    "CONNECTION_TIMINGS",
    "RESPONSE_TIMINGS",
    "TIMING_NAMES",
    "TimingFigures",
    "read_timing_histograms",
    "split_timing_key",
    "timing_figures",
    "timing_key",
]

CONNECTION_TIMINGS = ("dns", "connecting", "tls")
"""Recorded once per connection opened: name resolution (a host name only),
the TCP connect, the TLS handshake (https only)."""
RESPONSE_TIMINGS = ("ttfb", "receiving")
"""Recorded once per response, where `client.record_timings` is on."""
TIMING_NAMES = CONNECTION_TIMINGS + RESPONSE_TIMINGS
"""Every request timing, in the order a request spends them."""

_PERCENTILES = (50.0, 90.0, 95.0, 99.0)
_KEY = re.compile(r"(?P<timing>[a-z]+)\{(?P<endpoint>.+)\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class TimingFigures:
    """One timing of one endpoint over an interval or the run (milliseconds)."""

    count: int
    avg: float
    p50: float
    p95: float
    p99: float
    max: float
    min: float = 0.0
    p90: float = 0.0

    @classmethod
    def of(cls, histogram: LatencyHistogram) -> TimingFigures:
        """The figures of a timing's histogram."""
        p50, p90, p95, p99 = histogram.percentiles_ms(_PERCENTILES)
        return cls(
            histogram.count,
            histogram.mean_ms,
            p50,
            p95,
            p99,
            histogram.max_ms,
            histogram.min_ms,
            p90,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "count": self.count,
            "avg": self.avg,
            "p50": self.p50,
            "p95": self.p95,
            "p99": self.p99,
            "max": self.max,
            "min": self.min,
            "p90": self.p90,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> TimingFigures:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        return cls(
            count=read_int(source, "count", where),
            avg=read_float(source, "avg", where),
            p50=read_float(source, "p50", where),
            p95=read_float(source, "p95", where),
            p99=read_float(source, "p99", where),
            max=read_float(source, "max", where),
            min=read_float(source, "min", where) if "min" in source else 0.0,
            p90=read_float(source, "p90", where) if "p90" in source else 0.0,
        )


def timing_figures(histograms: Mapping[str, LatencyHistogram]) -> dict[str, TimingFigures]:
    """The figures of each timing recorded, in `TIMING_NAMES` order."""
    return {
        name: TimingFigures.of(histograms[name])
        for name in TIMING_NAMES
        if name in histograms and histograms[name].count
    }


def read_timings(source: Mapping[str, object], where: str) -> dict[str, TimingFigures]:
    """An endpoint's optional `timings` field (absent when it recorded none)."""
    if "timings" not in source:
        return {}
    timings = read_object(source, "timings", where)
    return {
        name: TimingFigures.from_dict(read_object(timings, name, f"{where} timings"), where)
        for name in timings
    }


def read_timing_histograms(source: Mapping[str, object], where: str) -> dict[str, dict[str, str]]:
    """result.json's optional `timing_histograms`: endpoint -> timing -> HDR-encoded."""
    if "timing_histograms" not in source:
        return {}
    endpoints = read_object(source, "timing_histograms", where)
    inner = f"{where} field 'timing_histograms'"
    histograms: dict[str, dict[str, str]] = {}
    for endpoint in endpoints:
        timings = read_object(endpoints, endpoint, inner)
        histograms[endpoint] = {
            name: read_str(timings, name, f"{inner} {endpoint!r}") for name in timings
        }
    return histograms


def timing_key(timing: str, endpoint: str) -> str:
    """The one name of an endpoint's timing: `ttfb{List Items}`."""
    return f"{timing}{{{endpoint}}}"


def split_timing_key(text: str) -> tuple[str, str] | None:
    """(`ttfb`, `List Items`) from `ttfb{List Items}`; None when `text` names no timing."""
    match = _KEY.fullmatch(text)
    if match is None or match["timing"] not in TIMING_NAMES:
        return None
    return match["timing"], match["endpoint"]
