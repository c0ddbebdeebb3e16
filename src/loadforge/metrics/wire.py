"""The compact form one worker's interval takes on its way to the coordinator.

A worker registers each endpoint name once: the first interval that mentions
an endpoint carries its name and method beside a small integer id, and every
later interval refers to the endpoint by id only. Histograms travel HDR-encoded,
so the coordinator merges them exactly. The transport must deliver every
payload of a worker in order (both transports do), or ids would be unknown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object, read_counts, read_int, read_object
from loadforge.metrics.interval import (
    EndpointInterval,
    IntervalStats,
    exception_table,
    read_scenario,
    read_users_by_scenario,
)
from loadforge.metrics.task_exceptions import read_exceptions

_FORMAT = 1


@dataclass(frozen=True, slots=True)
class WorkerInterval:
    """One worker's counts for one interval, with its users (`LoadDriver.peak_active`).

    The closed model's users are those running when the interval ended; the
    open model's, the most busy at once during it.
    """

    index: int
    active_users: int
    target_users: int
    stats: IntervalStats


class IntervalEncoder:
    """Worker side: turns intervals into bytes, naming each endpoint only once."""

    __slots__ = ("_ids", "_last_new")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._last_new: list[str] = []

    def rollback(self) -> None:
        """Forget the registrations of the last `encode`: its payload was not delivered."""
        for name in self._last_new:
            del self._ids[name]
        self._last_new = []

    def encode(self, interval: WorkerInterval) -> bytes:
        """The payload for `interval`; registers endpoints not sent before."""
        new: list[list[object]] = []
        self._last_new = []
        endpoints: dict[str, object] = {}
        for name, endpoint in interval.stats.endpoints.items():
            endpoint_id = self._ids.get(name)
            if endpoint_id is None:
                endpoint_id = self._ids[name] = len(self._ids)
                new.append([endpoint_id, name, endpoint.method])
                self._last_new.append(name)
            body = endpoint.to_dict()
            del body["method"]
            endpoints[str(endpoint_id)] = body
        document: dict[str, object] = {
            "format": _FORMAT,
            "index": interval.index,
            "active": interval.active_users,
            "target": interval.target_users,
            "dropped": interval.stats.dropped_iterations,
            "started": interval.stats.started_iterations,
            "new": new,
            "endpoints": endpoints,
            "task_errors_by_type": interval.stats.task_errors_by_type,
            "task_errors_by_task": interval.stats.task_errors_by_task,
            "task_exceptions": [e.to_dict() for e in interval.stats.task_exceptions.values()],
            "iterations": interval.stats.iterations,
        }
        if interval.stats.scenario:
            document["scenario"] = interval.stats.scenario.to_dict()
        if interval.stats.users_by_scenario:
            document["users_by_scenario"] = interval.stats.users_by_scenario
        return json.dumps(document, separators=(",", ":")).encode()


class IntervalDecoder:
    """Coordinator side, one per worker: rebuilds intervals, remembering endpoint names."""

    __slots__ = ("_names",)

    def __init__(self) -> None:
        self._names: dict[int, tuple[str, str]] = {}

    def decode(self, payload: bytes) -> WorkerInterval:
        """The interval in `payload`; ResultFormatError when it is malformed."""
        where = "Worker interval"
        try:
            document = as_object(json.loads(payload), where)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultFormatError(f"{where} is not valid JSON ({exc}).") from exc
        if document.get("format") != _FORMAT:
            raise ResultFormatError(f"{where} uses an unknown format; mixed LoadForge versions?")
        self._register(document.get("new"), where)
        stats = IntervalStats(
            endpoints=self._endpoints(read_object(document, "endpoints", where), where),
            task_errors_by_type=read_counts(document, "task_errors_by_type", where),
            task_errors_by_task=read_counts(document, "task_errors_by_task", where),
            dropped_iterations=read_int(document, "dropped", where),
            started_iterations=read_int(document, "started", where),
            task_exceptions=exception_table(read_exceptions(document, "task_exceptions", where)),
            iterations=read_int(document, "iterations", where),
            scenario=read_scenario(document, where),
            users_by_scenario=read_users_by_scenario(document, where),
        )
        return WorkerInterval(
            index=read_int(document, "index", where),
            active_users=read_int(document, "active", where),
            target_users=read_int(document, "target", where),
            stats=stats,
        )

    def _register(self, new: object, where: str) -> None:
        if not isinstance(new, list):
            raise ResultFormatError(f"{where} field 'new' should be a list.")
        for entry in new:
            if not (
                isinstance(entry, list)
                and len(entry) == 3
                and isinstance(entry[0], int)
                and isinstance(entry[1], str)
                and isinstance(entry[2], str)
            ):
                raise ResultFormatError(f"{where} has a malformed endpoint registration.")
            self._names[entry[0]] = (entry[1], entry[2])

    def _endpoints(
        self, endpoints: Mapping[str, object], where: str
    ) -> dict[str, EndpointInterval]:
        result: dict[str, EndpointInterval] = {}
        for key, value in endpoints.items():
            try:
                name, method = self._names[int(key)]
            except (KeyError, ValueError) as exc:
                raise ResultFormatError(f"{where} names unregistered endpoint {key!r}.") from exc
            body = dict(as_object(value, where))
            body["method"] = method
            result[name] = EndpointInterval.from_dict(body, f"{where} endpoint {name!r}")
        return result
