"""ResultsWriter lays out a run's directory and keeps what it measured if the run dies."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.results.writer import (
    ENDPOINT_COLUMNS,
    SCENARIO_COLUMNS,
    SNAPSHOT_COLUMNS,
    ResultsWriter,
    scenario_slug,
    write_atomically,
    write_csv_files,
)

STARTED = datetime(2024, 5, 1, 12, 30, 45, tzinfo=UTC)


def measured_run() -> tuple[list[MetricSnapshot], TestResult]:
    builder = SnapshotBuilder()
    snapshots = []
    for second in (1, 2):
        collector = MetricsCollector()
        collector.record("users", "GET", 200, 1000 * second, 100, None)
        collector.record("login", "POST", 500, 1500, 20, "http_500")
        stats = collector.take_interval()
        snapshots.append(
            builder.add_interval(
                stats,
                timestamp=1_714_566_645.0 + second,
                elapsed=float(second),
                interval_seconds=1.0,
                active_users=second,
                target_users=2,
                drain=second == 2,  # the second second is after the planned end
            )
        )
    summary = builder.summary(
        timestamp=1_714_566_647.0, elapsed=2.0, active_users=0, target_users=2
    )
    result = TestResult(
        scenario_name="Shop",
        status=RunStatus.COMPLETED,
        start_time=STARTED,
        end_time=datetime(2024, 5, 1, 12, 30, 47, tzinfo=UTC),
        duration_seconds=2.0,
        pattern_description="constant 2 users",
        snapshots=snapshots,
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=builder.endpoint_histograms(),
        config={"users": 2},
        loadforge_version="0.1.0",
    )
    return snapshots, result


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Shop Checkout", "shop-checkout"),
        ("  API v2 / users!! ", "api-v2-users"),
        ("a__b--c", "a-b-c"),
        ("Überprüfung", "berpr-fung"),
        ("!!!", "scenario"),
        ("", "scenario"),
    ],
)
def test_scenario_slug(name: str, slug: str) -> None:
    assert scenario_slug(name) == slug


def test_create_makes_a_named_directory_with_parents(tmp_path: Path) -> None:
    with ResultsWriter.create(tmp_path / "out" / "runs", "Shop Checkout", STARTED) as writer:
        directory = writer.directory

    assert directory == tmp_path / "out" / "runs" / "shop-checkout-20240501-123045"
    assert directory.is_dir()


def test_taken_directory_names_get_a_numeric_suffix(tmp_path: Path) -> None:
    names = []
    for _ in range(3):
        with ResultsWriter.create(tmp_path, "shop", STARTED) as writer:
            names.append(writer.directory.name)

    assert names == ["shop-20240501-123045", "shop-20240501-123045-2", "shop-20240501-123045-3"]


def test_snapshots_are_on_disk_before_finish(tmp_path: Path) -> None:
    snapshots, _ = measured_run()
    with ResultsWriter.create(tmp_path, "shop", STARTED) as writer:
        writer.append_snapshot(snapshots[0])

        lines = (writer.directory / "snapshots.jsonl").read_text(encoding="utf-8").splitlines()

        assert len(lines) == 1
        assert MetricSnapshot.from_dict(json.loads(lines[0])) == snapshots[0]
        assert not (writer.directory / "result.json").exists()


def test_finish_writes_result_json(tmp_path: Path) -> None:
    _, result = measured_run()
    with ResultsWriter.create(tmp_path, "shop", STARTED) as writer:
        writer.finish(result)

    text = (writer.directory / "result.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "result_format": 2,')
    assert TestResult.from_dict(json.loads(text)) == result
    assert [path.name for path in writer.directory.iterdir() if path.name.startswith(".")] == []
    # The CSV files are an output --format asks for, not part of every run's record.
    assert sorted(path.name for path in writer.directory.iterdir()) == [
        "result.json",
        "snapshots.jsonl",
    ]


def test_csv_files_hold_snapshot_rows(tmp_path: Path) -> None:
    snapshots, result = measured_run()
    with ResultsWriter.create(tmp_path, "shop", STARTED) as writer:
        writer.finish(result)
    write_csv_files(writer.directory, result)

    rows = read_csv(writer.directory / "snapshots.csv")
    assert tuple(rows[0]) == SNAPSHOT_COLUMNS
    assert rows[0][:2] == ["timestamp", "elapsed_seconds"]
    assert len(rows) == 3
    first = dict(zip(SNAPSHOT_COLUMNS, rows[1], strict=True))
    assert first["requests"] == "2"
    assert first["errors"] == "1"
    assert float(first["error_rate"]) == 0.5
    assert float(first["latency_p50_ms"]) == snapshots[0].latency_p50
    assert float(first["latency_max_ms"]) == snapshots[0].latency_max
    assert first["bytes_received"] == "120"
    assert SNAPSHOT_COLUMNS[-1] == "drain"
    assert [row[-1] for row in rows[1:]] == ["false", "true"]


def test_csv_files_hold_final_endpoint_rows(tmp_path: Path) -> None:
    _, result = measured_run()
    with ResultsWriter.create(tmp_path, "shop", STARTED) as writer:
        writer.finish(result)
    write_csv_files(writer.directory, result)

    rows = read_csv(writer.directory / "endpoints.csv")
    assert tuple(rows[0]) == ENDPOINT_COLUMNS
    by_name = {row[0]: dict(zip(ENDPOINT_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"users", "login"}
    assert (by_name["users"]["method"], by_name["users"]["requests"]) == ("GET", "2")
    assert float(by_name["users"]["latency_max_ms"]) == 2.0
    assert (by_name["login"]["errors"], float(by_name["login"]["error_rate"])) == ("2", 1.0)


def scenario(name: str, fixed_users: int | None, users: int) -> ScenarioMetrics:
    return ScenarioMetrics(
        name=name,
        weight=3,
        fixed_users=fixed_users,
        users=users,
        requests=40,
        rps=20.0,
        errors=2,
        error_rate=0.05,
        latency_p50=1.5,
        latency_p95=4.0,
        latency_p99=8.0,
        latency_avg=2.25,
        latency_max=9.0,
    )


def test_a_run_of_several_scenarios_has_a_scenarios_csv_row_per_scenario(tmp_path: Path) -> None:
    _, result = measured_run()
    scenarios = (scenario("Browse", None, 6), scenario("Admin", 1, 1))
    written = write_csv_files(tmp_path, replace(result, scenarios=scenarios))

    assert tmp_path / "scenarios.csv" in written
    rows = read_csv(tmp_path / "scenarios.csv")
    assert tuple(rows[0]) == SCENARIO_COLUMNS
    browse = ["Browse", "3", "", "6", "40", "20.0", "2", "0.05", "1.5", "4.0", "8.0"]
    assert rows[1] == [*browse, "2.25", "9.0"]
    assert (rows[2][0], rows[2][2], rows[2][3]) == ("Admin", "1", "1")
    assert len(rows) == 3


def test_a_run_of_one_scenario_writes_no_scenarios_csv(tmp_path: Path) -> None:
    _, result = measured_run()
    written = write_csv_files(tmp_path, result)

    assert not (tmp_path / "scenarios.csv").exists()
    assert [path.name for path in written] == ["snapshots.csv", "endpoints.csv"]


def test_finish_closes_the_snapshot_stream(tmp_path: Path) -> None:
    snapshots, result = measured_run()
    writer = ResultsWriter.create(tmp_path, "shop", STARTED)
    writer.finish(result)

    with pytest.raises(ValueError, match="closed"):
        writer.append_snapshot(snapshots[0])
    writer.close()
    writer.close()


def test_atomic_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")

    write_atomically(target, "new")

    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["result.json"]


def test_failed_atomic_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")

    def refuse(source: object, destination: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, "new")

    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["result.json"]
