"""`--prometheus`: /metrics for Prometheus to scrape, served by prometheus-client on a thread.

The run's loop only swaps in the latest `Figures` once a second (one
attribute store); the server's thread turns them into the text format, or
OpenMetrics when the scraper's Accept header asks for it, at each scrape.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator, Sequence
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector, CollectorRegistry

from loadforge.errors import ConfigError
from loadforge.exports.series import LE_LABELS, Family, Figures, Kind
from loadforge.exports.settings import ListenAddress


def metric_families(families: Sequence[Family]) -> Iterator[Metric]:
    """The prometheus-client families for ours, with the same names, labels and values."""
    for family in families:
        if family.kind is Kind.HISTOGRAM:
            names = [name for name, _ in family.histograms[0].labels] if family.histograms else []
            histogram = HistogramMetricFamily(
                family.name, family.documentation, labels=names, unit=family.unit
            )
            for series in family.histograms:
                buckets = [*zip(LE_LABELS, series.buckets, strict=True), ("+Inf", series.count)]
                histogram.add_metric([value for _, value in series.labels], buckets, series.sum)
            yield histogram
            continue
        names = [name for name, _ in family.points[0].labels] if family.points else []
        kind = CounterMetricFamily if family.kind is Kind.COUNTER else GaugeMetricFamily
        metric = kind(family.name, family.documentation, labels=names, unit=family.unit)
        for point in family.points:
            metric.add_metric([value for _, value in point.labels], point.value)
        yield metric


class FiguresCollector(Collector):
    """A prometheus-client collector over the latest figures the run published."""

    def __init__(self) -> None:
        self.latest: Figures | None = None
        self.scrapes = 0

    def collect(self) -> Iterator[Metric]:
        """Called on the server's thread for each scrape."""
        self.scrapes += 1
        latest = self.latest
        if latest is not None:
            yield from metric_families(latest.families)


class ScrapeEndpoint:
    """The /metrics server of one run; `publish` from the run's loop, `close` at the end."""

    def __init__(self, address: ListenAddress) -> None:
        self._collector = FiguresCollector()
        registry = CollectorRegistry(auto_describe=False)
        registry.register(self._collector)
        try:
            self._server, self._thread = start_http_server(
                address.port, addr=address.host, registry=registry
            )
        except OSError as exc:
            reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise ConfigError(
                f"--prometheus {address}: cannot listen there ({reason or exc})."
                " Pick another port, or 0 for any free one."
            ) from None
        self.port: int = self._server.server_port

    @property
    def url(self) -> str:
        """Where Prometheus finds the metrics."""
        host = str(self._server.server_address[0])
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/metrics"

    @property
    def scrapes(self) -> int:
        """How many scrapes were answered."""
        return self._collector.scrapes

    def publish(self, figures: Figures) -> None:
        """Serve these figures from now on."""
        self._collector.latest = figures

    def close(self) -> None:
        """Stop serving and release the port."""
        server: WSGIServer = self._server
        server.shutdown()
        server.server_close()
        thread: threading.Thread = self._thread
        thread.join(timeout=5)
