"""Custom metrics a scenario declares once at module level and records from its tasks.

    from loadforge import metrics

    orders = metrics.counter("orders")        # orders.add(1)
    depth = metrics.gauge("queue_depth")      # depth.set(12)
    found = metrics.rate("cache_hit")         # found.add(resp.status == 200)
    cart = metrics.trend("cart_ms")           # cart.record(12.5)  (milliseconds)

Each process keeps one registry of declared names (so a name is one kind of
metric, and never a built-in one) and one sink, the worker's collector,
bound by the engine before users start. A value recorded while no run is
going (a scenario file imported by a test, say) is dropped. The values
join the worker's interval beside its requests and merge across workers as
exactly as they do: counters add, trends are HDR histograms.
"""

from __future__ import annotations

import math
import re
from typing import Protocol

from loadforge.errors import ScenarioError
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.metrics.timings import TIMING_NAMES as _TIMING_NAMES

__all__ = [
    "TIMING_NAMES",
    "Counter",
    "Gauge",
    "MetricSink",
    "Rate",
    "Trend",
    "counter",
    "gauge",
    "rate",
    "trend",
]

TIMING_NAMES = _TIMING_NAMES
"""The built-in trends of every run's request timings (see `loadforge.metrics.timings`)."""

BUILT_IN_NAMES = frozenset(
    {"requests", "rps", "errors", "error_rate", "avg", "min", "max", "checks", "task_errors"}
    | set(TIMING_NAMES)
)
"""Names the thresholds already give a meaning to; a custom metric may not take one."""

_PERCENTILE = re.compile(r"p\d+(\.\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


class MetricSink(Protocol):
    """Where recorded custom values go: the collector of the worker the scenario runs in."""

    def add_counter(self, name: str, amount: float) -> None:
        """Add `amount` to counter `name`."""

    def set_gauge(self, name: str, value: float) -> None:
        """Set gauge `name`."""

    def add_rate(self, name: str, value: bool) -> None:
        """Count one true or false value of rate `name`."""

    def record_trend(self, name: str, value_us: int) -> None:
        """Record one value, in microseconds, of trend `name`."""


class _Dropped:
    """The sink while no run is going: values recorded then are not counted anywhere."""

    def add_counter(self, name: str, amount: float) -> None:
        """Drop the value."""

    def set_gauge(self, name: str, value: float) -> None:
        """Drop the value."""

    def add_rate(self, name: str, value: bool) -> None:
        """Drop the value."""

    def record_trend(self, name: str, value_us: int) -> None:
        """Drop the value."""


_DROPPED = _Dropped()
# One list holds the process's sink, so a handle reads it at record time.
_sink: list[MetricSink] = [_DROPPED]
_declared: dict[str, CustomKind] = {}


def bind_sink(sink: MetricSink | None) -> None:
    """Send this process's custom values to `sink` from now on (None: drop them)."""
    _sink[0] = _DROPPED if sink is None else sink


def declared_kinds() -> dict[str, CustomKind]:
    """Every custom metric declared in this process, by name."""
    return dict(_declared)


def _declare(name: object, kind: CustomKind) -> str:
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise ScenarioError(
            f"metrics.{kind.value}({name!r}): a metric name is a word of letters, digits,"
            " '_' and '.', starting with a letter or '_', such as 'orders' or 'cart_ms'."
        )
    if name.lower() in BUILT_IN_NAMES or _PERCENTILE.fullmatch(name.lower()):
        raise ScenarioError(
            f"metrics.{kind.value}({name!r}): {name!r} is a built-in metric name"
            f" ({', '.join(sorted(BUILT_IN_NAMES))}, p50, p99...); choose another."
        )
    known = _declared.setdefault(name, kind)
    if known is not kind:
        raise ScenarioError(
            f"metrics.{kind.value}({name!r}): {name!r} is already declared as a {known.value};"
            " one name is one metric."
        )
    return name


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} takes a finite number, not {value!r:.40}")
    return float(value)


class Counter:
    """A total that only grows: `add(1)` per order placed; thresholds read its total."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = _declare(name, CustomKind.COUNTER)

    def __repr__(self) -> str:
        return f"<Counter {self.name!r}>"

    def add(self, amount: float = 1) -> None:
        """Add `amount` (zero or more) to the total."""
        value = _number(amount, f"counter {self.name!r}")
        if value < 0:
            raise ValueError(f"counter {self.name!r} only grows; add({amount!r}) is negative")
        _sink[0].add_counter(self.name, value)


class Gauge:
    """A level that goes up and down (a queue's depth): the last value set is what shows."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = _declare(name, CustomKind.GAUGE)

    def __repr__(self) -> str:
        return f"<Gauge {self.name!r}>"

    def set(self, value: float) -> None:
        """Set the gauge to `value`."""
        _sink[0].set_gauge(self.name, _number(value, f"gauge {self.name!r}"))


class Rate:
    """How often something holds: `add(True)` or `add(False)`; shows the share of true."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = _declare(name, CustomKind.RATE)

    def __repr__(self) -> str:
        return f"<Rate {self.name!r}>"

    def add(self, value: object) -> None:
        """Count one value, true or false."""
        _sink[0].add_rate(self.name, bool(value))


class Trend:
    """A distribution of durations in milliseconds, kept in an HDR histogram like latency."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = _declare(name, CustomKind.TREND)

    def __repr__(self) -> str:
        return f"<Trend {self.name!r}>"

    def record(self, value_ms: float) -> None:
        """Record one value in milliseconds (kept to the microsecond, from 1 µs to 60 s)."""
        value = _number(value_ms, f"trend {self.name!r}")
        if value < 0:
            raise ValueError(f"trend {self.name!r} takes durations; {value_ms!r} is negative")
        _sink[0].record_trend(self.name, round(value * 1000))


def counter(name: str) -> Counter:
    """Declare (at module level) the counter `name`: ``orders = metrics.counter("orders")``."""
    return Counter(name)


def gauge(name: str) -> Gauge:
    """Declare the gauge `name`: ``depth = metrics.gauge("queue_depth")``."""
    return Gauge(name)


def rate(name: str) -> Rate:
    """Declare the rate `name`: ``hits = metrics.rate("cache_hit")``."""
    return Rate(name)


def trend(name: str) -> Trend:
    """Declare the trend `name` (milliseconds): ``cart = metrics.trend("cart_ms")``."""
    return Trend(name)
