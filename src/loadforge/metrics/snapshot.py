"""One interval's figures, or the whole run's: `MetricSnapshot` and its `EndpointMetrics`.

Latencies are in milliseconds, timestamps in Unix epoch seconds. `to_dict`
and `from_dict` give the JSON form stored in result files (each snapshot and
the final summary) and round-trip exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import (
    as_object,
    read_counts,
    read_float,
    read_int,
    read_object,
    read_status_counts,
    read_str,
    status_keys,
)
from loadforge.metrics.scenario_figures import (
    CheckMetrics,
    CustomMetricFigures,
    GroupMetrics,
    ScenarioFigures,
)
from loadforge.metrics.task_exceptions import TaskException, read_exceptions
from loadforge.metrics.timings import TimingFigures, read_timings

__all__ = ["EndpointMetrics", "MetricSnapshot"]


@dataclass(frozen=True, slots=True)
class EndpointMetrics:
    """One endpoint's figures over an interval or over the whole run."""

    name: str
    method: str
    requests: int
    rps: float
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_avg: float
    latency_max: float
    errors: int
    error_rate: float
    bytes_received: int
    # The open model (`--arrival-rate`) only: this endpoint's latency from
    # each iteration's intended start (coordinated omission corrected).
    latency_corrected_p50: float = 0.0
    latency_corrected_p95: float = 0.0
    latency_corrected_p99: float = 0.0
    latency_corrected_max: float = 0.0
    # Where its requests' time went (`loadforge.metrics.timings`), for each
    # timing it recorded; written to JSON only when it recorded one.
    timings: dict[str, TimingFigures] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        timings = {name: figures.to_dict() for name, figures in self.timings.items()}
        return {
            "name": self.name,
            "method": self.method,
            "requests": self.requests,
            "rps": self.rps,
            "latency_p50": self.latency_p50,
            "latency_p95": self.latency_p95,
            "latency_p99": self.latency_p99,
            "latency_avg": self.latency_avg,
            "latency_max": self.latency_max,
            "errors": self.errors,
            "error_rate": self.error_rate,
            "bytes_received": self.bytes_received,
            **{name: getattr(self, name) for name in _ENDPOINT_CORRECTED_FIELDS},
            **({"timings": timings} if timings else {}),
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> EndpointMetrics:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Endpoint metrics"
        return cls(
            name=read_str(source, "name", where),
            method=read_str(source, "method", where),
            requests=read_int(source, "requests", where),
            rps=read_float(source, "rps", where),
            latency_p50=read_float(source, "latency_p50", where),
            latency_p95=read_float(source, "latency_p95", where),
            latency_p99=read_float(source, "latency_p99", where),
            latency_avg=read_float(source, "latency_avg", where),
            latency_max=read_float(source, "latency_max", where),
            errors=read_int(source, "errors", where),
            error_rate=read_float(source, "error_rate", where),
            bytes_received=read_int(source, "bytes_received", where),
            # Absent from results written before per-endpoint corrected latency.
            **{
                name: read_float(source, name, where)
                for name in _ENDPOINT_CORRECTED_FIELDS
                if name in source
            },
            timings=read_timings(source, where),
        )


_ENDPOINT_CORRECTED_FIELDS = (
    "latency_corrected_p50",
    "latency_corrected_p95",
    "latency_corrected_p99",
    "latency_corrected_max",
)


@dataclass(frozen=True, slots=True)
class MetricSnapshot:
    """The run's figures for one interval (usually a second), or for the whole run.

    In a per-second snapshot `requests`, `errors`, `task_errors`
    and `bytes_received` count what happened in that interval; in the final
    summary they count the whole run. `errors` counts failed requests and
    `error_rate` is `errors / requests`; `errors_by_type` and
    `errors_by_status` add up to `errors`. `task_errors` counts exceptions
    raised in tasks outside any request, `iterations` the calls of the
    scenario's code (tasks, setup, teardown), `task_error_rate` is
    `task_errors / iterations`, and `task_exceptions`
    the distinct ones (by type and message, most frequent first) with their
    first traceback and their counts over the same span.
    """

    timestamp: float
    elapsed_seconds: float
    active_users: int
    target_users: int
    requests: int
    rps: float
    latency_p50: float
    latency_p75: float
    latency_p90: float
    latency_p95: float
    latency_p99: float
    latency_p999: float
    latency_min: float
    latency_max: float
    latency_avg: float
    errors: int
    error_rate: float
    errors_by_status: dict[int, int]
    errors_by_type: dict[str, int]
    endpoints: dict[str, EndpointMetrics]
    bytes_received: int
    task_errors: int
    # The open model (`--arrival-rate`) only: starts missed for lack of free
    # users, and latency measured from each iteration's intended start.
    dropped_iterations: int = 0
    latency_corrected_p50: float = 0.0
    latency_corrected_p95: float = 0.0
    latency_corrected_p99: float = 0.0
    latency_corrected_p999: float = 0.0
    latency_corrected_max: float = 0.0
    # The open model only: iterations started, and the iterations per second
    # the pattern asked for (its mean over the interval; in the final
    # summary, over the part of the planned duration the run lasted).
    started_iterations: int = 0
    target_rate: float = 0.0
    task_exceptions: tuple[TaskException, ...] = ()
    iterations: int = 0
    task_error_rate: float = 0.0
    # What scenario code measured itself, by name: `checks`, custom
    # `metrics` and `groups`, each written to JSON only when the scenario
    # used it.
    checks: dict[str, CheckMetrics] = field(default_factory=dict)
    metrics: dict[str, CustomMetricFigures] = field(default_factory=dict)
    groups: dict[str, GroupMetrics] = field(default_factory=dict)

    @property
    def scenario(self) -> ScenarioFigures:
        """The checks, custom metrics and groups together."""
        return ScenarioFigures(self.checks, self.metrics, self.groups)

    # The interval began after the run stopped starting work (its planned end,
    # or a stop): users were finishing within the grace period.
    drain: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form; status codes become string keys."""
        return {
            "timestamp": self.timestamp,
            "elapsed_seconds": self.elapsed_seconds,
            "active_users": self.active_users,
            "target_users": self.target_users,
            "requests": self.requests,
            "rps": self.rps,
            "latency_p50": self.latency_p50,
            "latency_p75": self.latency_p75,
            "latency_p90": self.latency_p90,
            "latency_p95": self.latency_p95,
            "latency_p99": self.latency_p99,
            "latency_p999": self.latency_p999,
            "latency_min": self.latency_min,
            "latency_max": self.latency_max,
            "latency_avg": self.latency_avg,
            "errors": self.errors,
            "error_rate": self.error_rate,
            "errors_by_status": status_keys(self.errors_by_status),
            "errors_by_type": dict(self.errors_by_type),
            "endpoints": {name: metrics.to_dict() for name, metrics in self.endpoints.items()},
            "bytes_received": self.bytes_received,
            "task_errors": self.task_errors,
            **{name: getattr(self, name) for name in _OPEN_MODEL_FIELDS},
            "started_iterations": self.started_iterations,
            "target_rate": self.target_rate,
            "task_exceptions": [exception.to_dict() for exception in self.task_exceptions],
            "iterations": self.iterations,
            "task_error_rate": self.task_error_rate,
            **self.scenario.to_dict(),
            "drain": self.drain,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> MetricSnapshot:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Snapshot"
        endpoints = read_object(source, "endpoints", where)
        return cls(
            timestamp=read_float(source, "timestamp", where),
            elapsed_seconds=read_float(source, "elapsed_seconds", where),
            active_users=read_int(source, "active_users", where),
            target_users=read_int(source, "target_users", where),
            requests=read_int(source, "requests", where),
            rps=read_float(source, "rps", where),
            latency_p50=read_float(source, "latency_p50", where),
            latency_p75=read_float(source, "latency_p75", where),
            latency_p90=read_float(source, "latency_p90", where),
            latency_p95=read_float(source, "latency_p95", where),
            latency_p99=read_float(source, "latency_p99", where),
            latency_p999=read_float(source, "latency_p999", where),
            latency_min=read_float(source, "latency_min", where),
            latency_max=read_float(source, "latency_max", where),
            latency_avg=read_float(source, "latency_avg", where),
            errors=read_int(source, "errors", where),
            error_rate=read_float(source, "error_rate", where),
            errors_by_status=read_status_counts(source, "errors_by_status", where),
            errors_by_type=read_counts(source, "errors_by_type", where),
            endpoints={
                name: EndpointMetrics.from_dict(as_object(value, f"{where} endpoint {name!r}"))
                for name, value in endpoints.items()
            },
            bytes_received=read_int(source, "bytes_received", where),
            task_errors=read_int(source, "task_errors", where),
            dropped_iterations=(
                read_int(source, "dropped_iterations", where)
                if "dropped_iterations" in source
                else 0
            ),
            **_corrected_fields(source, where),
            # Absent from results written before the report showed the open model.
            started_iterations=(
                read_int(source, "started_iterations", where)
                if "started_iterations" in source
                else 0
            ),
            target_rate=read_float(source, "target_rate", where)
            if "target_rate" in source
            else 0.0,
            # Absent from results written before exceptions kept their messages.
            task_exceptions=tuple(read_exceptions(source, "task_exceptions", where)),
            iterations=read_int(source, "iterations", where) if "iterations" in source else 0,
            task_error_rate=(
                read_float(source, "task_error_rate", where) if "task_error_rate" in source else 0.0
            ),
            **_scenario_fields(ScenarioFigures.from_dict(source, where)),
            drain=_read_bool(source, "drain", where) if "drain" in source else False,
        )


def _corrected_fields(source: Mapping[str, object], where: str) -> dict[str, Any]:
    return {
        name: read_float(source, name, where) for name in _OPEN_MODEL_FIELDS[1:] if name in source
    }


def _scenario_fields(figures: ScenarioFigures) -> dict[str, Any]:
    return {"checks": figures.checks, "metrics": figures.metrics, "groups": figures.groups}


def _read_bool(source: Mapping[str, object], key: str, where: str) -> bool:
    value = source[key]
    if not isinstance(value, bool):
        raise ResultFormatError(f"{where} field '{key}' should be true or false.")
    return value


_OPEN_MODEL_FIELDS = (
    "dropped_iterations",
    "latency_corrected_p50",
    "latency_corrected_p95",
    "latency_corrected_p99",
    "latency_corrected_p999",
    "latency_corrected_max",
)
