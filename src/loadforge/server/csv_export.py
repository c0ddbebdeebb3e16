"""A run's per-second snapshots as CSV text, one line at a time for a streamed response.

The rows are the stored `SnapshotData` JSON (the WebSocket's progress
messages), so the CSV shows exactly what the live charts showed. Lines are
produced lazily: a long run's CSV is never built whole in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from loadforge.server.contract import JsonObject

__all__ = ["CSV_HEADER", "csv_rows"]

CSV_HEADER = (
    "elapsed_seconds",
    "timestamp",
    "active_users",
    "target_users",
    "rps",
    "requests",
    "errors",
    "error_rate",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_max_ms",
    "latency_avg_ms",
    "drain",
)
"""The columns of docs/server-api.md, in order.

They keep their names: a column is a snapshot field of the same name, and the
latencies carry their unit (`latency_p50_ms` is the field `latency_p50`).
`drain` is `true` for the seconds after the planned end (or a stop), while
users finished; a row stored before the field existed reads `false`.
"""
_LATENCIES = ("p50", "p95", "p99", "max", "avg")


def csv_rows(snapshots: Iterable[JsonObject]) -> Iterator[str]:
    """The header line, then one line per snapshot, each ending in CRLF (RFC 4180)."""
    yield _line(CSV_HEADER)
    for snapshot in snapshots:
        yield _line(_row(snapshot))


def _row(snapshot: JsonObject) -> tuple[object, ...]:
    timestamp = datetime.fromtimestamp(float(_number(snapshot, "timestamp")), UTC)
    return (
        round(_number(snapshot, "elapsed_seconds"), 3),
        timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        int(_number(snapshot, "active_users")),
        int(_number(snapshot, "target_users")),
        round(_number(snapshot, "rps"), 3),
        int(_number(snapshot, "requests")),
        int(_number(snapshot, "errors")),
        round(_number(snapshot, "error_rate"), 6),
        *(round(_number(snapshot, f"latency_{key}"), 3) for key in _LATENCIES),
        "true" if snapshot.get("drain") is True else "false",
    )


def _line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _number(source: JsonObject, key: str) -> float:
    value = source.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"snapshot field {key!r} should be a number, got {value!r:.40}")
    return value
