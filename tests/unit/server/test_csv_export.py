"""The runs' CSV: the contract's header, one line per stored snapshot, streamed lazily."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.server.contract import JsonObject
from loadforge.server.csv_export import CSV_HEADER, csv_rows
from sample_runs import normal_run

CONTRACT_HEADER = (
    "elapsed_seconds,timestamp,active_users,target_users,rps,requests,errors,error_rate,"
    "latency_p50_ms,latency_p95_ms,latency_p99_ms,latency_max_ms,latency_avg_ms,drain"
)


def stored_snapshots() -> list[JsonObject]:
    return [
        SnapshotData.from_snapshot(snapshot).model_dump(mode="json")
        for snapshot in normal_run().snapshots
    ]


def test_the_header_is_the_contracts() -> None:
    assert next(csv_rows([])) == CONTRACT_HEADER + "\r\n"
    assert ",".join(CSV_HEADER) == CONTRACT_HEADER


def test_one_row_per_snapshot_with_its_figures() -> None:
    snapshots = stored_snapshots()
    rows = list(csv.DictReader("".join(csv_rows(snapshots)).splitlines()))

    assert len(rows) == len(snapshots)
    first, source = rows[0], snapshots[0]
    assert float(first["elapsed_seconds"]) == pytest.approx(source["elapsed_seconds"])
    assert first["timestamp"].endswith("Z")
    assert int(first["requests"]) == source["requests"]
    assert int(first["errors"]) == source["errors"]
    assert float(first["error_rate"]) == pytest.approx(source["error_rate"], abs=1e-6)
    assert float(first["latency_p95_ms"]) == pytest.approx(source["latency_p95"], abs=1e-3)
    assert float(first["latency_avg_ms"]) == pytest.approx(source["latency_avg"], abs=1e-3)


def test_the_drain_column_marks_seconds_after_the_planned_end() -> None:
    first, second = stored_snapshots()[:2]
    rows = list(csv.DictReader("".join(csv_rows([first, {**second, "drain": True}])).splitlines()))

    assert [row["drain"] for row in rows] == ["false", "true"]


def test_a_row_stored_before_the_drain_field_reads_false() -> None:
    snapshot = {key: value for key, value in stored_snapshots()[0].items() if key != "drain"}
    rows = list(csv.DictReader("".join(csv_rows([snapshot])).splitlines()))

    assert rows[0]["drain"] == "false"


def test_rows_are_produced_lazily() -> None:
    taken: list[int] = []

    def source() -> Iterator[JsonObject]:
        for index, snapshot in enumerate(stored_snapshots()):
            taken.append(index)
            yield snapshot

    lines = csv_rows(source())
    next(lines)
    next(lines)
    assert taken == [0]


def test_a_malformed_snapshot_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="'timestamp' should be a number"):
        list(csv_rows([{"elapsed_seconds": 1.0}]))
