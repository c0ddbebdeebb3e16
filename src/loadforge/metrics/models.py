"""What a run measured, as plain values every view renders the same way.

The terminal view, the HTML report, the WebSocket stream and the server all
read these objects; none of them computes figures of its own. Latencies are
in milliseconds, timestamps in Unix epoch seconds. `to_dict`/`from_dict`
give the JSON form stored in result files and round-trip exactly.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

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
from loadforge.metrics.format1 import result_from_format1
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.scenario_figures import (
    CheckMetrics,
    CustomMetricFigures,
    GroupMetrics,
    ScenarioFigures,
)
from loadforge.metrics.task_exceptions import TaskException, read_exceptions
from loadforge.metrics.timings import TimingFigures, read_timing_histograms, read_timings

RESULT_FORMAT = 2
"""Version of the result.json layout, bumped when a change breaks old readers.

Format 2 names the snapshot figures `requests`, `rps` and `errors`; format 1
(and a file without `result_format`, written before the field existed) is
still read, through `loadforge.metrics.format1`.
"""


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


class RunStatus(enum.Enum):
    """How a run ended."""

    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


def _read_time(source: Mapping[str, object], key: str, where: str) -> datetime:
    text = read_str(source, key, where)
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ResultFormatError(
            f"{where} field '{key}' should be an ISO 8601 time, but it is {text!r:.80}."
        ) from exc


def _read_status(source: Mapping[str, object], where: str) -> RunStatus:
    text = read_str(source, "status", where)
    try:
        return RunStatus(text)
    except ValueError as exc:
        known = ", ".join(status.value for status in RunStatus)
        raise ResultFormatError(
            f"{where} field 'status' is {text!r:.80}; expected one of {known}."
        ) from exc


def _read_histograms(
    source: Mapping[str, object], where: str, key: str = "endpoint_histograms"
) -> dict[str, str]:
    if key != "endpoint_histograms" and key not in source:
        return {}
    histograms = read_object(source, key, where)
    inner = f"{where} field '{key}'"
    return {name: read_str(histograms, name, inner) for name in histograms}


class RunEventKind(enum.StrEnum):
    """What happened to the run; its value is the `kind` written in result.json."""

    WORKER_LOST = "worker_lost"
    # A feeder in `stop` mode ran out of rows, which ended the run.
    DATA_EXHAUSTED = "data_exhausted"


@dataclass(frozen=True, slots=True)
class RunEvent:
    """Something that happened to the run itself, such as a worker process lost."""

    timestamp: float
    elapsed_seconds: float
    kind: RunEventKind
    worker_id: int
    cause: str
    # The cluster node the worker ran on (`--cluster`); None for a local worker.
    node: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form; `node` only when the worker ran on a cluster node."""
        node: dict[str, object] = {} if self.node is None else {"node": self.node}
        return {
            "timestamp": self.timestamp,
            "elapsed_seconds": self.elapsed_seconds,
            "kind": self.kind.value,
            "worker_id": self.worker_id,
            "cause": self.cause,
            **node,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> RunEvent:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Run event"
        return cls(
            timestamp=read_float(source, "timestamp", where),
            elapsed_seconds=read_float(source, "elapsed_seconds", where),
            kind=_read_kind(source, where),
            worker_id=read_int(source, "worker_id", where),
            cause=read_str(source, "cause", where),
            node=read_str(source, "node", where) if "node" in source else None,
        )


def _read_kind(source: Mapping[str, object], where: str) -> RunEventKind:
    text = read_str(source, "kind", where)
    try:
        return RunEventKind(text)
    except ValueError as exc:
        known = ", ".join(kind.value for kind in RunEventKind)
        raise ResultFormatError(
            f"{where} field 'kind' is {text!r:.80}; expected one of {known}."
        ) from exc


def _read_events(source: Mapping[str, object], where: str) -> list[RunEvent]:
    events = source.get("events", [])
    if not isinstance(events, list):
        raise ResultFormatError(f"{where} field 'events' should be a list of events.")
    return [RunEvent.from_dict(as_object(item, "Run event")) for item in events]


@dataclass(frozen=True, slots=True)
class TestResult:
    """Everything kept about one finished (or interrupted) run.

    The histograms are HDR-encoded so reports and comparisons can recompute
    any percentile exactly later; `config` holds the run's settings as JSON
    values so a run can be described and repeated.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class despite its name

    scenario_name: str
    status: RunStatus
    start_time: datetime
    end_time: datetime
    duration_seconds: float
    pattern_description: str
    snapshots: list[MetricSnapshot]
    final_summary: MetricSnapshot
    latency_histogram: str
    endpoint_histograms: dict[str, str]
    config: dict[str, object]
    loadforge_version: str
    events: list[RunEvent] = field(default_factory=list)
    workers: int = 1
    # What each live export did (`--prometheus-remote-write`: batches sent,
    # dropped...), by export name; absent from result.json when none ran.
    exports: dict[str, object] = field(default_factory=dict)
    # Custom trends' values and groups' durations over the run, HDR-encoded
    # as `endpoint_histograms` are; absent from result.json when empty.
    trend_histograms: dict[str, str] = field(default_factory=dict)
    group_histograms: dict[str, str] = field(default_factory=dict)
    # Where the workers ran (`--cluster`); absent from result.json for a local run.
    cluster: ClusterPlacement | None = None
    # Each endpoint's request timings over the run, endpoint -> timing ->
    # HDR-encoded (`loadforge.metrics.timings`); absent when none was recorded.
    timing_histograms: dict[str, dict[str, str]] = field(default_factory=dict)
    # Each scenario's figures in a run of several; absent from result.json for one.
    scenarios: tuple[ScenarioMetrics, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as stored in result.json."""
        optional: dict[str, object] = {"exports": dict(self.exports)} if self.exports else {}
        for key in ("trend_histograms", "group_histograms"):
            histograms: dict[str, str] = getattr(self, key)
            if histograms:
                optional[key] = dict(histograms)
        if self.cluster is not None:
            optional["cluster"] = self.cluster.to_dict()
        if self.timing_histograms:
            optional["timing_histograms"] = {
                name: dict(timings) for name, timings in self.timing_histograms.items()
            }
        if self.scenarios:
            optional["scenarios"] = [each.to_dict() for each in self.scenarios]
        return {
            "result_format": RESULT_FORMAT,
            "scenario_name": self.scenario_name,
            "status": self.status.value,
            "start_time": self.start_time.isoformat(),
            "end_time": self.end_time.isoformat(),
            "duration_seconds": self.duration_seconds,
            "pattern_description": self.pattern_description,
            "snapshots": [snapshot.to_dict() for snapshot in self.snapshots],
            "final_summary": self.final_summary.to_dict(),
            "latency_histogram": self.latency_histogram,
            "endpoint_histograms": dict(self.endpoint_histograms),
            "config": dict(self.config),
            "loadforge_version": self.loadforge_version,
            "events": [event.to_dict() for event in self.events],
            "workers": self.workers,
            **optional,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> TestResult:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Result"
        written = source.get("result_format", 1)
        if written == 1 and not isinstance(written, bool):
            source = result_from_format1(source)
        elif written != RESULT_FORMAT:
            raise ResultFormatError(
                f"{where} uses format {written!r:.20}, but this LoadForge reads formats 1 to"
                f" {RESULT_FORMAT}; open it with the LoadForge version that wrote it."
            )
        snapshots = source.get("snapshots")
        if not isinstance(snapshots, list):
            raise ResultFormatError(f"{where} field 'snapshots' should be a list of snapshots.")
        return cls(
            scenario_name=read_str(source, "scenario_name", where),
            status=_read_status(source, where),
            start_time=_read_time(source, "start_time", where),
            end_time=_read_time(source, "end_time", where),
            duration_seconds=read_float(source, "duration_seconds", where),
            pattern_description=read_str(source, "pattern_description", where),
            snapshots=[MetricSnapshot.from_dict(as_object(item, "Snapshot")) for item in snapshots],
            final_summary=MetricSnapshot.from_dict(read_object(source, "final_summary", where)),
            latency_histogram=read_str(source, "latency_histogram", where),
            endpoint_histograms=_read_histograms(source, where),
            config=dict(read_object(source, "config", where)),
            loadforge_version=read_str(source, "loadforge_version", where),
            events=_read_events(source, where),
            workers=read_int(source, "workers", where) if "workers" in source else 1,
            exports=dict(read_object(source, "exports", where)) if "exports" in source else {},
            trend_histograms=_read_histograms(source, where, "trend_histograms"),
            group_histograms=_read_histograms(source, where, "group_histograms"),
            cluster=(
                ClusterPlacement.from_dict(read_object(source, "cluster", where))
                if "cluster" in source
                else None
            ),
            timing_histograms=read_timing_histograms(source, where),
            scenarios=_read_scenarios(source, where),
        )


def _read_scenarios(source: Mapping[str, object], where: str) -> tuple[ScenarioMetrics, ...]:
    scenarios = source.get("scenarios", [])
    if not isinstance(scenarios, list):
        raise ResultFormatError(f"{where} field 'scenarios' should be a list of scenarios.")
    return tuple(
        ScenarioMetrics.from_dict(as_object(item, "Scenario metrics")) for item in scenarios
    )
