"""The CSV files of what a scenario measured itself: checks.csv, metrics.csv, groups.csv.

Each is written beside endpoints.csv only when the run used the feature, so
a run without checks, custom metrics or groups has the same files as before.
Figures are the whole run's, from the final summary; latencies in ms.
metrics.csv also has a row per request timing of each endpoint, named as
its thresholds name it (`ttfb{List Items}`), after the run-wide trends.
"""

from __future__ import annotations

from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.scenario_figures import CustomMetricFigures
from loadforge.metrics.timings import TimingFigures, timing_key

CHECKS_CSV = "checks.csv"
METRICS_CSV = "metrics.csv"
GROUPS_CSV = "groups.csv"

CHECK_COLUMNS = ("check", "endpoint", "passes", "fails", "pass_rate")
METRIC_COLUMNS = (
    "metric",
    "type",
    "count",
    "per_second",
    "value",
    "min",
    "max",
    "trues",
    "ratio",
    "avg_ms",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
)
GROUP_COLUMNS = (
    "group",
    "count",
    "per_second",
    "avg_ms",
    "min_ms",
    "max_ms",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
)

Table = tuple[tuple[str, ...], list[tuple[object, ...]]]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _metric_row(name: str, m: CustomMetricFigures) -> tuple[object, ...]:
    return (
        name,
        m.kind.value,
        m.count,
        m.per_second,
        m.value,
        m.low,
        m.high,
        m.trues,
        m.ratio,
        m.avg,
        m.p50,
        m.p90,
        m.p95,
        m.p99,
    )


def _ms(t: TimingFigures) -> tuple[float, ...]:
    """avg, p50, p90, p95 and p99 of a timing, as metrics.csv's last columns."""
    return (t.avg, t.p50, t.p90, t.p95, t.p99)


def _timing_rows(summary: MetricSnapshot) -> list[tuple[object, ...]]:
    """A trend-shaped row per timing of each endpoint (no per-second rate: blank)."""
    return [
        (timing_key(timing, name), "trend", t.count, "", "", t.min, t.max, "", "", *_ms(t))
        for name, endpoint in summary.endpoints.items()
        for timing, t in endpoint.timings.items()
    ]


def scenario_tables(summary: MetricSnapshot) -> dict[str, Table]:
    """File name -> (header, rows) for each feature the run used."""
    figures = summary.scenario
    tables: dict[str, Table] = {}
    if figures.checks:
        rows: list[tuple[object, ...]] = []
        for name, check in figures.checks.items():
            rows.append((name, "", check.passes, check.fails, check.pass_rate))
            for endpoint in {**check.endpoint_passes, **check.endpoint_fails}:
                passes = check.endpoint_passes.get(endpoint, 0)
                fails = check.endpoint_fails.get(endpoint, 0)
                rows.append((name, endpoint, passes, fails, _ratio(passes, passes + fails)))
        tables[CHECKS_CSV] = (CHECK_COLUMNS, rows)
    if figures.metrics:
        tables[METRICS_CSV] = (
            METRIC_COLUMNS,
            [_metric_row(name, metric) for name, metric in figures.metrics.items()]
            + _timing_rows(summary),
        )
    if figures.groups:
        tables[GROUPS_CSV] = (
            GROUP_COLUMNS,
            [
                (name, g.count, g.per_second, g.avg, g.low, g.high, g.p50, g.p90, g.p95, g.p99)
                for name, g in figures.groups.items()
            ],
        )
    return tables
