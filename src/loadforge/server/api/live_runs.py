"""The live series of the server's runs in progress, added up from their per-second snapshots.

The run sink feeds it (`progress`, `finished`) on the server's event loop;
`GET /metrics` reads it there too, so it needs no lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from loadforge.exports.series import Family, Kind, Point
from loadforge.server.contract import JsonObject

_QUANTILES = (("0.5", "latency_p50"), ("0.95", "latency_p95"), ("0.99", "latency_p99"))


@dataclass
class _LiveRun:
    """One run in progress: counts added up from its snapshots, and the last snapshot."""

    requests: dict[tuple[str, str], int] = field(default_factory=dict)
    errors: dict[tuple[str, str], int] = field(default_factory=dict)
    last: JsonObject = field(default_factory=dict)


class LiveRuns:
    """The live series of the runs in progress; touched only on the server's event loop."""

    def __init__(self) -> None:
        self._runs: dict[int, _LiveRun] = {}

    def progress(self, run_id: int, snapshot: JsonObject) -> None:
        """One second of a run (`SnapshotData` JSON): add its counts, keep it as the latest."""
        run = self._runs.setdefault(run_id, _LiveRun())
        endpoints = snapshot.get("endpoints")
        for endpoint in endpoints if isinstance(endpoints, list) else ():
            if not isinstance(endpoint, Mapping):
                continue
            key = (str(endpoint.get("name", "")), str(endpoint.get("method", "")))
            run.requests[key] = run.requests.get(key, 0) + _count(endpoint, "requests")
            run.errors[key] = run.errors.get(key, 0) + _count(endpoint, "errors")
        run.last = snapshot

    def finished(self, run_id: int) -> None:
        """The run ended: its live series go."""
        self._runs.pop(run_id, None)

    def families(self) -> list[Family]:
        """The live series of every run in progress."""
        runs = sorted(self._runs.items())

        def counter(name: str, documentation: str, attribute: str) -> Family:
            points = tuple(
                Point((("run_id", str(run_id)), ("endpoint", name), ("method", method)), count)
                for run_id, run in runs
                for (name, method), count in sorted(getattr(run, attribute).items())
            )
            return Family(name, Kind.COUNTER, documentation, points=points)

        def gauge(name: str, documentation: str, key: str, unit: str = "") -> Family:
            scale = 0.001 if unit == "seconds" else 1.0
            points = tuple(
                Point((("run_id", str(run_id)),), _number(run.last, key) * scale)
                for run_id, run in runs
            )
            return Family(name, Kind.GAUGE, documentation, unit, points)

        quantiles = tuple(
            Point((("run_id", str(run_id)), ("quantile", q)), _number(run.last, key) / 1000)
            for run_id, run in runs
            for q, key in _QUANTILES
        )
        return [
            counter("loadforge_server_run_requests", "Requests of a run in progress.", "requests"),
            counter(
                "loadforge_server_run_errors", "Failed requests of a run in progress.", "errors"
            ),
            gauge("loadforge_server_run_active_users", "A run's users now.", "active_users"),
            gauge("loadforge_server_run_target_users", "A run's target users now.", "target_users"),
            gauge("loadforge_server_run_rps", "A run's requests per second, last second.", "rps"),
            gauge(
                "loadforge_server_run_elapsed_seconds",
                "How long a run has been going.",
                "elapsed_seconds",
            ),
            Family(
                "loadforge_server_run_latency_seconds",
                Kind.GAUGE,
                "A run's latency percentiles over its last second.",
                "seconds",
                quantiles,
            ),
        ]


def _count(source: Mapping[str, object], key: str) -> int:
    value = source.get(key, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _number(source: Mapping[str, object], key: str) -> float:
    value = source.get(key, 0.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
