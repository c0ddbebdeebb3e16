"""What users see of the checks, custom metrics and groups their scenario measured.

Built from a `ScenarioInterval` once per interval (and once for the whole
run), as `_snapshot` builds request figures: the terminal view, the report,
the CSV files and the dashboard read these objects and compute nothing.
Latency-like values (trends, group durations) are in milliseconds.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import (
    as_object,
    read_counts,
    read_float,
    read_int,
    read_object,
    read_str,
)
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.scenario_interval import ScenarioInterval

_PERCENTILES = (50.0, 90.0, 95.0, 99.0)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


@dataclass(frozen=True, slots=True)
class CheckMetrics:
    """One check's passes and fails, its pass rate, and the same per endpoint name."""

    passes: int
    fails: int
    pass_rate: float
    endpoint_passes: dict[str, int] = field(default_factory=dict)
    endpoint_fails: dict[str, int] = field(default_factory=dict)
    errors_by_type: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``passes`` and ``fails`` first, as result.json promises."""
        return {
            "passes": self.passes,
            "fails": self.fails,
            "pass_rate": self.pass_rate,
            "endpoint_passes": dict(self.endpoint_passes),
            "endpoint_fails": dict(self.endpoint_fails),
            "errors_by_type": dict(self.errors_by_type),
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> CheckMetrics:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        return cls(
            passes=read_int(source, "passes", where),
            fails=read_int(source, "fails", where),
            pass_rate=read_float(source, "pass_rate", where),
            endpoint_passes=read_counts(source, "endpoint_passes", where),
            endpoint_fails=read_counts(source, "endpoint_fails", where),
            errors_by_type=read_counts(source, "errors_by_type", where),
        )


class CustomKind(enum.StrEnum):
    """The four kinds of custom metric; the value is the `type` written in result.json."""

    COUNTER = "counter"
    GAUGE = "gauge"
    RATE = "rate"
    TREND = "trend"


@dataclass(frozen=True, slots=True)
class CustomMetricFigures:
    """One custom metric's figures; which fields mean something depends on `kind`.

    counter: `count` (the total added) and `per_second`; gauge: `value` (set
    last), `low`, `high`; rate: `count` (values), `trues`, `ratio`; trend:
    `count`, `per_second`, `avg`, `low`, `high` and `p50`...`p99` in ms.
    """

    kind: CustomKind
    count: float = 0.0
    per_second: float = 0.0
    value: float = 0.0
    low: float = 0.0
    high: float = 0.0
    trues: int = 0
    ratio: float = 0.0
    avg: float = 0.0
    p50: float = 0.0
    p90: float = 0.0
    p95: float = 0.0
    p99: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form with only the fields of this kind."""
        names = _KIND_FIELDS[self.kind]
        return {"type": self.kind.value, **{name: getattr(self, name) for name in names}}

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> CustomMetricFigures:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        text = read_str(source, "type", where)
        try:
            kind = CustomKind(text)
        except ValueError as exc:
            raise ResultFormatError(f"{where} has unknown metric type {text!r:.40}.") from exc
        values: dict[str, float | int] = {
            name: read_float(source, name, where) for name in _KIND_FIELDS[kind]
        }
        if "trues" in values:
            values["trues"] = read_int(source, "trues", where)
        return cls(kind, **values)  # type: ignore[arg-type]


_KIND_FIELDS: dict[CustomKind, tuple[str, ...]] = {
    CustomKind.COUNTER: ("count", "per_second"),
    CustomKind.GAUGE: ("value", "low", "high"),
    CustomKind.RATE: ("count", "trues", "ratio"),
    CustomKind.TREND: ("count", "per_second", "avg", "low", "high", "p50", "p90", "p95", "p99"),
}


@dataclass(frozen=True, slots=True)
class GroupMetrics:
    """How often one group block ran and how long it took (ms), by its path."""

    count: int
    per_second: float
    avg: float
    low: float
    high: float
    p50: float
    p90: float
    p95: float
    p99: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {name: getattr(self, name) for name in _GROUP_FIELDS}

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> GroupMetrics:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        return cls(
            count=read_int(source, "count", where),
            **{name: read_float(source, name, where) for name in _GROUP_FIELDS[1:]},
        )


_GROUP_FIELDS = ("count", "per_second", "avg", "low", "high", "p50", "p90", "p95", "p99")


@dataclass(frozen=True, slots=True)
class ScenarioFigures:
    """Checks, custom metrics and groups of one snapshot, each by name."""

    checks: dict[str, CheckMetrics] = field(default_factory=dict)
    metrics: dict[str, CustomMetricFigures] = field(default_factory=dict)
    groups: dict[str, GroupMetrics] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.checks or self.metrics or self.groups)

    def to_dict(self) -> dict[str, object]:
        """The snapshot keys `checks`, `metrics` and `groups`, each present when not empty."""
        body: dict[str, object] = {}
        if self.checks:
            body["checks"] = {name: item.to_dict() for name, item in self.checks.items()}
        if self.metrics:
            body["metrics"] = {name: item.to_dict() for name, item in self.metrics.items()}
        if self.groups:
            body["groups"] = {name: item.to_dict() for name, item in self.groups.items()}
        return body

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> ScenarioFigures:
        """Read the optional keys `to_dict` writes into a snapshot."""

        def section(key: str) -> Mapping[str, object]:
            return read_object(source, key, where) if key in source else {}

        return cls(
            checks={
                name: CheckMetrics.from_dict(as_object(value, where), f"{where} check {name!r}")
                for name, value in section("checks").items()
            },
            metrics={
                name: CustomMetricFigures.from_dict(
                    as_object(value, where), f"{where} metric {name!r}"
                )
                for name, value in section("metrics").items()
            },
            groups={
                name: GroupMetrics.from_dict(as_object(value, where), f"{where} group {name!r}")
                for name, value in section("groups").items()
            },
        )


def _histogram_figures(histogram: LatencyHistogram, seconds: float) -> dict[str, float]:
    p50, p90, p95, p99 = histogram.percentiles_ms(_PERCENTILES)
    return {
        "per_second": _ratio(histogram.count, seconds),
        "avg": histogram.mean_ms,
        "low": histogram.min_ms,
        "high": histogram.max_ms,
        "p50": p50,
        "p90": p90,
        "p95": p95,
        "p99": p99,
    }


def scenario_figures(interval: ScenarioInterval, seconds: float) -> ScenarioFigures:
    """The figures of `interval`, which covers `seconds` of the run.

    A name shows once something was recorded under it in the interval.
    """
    checks = {
        name: CheckMetrics(
            passes=counts.passes,
            fails=counts.fails,
            pass_rate=_ratio(counts.passes, counts.passes + counts.fails),
            endpoint_passes=dict(counts.endpoint_passes),
            endpoint_fails=dict(counts.endpoint_fails),
            errors_by_type=dict(counts.errors_by_type),
        )
        for name, counts in interval.checks.items()
    }
    metrics: dict[str, CustomMetricFigures] = {}
    for name, total in interval.counters.items():
        metrics[name] = CustomMetricFigures(
            CustomKind.COUNTER, count=total, per_second=_ratio(total, seconds)
        )
    for name, reading in interval.gauges.items():
        metrics[name] = CustomMetricFigures(
            CustomKind.GAUGE, value=reading.value, low=reading.low, high=reading.high
        )
    for name, values in interval.rate_totals.items():
        trues = interval.rate_trues.get(name, 0)
        metrics[name] = CustomMetricFigures(
            CustomKind.RATE, count=float(values), trues=trues, ratio=_ratio(trues, values)
        )
    for name, histogram in interval.trends.items():
        figures = _histogram_figures(histogram, seconds)
        metrics[name] = CustomMetricFigures(
            CustomKind.TREND,
            count=float(histogram.count),
            per_second=figures["per_second"],
            avg=figures["avg"],
            low=figures["low"],
            high=figures["high"],
            p50=figures["p50"],
            p90=figures["p90"],
            p95=figures["p95"],
            p99=figures["p99"],
        )
    groups = {
        name: GroupMetrics(count=histogram.count, **_histogram_figures(histogram, seconds))
        for name, histogram in interval.groups.items()
    }
    return ScenarioFigures(checks, metrics, groups)
