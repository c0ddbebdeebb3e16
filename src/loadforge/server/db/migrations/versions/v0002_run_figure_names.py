"""Stored snapshots and summaries take the run figures' one set of names.

A snapshot was `{"total_requests", "rps", "latency": {"p50", ...},
"errors": {"total", "rate", "by_status", "by_type"}, "endpoints":
[{"request_count", "error_count", ...}]}` and becomes flat, with the names
of `loadforge.metrics.snapshot_schema.SnapshotData`: `requests`, `rps`,
`latency_p50` ..., `errors`, `error_rate`, `errors_by_status`,
`errors_by_type`, and `requests`/`errors` per endpoint. A run's summary was
`{"total_requests", "failed_requests", ..., "latency_ms": {"p50", ...}}` and
becomes `loadforge.server.contract.RunSummary`'s `{"requests", "errors", ...,
"latency_p50", ...}`. The names are spelled out here rather than imported,
so that this migration keeps meaning what it meant when later code changes.
Rows already in the new form are left as they are; downgrade writes the old
form back.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

Json = dict[str, Any]

_LATENCIES = ("p50", "p75", "p90", "p95", "p99", "p999", "min", "max", "avg")
_SUMMARY_LATENCIES = ("p50", "p95", "p99", "max", "avg")
_ENDPOINT_LATENCIES = ("latency_p50", "latency_p95", "latency_p99", "latency_avg", "latency_max")
_USERS = ("timestamp", "elapsed_seconds", "active_users", "target_users")

_RUNS = sa.table("runs", sa.column("id", sa.Integer), sa.column("summary", sa.JSON))
_SNAPSHOTS = sa.table(
    "run_snapshots",
    sa.column("run_id", sa.Integer),
    sa.column("second", sa.Integer),
    sa.column("snapshot", sa.JSON),
)


def upgrade() -> None:
    """Rewrite every stored snapshot and summary in the new names."""
    _rewrite(snapshot_to_new, summary_to_new)


def downgrade() -> None:
    """Write them back in the old names."""
    _rewrite(snapshot_to_old, summary_to_old)


def snapshot_to_new(old: Mapping[str, Any]) -> Json | None:
    """The flat form of an old snapshot; None when it is not in the old form."""
    latency, errors = old.get("latency"), old.get("errors")
    if not isinstance(latency, Mapping) or not isinstance(errors, Mapping):
        return None
    return {
        **{key: old[key] for key in _USERS},
        "requests": old["total_requests"],
        "rps": old["rps"],
        **{f"latency_{key}": latency[key] for key in _LATENCIES},
        "errors": errors["total"],
        "error_rate": errors["rate"],
        "errors_by_status": errors["by_status"],
        "errors_by_type": errors["by_type"],
        "endpoints": [_endpoint_to_new(endpoint) for endpoint in old["endpoints"]],
    }


def _endpoint_to_new(old: Mapping[str, Any]) -> Json:
    return {
        "name": old["name"],
        "method": old["method"],
        "requests": old["request_count"],
        "rps": old["rps"],
        **{key: old[key] for key in _ENDPOINT_LATENCIES},
        "errors": old["error_count"],
        "error_rate": old["error_rate"],
    }


def snapshot_to_old(new: Mapping[str, Any]) -> Json | None:
    """The nested form of a flat snapshot; None when it is not flat."""
    if "latency" in new or "requests" not in new:
        return None
    return {
        **{key: new[key] for key in _USERS},
        "rps": new["rps"],
        "total_requests": new["requests"],
        "latency": {key: new[f"latency_{key}"] for key in _LATENCIES},
        "errors": {
            "total": new["errors"],
            "rate": new["error_rate"],
            "by_status": new["errors_by_status"],
            "by_type": new["errors_by_type"],
        },
        "endpoints": [_endpoint_to_old(endpoint) for endpoint in new["endpoints"]],
    }


def _endpoint_to_old(new: Mapping[str, Any]) -> Json:
    return {
        "name": new["name"],
        "method": new["method"],
        "rps": new["rps"],
        "request_count": new["requests"],
        **{key: new[key] for key in _ENDPOINT_LATENCIES},
        "error_count": new["errors"],
        "error_rate": new["error_rate"],
    }


def summary_to_new(old: Mapping[str, Any]) -> Json | None:
    """A summary in the new names; None when it is not in the old form."""
    latency = old.get("latency_ms")
    if not isinstance(latency, Mapping):
        return None
    return {
        "requests": old["total_requests"],
        "errors": old["failed_requests"],
        "error_rate": old["error_rate"],
        "rps": old["rps"],
        "duration_seconds": old["duration_seconds"],
        **{f"latency_{key}": latency[key] for key in _SUMMARY_LATENCIES},
    }


def summary_to_old(new: Mapping[str, Any]) -> Json | None:
    """A summary in the old names; None when it is not in the new form."""
    if "latency_ms" in new or "requests" not in new:
        return None
    return {
        "total_requests": new["requests"],
        "failed_requests": new["errors"],
        "error_rate": new["error_rate"],
        "rps": new["rps"],
        "duration_seconds": new["duration_seconds"],
        "latency_ms": {key: new[f"latency_{key}"] for key in _SUMMARY_LATENCIES},
    }


Convert = Callable[[Mapping[str, Any]], Json | None]


def _rewrite(snapshot: Convert, summary: Convert) -> None:
    """Convert every row, one run at a time, so no more than a run is held in memory."""
    connection = op.get_bind()
    runs = list(connection.execute(sa.select(_RUNS.c.id, _RUNS.c.summary)))
    for run_id, stored in runs:
        if isinstance(stored, Mapping) and (converted := summary(stored)) is not None:
            connection.execute(
                sa.update(_RUNS).where(_RUNS.c.id == run_id).values(summary=converted)
            )
        rows = connection.execute(
            sa.select(_SNAPSHOTS.c.second, _SNAPSHOTS.c.snapshot).where(
                _SNAPSHOTS.c.run_id == run_id
            )
        )
        changes = [
            {"b_run": run_id, "b_second": second, "b_snapshot": converted}
            for second, stored_snapshot in list(rows)
            if isinstance(stored_snapshot, Mapping)
            and (converted := snapshot(stored_snapshot)) is not None
        ]
        if changes:
            connection.execute(
                sa.update(_SNAPSHOTS)
                .where(
                    _SNAPSHOTS.c.run_id == sa.bindparam("b_run"),
                    _SNAPSHOTS.c.second == sa.bindparam("b_second"),
                )
                .values(snapshot=sa.bindparam("b_snapshot", type_=sa.JSON)),
                changes,
            )
