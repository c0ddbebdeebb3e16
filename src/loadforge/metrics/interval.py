"""One interval's raw counts: the unit workers hand over, merge and send between processes.

An `IntervalStats` holds histograms and counters, never percentiles or
rates, so intervals from several workers (or several seconds) merge exactly;
`SnapshotBuilder` turns them into what users see.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import (
    as_object,
    read_counts,
    read_int,
    read_object,
    read_status_counts,
    read_str,
    status_keys,
)
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.scenario_interval import ScenarioInterval
from loadforge.metrics.task_exceptions import TaskException, add_exceptions, read_exceptions

_FORMAT = 1

K = TypeVar("K")


def add_counts(into: dict[K, int], other: Mapping[K, int]) -> None:
    """Add the counts of `other` into `into`, key by key."""
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


@dataclass(slots=True, eq=False)
class EndpointInterval:
    """What one endpoint did during one interval.

    `latency` holds every request's latency, failed or not (as k6 does), so a
    slow timeout shows up in the percentiles instead of hiding them. In the
    open model `corrected` holds the same requests timed from their
    iteration's intended start (coordinated omission corrected); it stays
    empty in the closed model. `timings` holds a histogram per request
    timing the endpoint recorded (`loadforge.metrics.timings`), by name.
    """

    method: str
    requests: int = 0
    errors: int = 0
    bytes_received: int = 0
    latency: LatencyHistogram = field(default_factory=LatencyHistogram)
    errors_by_status: dict[int, int] = field(default_factory=dict)
    errors_by_type: dict[str, int] = field(default_factory=dict)
    corrected: LatencyHistogram = field(default_factory=LatencyHistogram)
    timings: dict[str, LatencyHistogram] = field(default_factory=dict)

    def timing(self, name: str) -> LatencyHistogram:
        """The histogram of timing `name`, created empty the first time."""
        histogram = self.timings.get(name)
        if histogram is None:
            histogram = self.timings[name] = LatencyHistogram()
        return histogram

    def count_error(self, status: int, error: str) -> None:
        """Count one failed request; `status` 0 means no response arrived."""
        self.errors += 1
        by_type = self.errors_by_type
        by_type[error] = by_type.get(error, 0) + 1
        if status > 0:
            by_status = self.errors_by_status
            by_status[status] = by_status.get(status, 0) + 1

    def merge(self, other: EndpointInterval) -> None:
        """Add `other` (the same endpoint elsewhere or at another time) to this one."""
        if not self.method:
            self.method = other.method
        self.requests += other.requests
        self.errors += other.errors
        self.bytes_received += other.bytes_received
        self.latency.merge(other.latency)
        self.corrected.merge(other.corrected)
        for name, histogram in other.timings.items():
            self.timing(name).merge(histogram)
        add_counts(self.errors_by_status, other.errors_by_status)
        add_counts(self.errors_by_type, other.errors_by_type)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form with encoded histograms (`corrected`, `timings` only when recorded)."""
        body: dict[str, object] = {
            "method": self.method,
            "requests": self.requests,
            "errors": self.errors,
            "bytes_received": self.bytes_received,
            "latency": self.latency.encode(),
            "errors_by_status": status_keys(self.errors_by_status),
            "errors_by_type": dict(self.errors_by_type),
        }
        if self.corrected.count:
            body["corrected"] = self.corrected.encode()
        if self.timings:
            body["timings"] = {name: h.encode() for name, h in self.timings.items()}
        return body

    @classmethod
    def from_dict(cls, source: Mapping[str, object], where: str) -> EndpointInterval:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        return cls(
            method=read_str(source, "method", where),
            requests=read_int(source, "requests", where),
            errors=read_int(source, "errors", where),
            bytes_received=read_int(source, "bytes_received", where),
            latency=LatencyHistogram.decode(read_str(source, "latency", where)),
            errors_by_status=read_status_counts(source, "errors_by_status", where),
            errors_by_type=read_counts(source, "errors_by_type", where),
            corrected=(
                LatencyHistogram.decode(read_str(source, "corrected", where))
                if "corrected" in source
                else LatencyHistogram()
            ),
            timings=_read_timings(source, where),
        )


def _read_timings(source: Mapping[str, object], where: str) -> dict[str, LatencyHistogram]:
    """An encoded endpoint's optional `timings`: timing name -> histogram."""
    if "timings" not in source:
        return {}
    timings = read_object(source, "timings", where)
    inner = f"{where} timings"
    return {name: LatencyHistogram.decode(read_str(timings, name, inner)) for name in timings}


@dataclass(slots=True, eq=False)
class IntervalStats:
    """Everything recorded during one interval, per endpoint, plus task errors.

    Task errors are exceptions raised inside a task outside any request:
    errors, but not requests. They are counted by error type and by task name,
    and kept (`task_exceptions`) by type and message with their first traceback.
    `dropped_iterations` counts the open model's starts missed for lack of
    free users, `started_iterations` the starts it made. `iterations` counts
    the scenario's calls a user made (tasks, setup and teardown), the
    denominator of `task_error_rate`. `scenario` holds what scenario code
    measured itself (checks, custom metrics, groups). `users_by_scenario`
    counts, in an open-model run of several scenarios, the users each
    scenario's starts set up (`MetricsCollector.count_user`).
    """

    endpoints: dict[str, EndpointInterval] = field(default_factory=dict)
    task_errors_by_type: dict[str, int] = field(default_factory=dict)
    task_errors_by_task: dict[str, int] = field(default_factory=dict)
    dropped_iterations: int = 0
    started_iterations: int = 0
    task_exceptions: dict[tuple[str, str], TaskException] = field(default_factory=dict)
    iterations: int = 0
    scenario: ScenarioInterval = field(default_factory=ScenarioInterval)
    users_by_scenario: dict[str, int] = field(default_factory=dict)

    def corrected(self) -> LatencyHistogram:
        """Every endpoint's corrected latencies merged into one new histogram."""
        merged = LatencyHistogram()
        for endpoint in self.endpoints.values():
            merged.merge(endpoint.corrected)
        return merged

    @property
    def task_errors(self) -> int:
        """How many task exceptions happened in this interval."""
        return sum(self.task_errors_by_type.values())

    def merge(self, other: IntervalStats) -> None:
        """Add `other` (another worker's interval, or a later one) to this one, exactly."""
        for name, theirs in other.endpoints.items():
            mine = self.endpoints.get(name)
            if mine is None:
                mine = self.endpoints[name] = EndpointInterval(theirs.method)
            mine.merge(theirs)
        add_counts(self.task_errors_by_type, other.task_errors_by_type)
        add_counts(self.task_errors_by_task, other.task_errors_by_task)
        add_exceptions(self.task_exceptions, other.task_exceptions.values())
        self.dropped_iterations += other.dropped_iterations
        self.started_iterations += other.started_iterations
        self.iterations += other.iterations
        if other.scenario:
            self.scenario.merge(other.scenario)
        if other.users_by_scenario:
            add_counts(self.users_by_scenario, other.users_by_scenario)

    def to_bytes(self) -> bytes:
        """Compact form for sending an interval from a worker process to the coordinator."""
        document: dict[str, object] = {
            "format": _FORMAT,
            "endpoints": {name: endpoint.to_dict() for name, endpoint in self.endpoints.items()},
            "task_errors_by_type": self.task_errors_by_type,
            "task_errors_by_task": self.task_errors_by_task,
            "task_exceptions": [e.to_dict() for e in self.task_exceptions.values()],
            "iterations": self.iterations,
        }
        if self.scenario:
            document["scenario"] = self.scenario.to_dict()
        if self.users_by_scenario:
            document["users_by_scenario"] = self.users_by_scenario
        return json.dumps(document, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, payload: bytes) -> IntervalStats:
        """Rebuild an interval from `to_bytes` output; ResultFormatError when malformed."""
        where = "Interval data"
        try:
            document = as_object(json.loads(payload), where)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultFormatError(f"{where} is not valid JSON ({exc}).") from exc
        version = read_int(document, "format", where)
        if version != _FORMAT:
            raise ResultFormatError(
                f"{where} uses format {version}, but this LoadForge reads format {_FORMAT};"
                " run every worker with the same LoadForge version."
            )
        endpoints = read_object(document, "endpoints", where)
        return cls(
            endpoints={
                name: EndpointInterval.from_dict(
                    as_object(value, f"{where} endpoint {name!r}"), f"{where} endpoint {name!r}"
                )
                for name, value in endpoints.items()
            },
            task_errors_by_type=read_counts(document, "task_errors_by_type", where),
            task_errors_by_task=read_counts(document, "task_errors_by_task", where),
            task_exceptions=exception_table(read_exceptions(document, "task_exceptions", where)),
            iterations=read_int(document, "iterations", where) if "iterations" in document else 0,
            scenario=read_scenario(document, where),
            users_by_scenario=read_users_by_scenario(document, where),
        )


def exception_table(exceptions: list[TaskException]) -> dict[tuple[str, str], TaskException]:
    """Exceptions keyed by type and message, as `IntervalStats.task_exceptions` holds them."""
    table: dict[tuple[str, str], TaskException] = {}
    add_exceptions(table, exceptions)
    return table


def read_scenario(document: Mapping[str, object], where: str) -> ScenarioInterval:
    """The optional `scenario` field of an encoded interval (absent when nothing was measured)."""
    if "scenario" not in document:
        return ScenarioInterval()
    return ScenarioInterval.from_dict(read_object(document, "scenario", where), f"{where} scenario")


def read_users_by_scenario(source: Mapping[str, object], where: str) -> dict[str, int]:
    """An encoded interval's optional `users_by_scenario` counts (see `IntervalStats`)."""
    if "users_by_scenario" not in source:
        return {}
    return read_counts(source, "users_by_scenario", where)
