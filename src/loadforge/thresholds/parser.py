"""Reading threshold expressions: `p95<300ms`, `error_rate<1%`, `"List Items": p99<500ms`.

Grammar: ``[ENDPOINT:] METRIC OP NUMBER[UNIT]`` where ENDPOINT may be quoted
(needed when it contains a quote), METRIC is `pN` (any percentile, `p99.9`),
`avg`, `min`, `max`, `rps`, `error_rate`, `requests`, `errors`,
`task_errors` or `task_error_rate` (run-wide only), or `checks`
(the share of checks passed; ENDPOINT is then a check's name), or a custom
metric the scenario declared (`orders>1000`), and OP is one of `<`, `<=`,
`>`, `>=`. ENDPOINT may also name a group or a custom trend, for their
latency metrics (`"checkout": p95<1s`, `cart_ms: p95<200ms`), or a request
timing, run-wide or of one endpoint (`ttfb: p95<100ms`, `"ttfb{List
Items}": p95<100ms`, see `loadforge.metrics.timings`). Every mistake
is a ConfigError that quotes the expression, raised before a run starts.

Which names are custom metrics depends on where the expression is read:
`run` knows those its scenario declared (the default), `report` those the
stored result recorded (`custom_kinds`), and the server, which checks a
spec's thresholds without running its scenario, takes any other well-formed
name as a custom metric the scenario will declare (`undeclared`): a rate's
when its limit is a percentage, otherwise a counter's or a gauge's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from loadforge.errors import ConfigError
from loadforge.metrics.custom import declared_kinds
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.metrics.timings import RESPONSE_TIMINGS, TIMING_NAMES, split_timing_key
from loadforge.thresholds.model import Metric, MetricKind, Operator, Threshold

KNOWN_METRICS = (
    "pN (p50, p95, p99.9...)",
    "avg",
    "min",
    "max",
    "rps",
    "error_rate",
    "requests",
    "errors",
    "task_errors",
    "task_error_rate",
    "checks",
    "a custom metric the scenario declares",
)
# Task exceptions belong to no endpoint: a threshold on them is run-wide.
RUN_WIDE_METRICS = frozenset({"task_errors", "task_error_rate"})

_NAMED: dict[str, MetricKind] = {
    "avg": MetricKind.LATENCY,
    "min": MetricKind.LATENCY,
    "max": MetricKind.LATENCY,
    "rps": MetricKind.THROUGHPUT,
    "error_rate": MetricKind.RATE,
    "requests": MetricKind.COUNT,
    "errors": MetricKind.COUNT,
    "task_errors": MetricKind.COUNT,
    "task_error_rate": MetricKind.RATE,
    "checks": MetricKind.RATE,
}
# What a threshold on a custom metric's own name measures: a counter's
# total, a gauge's last value, a rate's share of true values.
_CUSTOM: dict[CustomKind, MetricKind] = {
    CustomKind.COUNTER: MetricKind.COUNT,
    CustomKind.GAUGE: MetricKind.COUNT,
    CustomKind.RATE: MetricKind.RATE,
}
_PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)")
_CONDITION = re.compile(
    r"(?P<metric>[A-Za-z_][A-Za-z0-9_.]*)\s*(?P<op><=|>=|<|>)\s*"
    r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>\S*)"
)
# Factor from each accepted unit to the metric kind's base unit.
_UNITS: dict[MetricKind, dict[str, float]] = {
    MetricKind.LATENCY: {"": 1.0, "ms": 1.0, "s": 1000.0, "us": 0.001, "µs": 0.001, "m": 60_000.0},
    MetricKind.RATE: {"": 1.0, "%": 0.01},
    MetricKind.THROUGHPUT: {"": 1.0, "/s": 1.0, "rps": 1.0},
    MetricKind.COUNT: {"": 1.0},
}
_UNIT_HELP: dict[MetricKind, str] = {
    MetricKind.LATENCY: "ms (the default), s, us or m",
    MetricKind.RATE: "% or a fraction between 0 and 1",
    MetricKind.THROUGHPUT: "requests per second, optionally written /s",
    MetricKind.COUNT: "a plain count",
}


def parse_metric(
    name: str,
    *,
    where: str = "--threshold",
    custom_kinds: Mapping[str, CustomKind] | None = None,
    undeclared: CustomKind | None = None,
) -> Metric:
    """The metric a threshold names; ConfigError for an unknown one.

    Custom metrics are those of `custom_kinds` (by default, those declared in
    this process); with `undeclared`, any other name is a custom metric of that kind.
    """
    lowered = name.strip().lower()
    if lowered in _NAMED:
        return Metric(lowered, _NAMED[lowered])
    match = _PERCENTILE.fullmatch(lowered)
    if match is not None:
        percentile = float(match.group(1))
        if 0 < percentile <= 100:
            return Metric(lowered, MetricKind.LATENCY, percentile)
        raise ConfigError(f"{where}: percentile {name!r} must be above p0 and at most p100.")
    kinds = declared_kinds() if custom_kinds is None else custom_kinds
    custom = kinds.get(name.strip(), undeclared)
    if custom is CustomKind.TREND:
        raise ConfigError(
            f"{where}: {name.strip()!r} is a trend; name a percentile of it, for example"
            f" {name.strip()}: p95<200ms."
        )
    if custom is not None:
        return Metric(name.strip(), _CUSTOM[custom], custom=True)
    raise ConfigError(
        f"{where}: unknown metric {name!r}. Known metrics: {', '.join(KNOWN_METRICS)}."
    )


def parse_threshold(
    text: str,
    *,
    source: str = "--threshold",
    custom_kinds: Mapping[str, CustomKind] | None = None,
    undeclared: bool = False,
) -> Threshold:
    """One threshold expression; ConfigError naming the problem when it is malformed.

    `custom_kinds` and `undeclared` say which names are custom metrics (module docstring).
    """
    endpoint, condition = _split_endpoint(text, source)
    return parse_condition(
        condition,
        endpoint=endpoint,
        source=source,
        expression=text,
        custom_kinds=custom_kinds,
        undeclared=undeclared,
    )


def parse_condition(
    condition: str,
    *,
    endpoint: str | None,
    source: str,
    expression: str | None = None,
    custom_kinds: Mapping[str, CustomKind] | None = None,
    undeclared: bool = False,
) -> Threshold:
    """`METRIC OP NUMBER[UNIT]` for the whole run or one endpoint."""
    shown = expression if expression is not None else condition
    match = _CONDITION.fullmatch(condition.strip())
    if match is None:
        raise ConfigError(
            f"{source}: {shown!r} is not a threshold; write METRIC OP VALUE, for example"
            ' p95<300ms, error_rate<1% or "List Items": p99<500ms.'
        )
    metric = parse_metric(
        match["metric"],
        where=f"{source} {shown!r}",
        custom_kinds=custom_kinds,
        undeclared=_undeclared_kind(match["unit"]) if undeclared else None,
    )
    if endpoint is not None and metric.name in RUN_WIDE_METRICS:
        raise ConfigError(
            f"{source}: {shown!r}: {metric.name} counts exceptions raised in tasks, which belong"
            " to no endpoint; write it without an endpoint name."
        )
    if (
        endpoint is not None
        and metric.kind is not MetricKind.LATENCY
        and (endpoint in TIMING_NAMES or split_timing_key(endpoint) is not None)
    ):
        raise ConfigError(
            f"{source}: {shown!r}: {endpoint} is a request timing; its thresholds are pN,"
            " avg, min or max, for example ttfb: p95<100ms."
        )
    unit = match["unit"].lower()
    factors = _UNITS[metric.kind]
    if unit not in factors:
        raise ConfigError(
            f"{source}: {shown!r} uses unit {match['unit']!r}, but {metric.name} takes"
            f" {_UNIT_HELP[metric.kind]}."
        )
    limit = float(match["number"]) * factors[unit]
    if limit < 0:
        raise ConfigError(f"{source}: {shown!r} has a negative limit.")
    if metric.kind is MetricKind.RATE and limit > 1:
        raise ConfigError(
            f"{source}: {shown!r}: {metric.name} is a fraction between 0 and 1, or a"
            " percentage like 1%."
        )
    text = " ".join(shown.split()) if expression is not None else ""
    return Threshold(metric, Operator(match["op"]), limit, endpoint, source, text)


def _undeclared_kind(unit: str) -> CustomKind:
    """The kind an undeclared custom metric is read as: a percentage is a rate's limit."""
    return CustomKind.RATE if unit == "%" else CustomKind.COUNTER


def _split_endpoint(text: str, source: str) -> tuple[str | None, str]:
    stripped = text.strip()
    if stripped[:1] in {'"', "'"}:
        quote = stripped[0]
        end = stripped.find(quote, 1)
        rest = stripped[end + 1 :].lstrip() if end > 0 else ""
        if end <= 1 or not rest.startswith(":"):
            raise ConfigError(
                f"{source}: {text!r} should name the endpoint in quotes followed by a colon,"
                ' for example "List Items": p99<500ms.'
            )
        return stripped[1:end], rest[1:]
    if ":" in stripped:
        endpoint, _, condition = stripped.rpartition(":")
        if not endpoint.strip():
            raise ConfigError(f"{source}: {text!r} has a colon but no endpoint name before it.")
        return endpoint.strip(), condition
    return None, stripped


def response_timing(threshold: Threshold) -> str | None:
    """`ttfb` or `receiving` when the threshold is on one (run-wide or per endpoint), else None.

    Those two are recorded only where the scenario records timings, so a
    run without them checks such a threshold against nothing.
    """
    name = threshold.endpoint
    if name is None:
        return None
    split = split_timing_key(name)
    timing = name if split is None else split[0]
    return timing if timing in RESPONSE_TIMINGS else None
