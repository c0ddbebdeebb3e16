"""What a threshold is and what checking one gave: small immutable values.

A threshold compares one metric of the whole run (or of one endpoint) with a
limit. Limits are stored in the metric's base unit: milliseconds for
latencies, a fraction for `error_rate` and `task_error_rate`, requests per
second for `rps`, a count for `requests`, `errors` and `task_errors`.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import read_str


class MetricKind(enum.Enum):
    """What a metric measures, which decides its units."""

    LATENCY = "latency"
    RATE = "rate"
    THROUGHPUT = "throughput"
    COUNT = "count"


class Operator(enum.Enum):
    """How the measured value must compare with the limit to pass."""

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="

    def holds(self, actual: float, limit: float) -> bool:
        """Whether `actual <op> limit`."""
        return _COMPARISONS[self](actual, limit)


_COMPARISONS: dict[Operator, Callable[[float, float], bool]] = {
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric a threshold can name: `p95`, `p99.9`, `avg`, `rps`, `error_rate`...

    `custom` is True for a custom metric the scenario declared (`orders`).
    """

    name: str
    kind: MetricKind
    percentile: float | None = None
    custom: bool = False


@dataclass(frozen=True, slots=True)
class Threshold:
    """`[endpoint:] metric <op> limit`, with where it came from (a flag, a config file)."""

    metric: Metric
    operator: Operator
    limit: float
    endpoint: str | None = None
    source: str = "--threshold"
    text: str = ""

    @property
    def expression(self) -> str:
        """The threshold as the user wrote it, else in `--threshold` syntax."""
        if self.text:
            return self.text
        condition = f"{self.metric.name}{self.operator.value}{format_limit(self)}"
        return condition if self.endpoint is None else f'"{self.endpoint}": {condition}'


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def format_value(kind: MetricKind, value: float) -> str:
    """A metric value in the unit a reader expects (ms or s, %, /s, a count)."""
    if kind is MetricKind.LATENCY:
        return f"{_number(value / 1000)}s" if value >= 1000 else f"{_number(value)}ms"
    if kind is MetricKind.RATE:
        return f"{_number(value * 100)}%"
    if kind is MetricKind.THROUGHPUT:
        return f"{_number(value)}/s"
    return _number(value)


def format_limit(threshold: Threshold) -> str:
    """The threshold's limit with its unit."""
    return format_value(threshold.metric.kind, threshold.limit)


@dataclass(frozen=True, slots=True)
class ThresholdOutcome:
    """One threshold checked against a finished run.

    `actual` is None when there was nothing to measure (an endpoint that
    never appeared, a run without requests); such a threshold fails.
    """

    expression: str
    source: str
    passed: bool
    actual: float | None
    message: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as stored in result.json's `thresholds` list."""
        return {
            "expression": self.expression,
            "source": self.source,
            "passed": self.passed,
            "actual": self.actual,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> ThresholdOutcome:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Threshold"
        passed = source.get("passed")
        actual = source.get("actual")
        if not isinstance(passed, bool):
            raise ResultFormatError(f"{where} field 'passed' should be true or false.")
        if actual is not None and (isinstance(actual, bool) or not isinstance(actual, int | float)):
            raise ResultFormatError(f"{where} field 'actual' should be a number or null.")
        return cls(
            expression=read_str(source, "expression", where),
            source=read_str(source, "source", where),
            passed=passed,
            actual=None if actual is None else float(actual),
            message=read_str(source, "message", where),
        )
