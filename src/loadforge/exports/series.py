"""The series every export publishes, built in one place from the run's latest figures.

`figures` turns one second's snapshot and the run's totals into metric
families with Prometheus names; the scrape endpoint, remote write and OTLP
each only change their form. A new figure (checks, custom metrics) is one
more family here, and every export then carries it.

Counters and the latency histogram are cumulative over the run; gauges are
the last second's. The histogram's buckets are the OpenTelemetry HTTP
semantic-convention bounds, counted from the whole run's HDR histograms (see
`LatencyHistogram.counts_at_or_below`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.totals import DurationTotals, EndpointTotals, RunTotals

BOUNDS_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
"""The latency histogram's bucket bounds: OpenTelemetry's for HTTP request durations."""
BOUNDS_US = tuple(round(bound * 1_000_000) for bound in BOUNDS_SECONDS)
LE_LABELS = tuple(repr(bound) for bound in BOUNDS_SECONDS)
"""Each bound's `le` label, written as prometheus-client writes floats (`1.0`, `0.005`);
the last bucket, of every request, is `+Inf`."""

Labels = tuple[tuple[str, str], ...]


class Kind(enum.Enum):
    """A family's metric type."""

    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"


@dataclass(frozen=True, slots=True)
class Point:
    """One series of a counter or gauge family."""

    labels: Labels
    value: float


@dataclass(frozen=True, slots=True)
class HistogramPoint:
    """One series of a histogram family: cumulative counts at each bound, then all of them."""

    labels: Labels
    buckets: tuple[int, ...]
    count: int
    sum: float
    min: float = 0.0
    max: float = 0.0


@dataclass(frozen=True, slots=True)
class Family:
    """A metric and its series. A counter's `name` has no `_total`; the exporters add it."""

    name: str
    kind: Kind
    documentation: str
    unit: str = ""
    points: tuple[Point, ...] = ()
    histograms: tuple[HistogramPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What identifies the run in every export."""

    scenario: str
    run_id: str
    open_model: bool = False


@dataclass(frozen=True, slots=True)
class Figures:
    """Every family at one moment (Unix seconds), what each export sends or serves."""

    timestamp: float
    start_time: float
    families: tuple[Family, ...]


def figures(
    info: RunInfo,
    snapshot: MetricSnapshot,
    totals: RunTotals,
    *,
    start_time: float,
    iterations_per_second: float | None = None,
) -> Figures:
    """The families of the run after `snapshot`, with `totals` counted up to it."""
    families = [
        Family(
            "loadforge_run_info",
            Kind.GAUGE,
            "The run's scenario and id (the results directory); always 1.",
            points=(Point((("scenario", info.scenario), ("run_id", info.run_id)), 1.0),),
        ),
        *_endpoint_families(totals),
        Family(
            "loadforge_task_errors",
            Kind.COUNTER,
            "Exceptions raised in tasks outside any request, by exception class.",
            points=tuple(
                Point((("error", error),), count)
                for error, count in sorted(totals.task_errors_by_type.items())
            ),
        ),
        *_scenario_families(totals),
        _gauge("loadforge_active_users", "Users running now.", snapshot.active_users),
        _gauge("loadforge_target_users", "Users the pattern asks for now.", snapshot.target_users),
    ]
    if info.open_model:
        families.append(
            _gauge(
                "loadforge_iterations_per_second",
                "Open model: iterations the pattern starts per second now.",
                iterations_per_second or 0.0,
            )
        )
        families.append(
            Family(
                "loadforge_dropped_iterations",
                Kind.COUNTER,
                "Open model: iterations not started because every user was busy.",
                points=(Point((), totals.dropped_iterations),),
            )
        )
    return Figures(snapshot.timestamp, start_time, tuple(families))


def _gauge(name: str, documentation: str, value: float) -> Family:
    return Family(name, Kind.GAUGE, documentation, points=(Point((), value),))


def _endpoint_families(totals: RunTotals) -> Iterator[Family]:
    endpoints = totals.endpoints
    yield Family(
        "loadforge_requests",
        Kind.COUNTER,
        "Requests made (failed ones included), by endpoint.",
        points=tuple(Point(_labels(e), e.requests) for e in endpoints),
    )
    yield Family(
        "loadforge_request_errors",
        Kind.COUNTER,
        "Failed requests, by endpoint and error type (http_503, timeout, a check's reason...).",
        points=tuple(
            Point((*_labels(e), ("error", error)), count)
            for e in endpoints
            for error, count in sorted(e.errors_by_type.items())
        ),
    )
    yield Family(
        "loadforge_request_errors_by_class",
        Kind.COUNTER,
        "Failed requests, by endpoint and the status class of their response"
        " (none: no response, such as a timeout).",
        points=tuple(
            Point((*_labels(e), ("status_class", status_class)), count)
            for e in endpoints
            for status_class, count in _status_classes(e)
        ),
    )
    yield Family(
        "loadforge_request_duration_seconds",
        Kind.HISTOGRAM,
        "Request latency, from taking a connection to the last byte of the response, by endpoint.",
        unit="seconds",
        histograms=tuple(
            HistogramPoint(
                _labels(e),
                e.latency_buckets,
                e.latency_count,
                e.latency_sum_seconds,
                e.latency_min_seconds,
                e.latency_max_seconds,
            )
            for e in endpoints
        ),
    )
    yield Family(
        "loadforge_received_bytes",
        Kind.COUNTER,
        "Response bytes received, by endpoint.",
        unit="bytes",
        points=tuple(Point(_labels(e), e.bytes_received) for e in endpoints),
    )


def _scenario_families(totals: RunTotals) -> Iterator[Family]:
    """Checks, custom metrics and groups, each kind one family with the name as a label.

    A label, not a metric name per custom metric: scenario names may hold
    dots, and a label keeps them clear of LoadForge's own names.
    """
    if totals.checks:
        yield Family(
            "loadforge_checks",
            Kind.COUNTER,
            "Outcomes of response.check(...), by check name and outcome (pass, fail).",
            points=tuple(
                Point((("check", name), ("outcome", outcome)), count)
                for name, (passes, fails) in sorted(totals.checks.items())
                for outcome, count in (("pass", passes), ("fail", fails))
            ),
        )
    if totals.counters:
        yield Family(
            "loadforge_custom_counter",
            Kind.COUNTER,
            "A scenario's custom counters (metrics.counter), by metric name.",
            points=tuple(Point((("metric", n),), v) for n, v in sorted(totals.counters.items())),
        )
    if totals.gauges:
        yield Family(
            "loadforge_custom_gauge",
            Kind.GAUGE,
            "A scenario's custom gauges (metrics.gauge): the value set last, by metric name.",
            points=tuple(Point((("metric", n),), v) for n, v in sorted(totals.gauges.items())),
        )
    if totals.rates:
        yield Family(
            "loadforge_custom_rate_values",
            Kind.COUNTER,
            "Values added to a scenario's custom rates (metrics.rate), by metric name and value.",
            points=tuple(
                Point((("metric", name), ("value", value)), count)
                for name, (trues, values) in sorted(totals.rates.items())
                for value, count in (("true", trues), ("false", values - trues))
            ),
        )
    for name, documentation, label, durations in (
        (
            "loadforge_custom_trend_seconds",
            "A scenario's custom trends (metrics.trend), by metric name.",
            "metric",
            totals.trends,
        ),
        (
            "loadforge_group_duration_seconds",
            "Durations of client.group blocks, by group path.",
            "group",
            totals.groups,
        ),
    ):
        if durations:
            yield Family(
                name,
                Kind.HISTOGRAM,
                documentation,
                unit="seconds",
                histograms=tuple(_duration_point(label, d) for d in durations),
            )


def _duration_point(label: str, durations: DurationTotals) -> HistogramPoint:
    return HistogramPoint(
        ((label, durations.name),), durations.buckets, durations.count, durations.sum_seconds
    )


def _labels(endpoint: EndpointTotals) -> Labels:
    return (("endpoint", endpoint.name), ("method", endpoint.method))


def _status_classes(endpoint: EndpointTotals) -> list[tuple[str, int]]:
    """Errors by `2xx`..`5xx` of their response, and `none` for those without one."""
    classes: dict[str, int] = {}
    for status, count in endpoint.errors_by_status.items():
        key = f"{status // 100}xx"
        classes[key] = classes.get(key, 0) + count
    without = endpoint.errors - sum(endpoint.errors_by_status.values())
    if without > 0:
        classes["none"] = without
    return sorted(classes.items())
