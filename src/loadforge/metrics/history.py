"""A run's per-second history kept in bounded memory, however long the run lasts.

Every snapshot still reaches snapshots.jsonl (and the server's table) as it
comes; what a run keeps in memory for result.json and the report is a
`SnapshotHistory` of at most `HISTORY_POINTS` points (`downsample` gives a
replayed or older history the same bound). Until it is full each point is
one second; when it fills, neighbouring points are merged in pairs, so a
point covers 2, then 4, 8... seconds. A history holds 600 to 1,200 points;
a 24-hour run ends with 675 points of 128 s each.

A merged point adds up what the seconds counted (requests, errors, bytes),
so totals stay exact; its rates divide them by the seconds it covers; its
latency max and min are exact; its mean is exact; its percentiles are the
request-weighted mean of the seconds' percentiles, which is what a chart of
a long run can show. The run's own percentiles come from its whole-run
histogram, never from these points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from loadforge.metrics.snapshot import EndpointMetrics, MetricSnapshot
from loadforge.metrics.task_exceptions import TaskException, add_exceptions, by_count

__all__ = ["HISTORY_POINTS", "SnapshotHistory", "downsample", "merge_snapshots"]

K = TypeVar("K")

HISTORY_POINTS = 1200
"""Points a history keeps at most: 20 minutes at one point a second."""

_WEIGHTED = (
    "latency_p50",
    "latency_p75",
    "latency_p90",
    "latency_p95",
    "latency_p99",
    "latency_p999",
    "latency_avg",
    "latency_corrected_p50",
    "latency_corrected_p95",
    "latency_corrected_p99",
    "latency_corrected_p999",
)
_ENDPOINT_WEIGHTED = (
    "latency_p50",
    "latency_p95",
    "latency_p99",
    "latency_avg",
    "latency_corrected_p50",
    "latency_corrected_p95",
    "latency_corrected_p99",
)


class SnapshotHistory:
    """The run's snapshots in at most `limit` points, the oldest merged first in pairs."""

    def __init__(self, limit: int = HISTORY_POINTS) -> None:
        if limit < 2 or limit % 2:
            raise ValueError(f"a history's limit must be an even number of 2 or more, not {limit}")
        self._limit = limit
        self._points: list[MetricSnapshot] = []
        self._pending: list[MetricSnapshot] = []
        self._stride = 1
        self._origin: float | None = None  # where the first snapshot's interval began

    @property
    def seconds_per_point(self) -> int:
        """How many snapshots each finished point merges (1 until the history first fills)."""
        return self._stride

    @property
    def points(self) -> Sequence[MetricSnapshot]:
        """The finished points, oldest first (the snapshots not yet merged are left out)."""
        return self._points

    def append(self, snapshot: MetricSnapshot) -> None:
        """Add the next snapshot; merge the history in pairs when it reaches its limit."""
        if self._origin is None:
            self._origin = _start_of(snapshot)
        self._pending.append(snapshot)
        if len(self._pending) < self._stride:
            return
        self._points.append(merge_snapshots(self._pending, self._end_of_points()))
        self._pending = []
        if len(self._points) >= self._limit:
            self._compact()

    def snapshots(self) -> list[MetricSnapshot]:
        """Every point, the snapshots not yet merged as one last point."""
        if not self._pending:
            return list(self._points)
        return [*self._points, merge_snapshots(self._pending, self._end_of_points())]

    def __len__(self) -> int:
        return len(self._points) + (1 if self._pending else 0)

    def _end_of_points(self) -> float:
        if self._points:
            return self._points[-1].elapsed_seconds
        return self._origin if self._origin is not None else 0.0

    def _compact(self) -> None:
        start = self._origin if self._origin is not None else 0.0
        merged: list[MetricSnapshot] = []
        for index in range(0, len(self._points), 2):
            pair = self._points[index : index + 2]
            merged.append(merge_snapshots(pair, start))
            start = pair[-1].elapsed_seconds
        self._points = merged
        self._stride *= 2


def downsample(
    snapshots: Iterable[MetricSnapshot], limit: int = HISTORY_POINTS
) -> list[MetricSnapshot]:
    """At most `limit` points of a history: a result written before histories were bounded,
    or a snapshots.jsonl read a line at a time."""
    if isinstance(snapshots, Sequence) and len(snapshots) <= limit:
        return list(snapshots)
    history = SnapshotHistory(limit)
    for snapshot in snapshots:
        history.append(snapshot)
    return history.snapshots()


def merge_snapshots(parts: Sequence[MetricSnapshot], start_elapsed: float) -> MetricSnapshot:
    """One snapshot over consecutive `parts`, the first beginning at `start_elapsed` seconds.

    One part is returned as it is. The merged point ends where the last part
    ends and holds the peak user counts of its parts.
    """
    if len(parts) == 1:
        return parts[0]
    if not parts:
        raise ValueError("there is nothing to merge")
    last = parts[-1]
    span = max(last.elapsed_seconds - start_elapsed, 1e-9)
    starts = [start_elapsed, *(part.elapsed_seconds for part in parts[:-1])]
    lengths = [part.elapsed_seconds - begun for part, begun in zip(parts, starts, strict=True)]
    measured = [part for part in parts if part.requests > 0]
    requests = sum(part.requests for part in parts)
    errors = sum(part.errors for part in parts)
    task_errors = sum(part.task_errors for part in parts)
    iterations = sum(part.iterations for part in parts)
    mean = _weighted_means(measured, _WEIGHTED)
    return MetricSnapshot(
        timestamp=last.timestamp,
        elapsed_seconds=last.elapsed_seconds,
        active_users=max(part.active_users for part in parts),
        target_users=max(part.target_users for part in parts),
        requests=requests,
        rps=requests / span,
        latency_p50=mean["latency_p50"],
        latency_p75=mean["latency_p75"],
        latency_p90=mean["latency_p90"],
        latency_p95=mean["latency_p95"],
        latency_p99=mean["latency_p99"],
        latency_p999=mean["latency_p999"],
        latency_min=min((part.latency_min for part in measured), default=0.0),
        latency_max=max((part.latency_max for part in measured), default=0.0),
        latency_avg=mean["latency_avg"],
        errors=errors,
        error_rate=errors / requests if requests else 0.0,
        errors_by_status=dict(_add_counts(part.errors_by_status for part in parts)),
        errors_by_type=dict(_add_counts(part.errors_by_type for part in parts)),
        endpoints=_merge_endpoints(parts, span),
        bytes_received=sum(part.bytes_received for part in parts),
        task_errors=task_errors,
        dropped_iterations=sum(part.dropped_iterations for part in parts),
        latency_corrected_p50=mean["latency_corrected_p50"],
        latency_corrected_p95=mean["latency_corrected_p95"],
        latency_corrected_p99=mean["latency_corrected_p99"],
        latency_corrected_p999=mean["latency_corrected_p999"],
        latency_corrected_max=max((part.latency_corrected_max for part in measured), default=0.0),
        started_iterations=sum(part.started_iterations for part in parts),
        target_rate=sum(p.target_rate * length for p, length in zip(parts, lengths, strict=True))
        / span,
        task_exceptions=_merged_exceptions(parts),
        iterations=iterations,
        task_error_rate=min(task_errors / iterations, 1.0) if iterations else 0.0,
        drain=all(part.drain for part in parts),
    )


def _merged_exceptions(parts: Sequence[MetricSnapshot]) -> tuple[TaskException, ...]:
    table: dict[tuple[str, str], TaskException] = {}
    for part in parts:
        add_exceptions(table, part.task_exceptions)
    return tuple(by_count(table.values()))


def _start_of(first: MetricSnapshot) -> float:
    """Where a run's first snapshot's interval begins: a second before its end, 0 at the latest."""
    return max(first.elapsed_seconds - 1.0, 0.0)


def _weighted_means(
    parts: Sequence[MetricSnapshot | EndpointMetrics], names: Sequence[str]
) -> dict[str, float]:
    total = sum(part.requests for part in parts)
    if not total:
        return dict.fromkeys(names, 0.0)
    return {name: sum(getattr(p, name) * p.requests for p in parts) / total for name in names}


def _add_counts(counts: Iterable[dict[K, int]]) -> Counter[K]:
    total: Counter[K] = Counter()
    for each in counts:
        total.update(each)
    return total


def _merge_endpoints(parts: Sequence[MetricSnapshot], span: float) -> dict[str, EndpointMetrics]:
    by_name: dict[str, list[EndpointMetrics]] = {}
    for part in parts:
        for key, metrics in part.endpoints.items():
            by_name.setdefault(key, []).append(metrics)
    merged: dict[str, EndpointMetrics] = {}
    for key, seen in by_name.items():
        requests = sum(m.requests for m in seen)
        errors = sum(m.errors for m in seen)
        measured = [m for m in seen if m.requests > 0]
        mean = _weighted_means(measured, _ENDPOINT_WEIGHTED)
        merged[key] = EndpointMetrics(
            name=seen[-1].name,
            method=seen[-1].method,
            requests=requests,
            rps=requests / span,
            latency_p50=mean["latency_p50"],
            latency_p95=mean["latency_p95"],
            latency_p99=mean["latency_p99"],
            latency_avg=mean["latency_avg"],
            latency_max=max((m.latency_max for m in measured), default=0.0),
            errors=errors,
            error_rate=errors / requests if requests else 0.0,
            bytes_received=sum(m.bytes_received for m in seen),
            latency_corrected_p50=mean["latency_corrected_p50"],
            latency_corrected_p95=mean["latency_corrected_p95"],
            latency_corrected_p99=mean["latency_corrected_p99"],
            latency_corrected_max=max((m.latency_corrected_max for m in measured), default=0.0),
        )
    return merged
