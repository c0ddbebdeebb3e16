"""One interval's raw counts of what scenario code measures itself: checks, custom metrics, groups.

These ride inside `IntervalStats` beside the request counts and merge the
same way: counters add, histograms merge exactly, a gauge keeps the reading
set last (by wall-clock time) with the lowest and highest seen. Nothing here
is a percentile or a rate, so intervals from several workers merge exactly;
`scenario_figures` turns them into what users see.
"""

from __future__ import annotations

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


def _add(into: dict[str, int], other: Mapping[str, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


@dataclass(slots=True, eq=False)
class CheckCounts:
    """One check's passes and fails in an interval, overall and per endpoint name.

    `errors_by_type` counts the fails whose condition raised, by exception class.
    """

    passes: int = 0
    fails: int = 0
    endpoint_passes: dict[str, int] = field(default_factory=dict)
    endpoint_fails: dict[str, int] = field(default_factory=dict)
    errors_by_type: dict[str, int] = field(default_factory=dict)

    def count(self, endpoint: str, passed: bool, error: str | None) -> None:
        """Count one outcome of this check on a response of `endpoint`."""
        if passed:
            self.passes += 1
            by_endpoint = self.endpoint_passes
        else:
            self.fails += 1
            by_endpoint = self.endpoint_fails
            if error is not None:
                self.errors_by_type[error] = self.errors_by_type.get(error, 0) + 1
        by_endpoint[endpoint] = by_endpoint.get(endpoint, 0) + 1

    def merge(self, other: CheckCounts) -> None:
        """Add `other` (the same check elsewhere or at another time), exactly."""
        self.passes += other.passes
        self.fails += other.fails
        _add(self.endpoint_passes, other.endpoint_passes)
        _add(self.endpoint_fails, other.endpoint_fails)
        _add(self.errors_by_type, other.errors_by_type)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "passes": self.passes,
            "fails": self.fails,
            "endpoint_passes": dict(self.endpoint_passes),
            "endpoint_fails": dict(self.endpoint_fails),
            "errors_by_type": dict(self.errors_by_type),
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> CheckCounts:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        return cls(
            passes=read_int(source, "passes", where),
            fails=read_int(source, "fails", where),
            endpoint_passes=read_counts(source, "endpoint_passes", where),
            endpoint_fails=read_counts(source, "endpoint_fails", where),
            errors_by_type=read_counts(source, "errors_by_type", where),
        )


@dataclass(slots=True, eq=False)
class GaugeReading:
    """A gauge over an interval: the value set last (at `at`, epoch seconds), lowest and highest."""

    value: float
    at: float
    low: float
    high: float

    def set(self, value: float, at: float) -> None:
        """Take a new reading."""
        if at >= self.at:
            self.value, self.at = value, at
        self.low = min(self.low, value)
        self.high = max(self.high, value)

    def merge(self, other: GaugeReading) -> None:
        """Combine with another worker's (or a later interval's) reading of the same gauge."""
        self.set(other.value, other.at)
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)

    def to_list(self) -> list[float]:
        """JSON-ready form: ``[value, at, low, high]``."""
        return [self.value, self.at, self.low, self.high]

    @classmethod
    def from_list(cls, source: object, where: str) -> GaugeReading:
        """Rebuild from `to_list` output."""
        if not (
            isinstance(source, list)
            and len(source) == 4
            and all(isinstance(item, int | float) and not isinstance(item, bool) for item in source)
        ):
            raise ResultFormatError(f"{where} should be [value, at, low, high].")
        return cls(*(float(item) for item in source))


@dataclass(slots=True, eq=False)
class ScenarioInterval:
    """Everything scenario code measured itself during one interval.

    `counters` hold totals added; `rates` hold how many true values and how
    many values in all; `trends` hold recorded values in microseconds;
    `groups` hold each group's block durations in microseconds, by group path
    ("checkout", "checkout › pay").
    """

    checks: dict[str, CheckCounts] = field(default_factory=dict)
    counters: dict[str, float] = field(default_factory=dict)
    gauges: dict[str, GaugeReading] = field(default_factory=dict)
    rate_trues: dict[str, int] = field(default_factory=dict)
    rate_totals: dict[str, int] = field(default_factory=dict)
    trends: dict[str, LatencyHistogram] = field(default_factory=dict)
    groups: dict[str, LatencyHistogram] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.checks
            or self.counters
            or self.gauges
            or self.rate_totals
            or self.trends
            or self.groups
        )

    def merge(self, other: ScenarioInterval) -> None:
        """Add `other` (another worker's interval, or a later one) to this one, exactly."""
        for name, theirs in other.checks.items():
            self.checks.setdefault(name, CheckCounts()).merge(theirs)
        for name, amount in other.counters.items():
            self.counters[name] = self.counters.get(name, 0.0) + amount
        for name, reading in other.gauges.items():
            mine = self.gauges.get(name)
            if mine is None:
                self.gauges[name] = GaugeReading(*reading.to_list())
            else:
                mine.merge(reading)
        _add(self.rate_trues, other.rate_trues)
        _add(self.rate_totals, other.rate_totals)
        for histograms, theirs_by_name in (
            (self.trends, other.trends),
            (self.groups, other.groups),
        ):
            for name, histogram in theirs_by_name.items():
                histograms.setdefault(name, LatencyHistogram()).merge(histogram)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form with encoded histograms."""
        return {
            "checks": {name: counts.to_dict() for name, counts in self.checks.items()},
            "counters": dict(self.counters),
            "gauges": {name: reading.to_list() for name, reading in self.gauges.items()},
            "rate_trues": dict(self.rate_trues),
            "rate_totals": dict(self.rate_totals),
            "trends": {name: histogram.encode() for name, histogram in self.trends.items()},
            "groups": {name: histogram.encode() for name, histogram in self.groups.items()},
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> ScenarioInterval:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        checks = read_object(source, "checks", where)
        counters = read_object(source, "counters", where)
        gauges = read_object(source, "gauges", where)
        return cls(
            checks={
                name: CheckCounts.from_dict(as_object(value, where), f"{where} check {name!r}")
                for name, value in checks.items()
            },
            counters={name: read_float(counters, name, where) for name in counters},
            gauges={
                name: GaugeReading.from_list(value, f"{where} gauge {name!r}")
                for name, value in gauges.items()
            },
            rate_trues=read_counts(source, "rate_trues", where),
            rate_totals=read_counts(source, "rate_totals", where),
            trends=_histograms(source, "trends", where),
            groups=_histograms(source, "groups", where),
        )


def _histograms(source: Mapping[str, object], key: str, where: str) -> dict[str, LatencyHistogram]:
    encoded = read_object(source, key, where)
    return {
        name: LatencyHistogram.decode(read_str(encoded, name, f"{where} field '{key}'"))
        for name in encoded
    }
