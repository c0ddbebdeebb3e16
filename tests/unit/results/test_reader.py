"""Reading results back: whole results, and snapshot logs of runs that were killed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.models import MetricSnapshot, RunStatus, TestResult
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.results.reader import load_result, read_snapshots_jsonl
from loadforge.results.writer import ResultsWriter

STARTED = datetime(2024, 5, 1, 12, 30, 45, tzinfo=UTC)


def snapshots_of(seconds: int) -> list[MetricSnapshot]:
    builder = SnapshotBuilder()
    result = []
    for second in range(1, seconds + 1):
        collector = MetricsCollector()
        collector.record("home", "GET", 200, 1000 + second, 50, None)
        result.append(
            builder.add_interval(
                collector.take_interval(),
                timestamp=1000.0 + second,
                elapsed=float(second),
                interval_seconds=1.0,
                active_users=1,
                target_users=1,
            )
        )
    return result


def result_with(snapshots: list[MetricSnapshot]) -> TestResult:
    return TestResult(
        scenario_name="home",
        status=RunStatus.FAILED,
        start_time=STARTED,
        end_time=STARTED,
        duration_seconds=0.0,
        pattern_description="constant",
        snapshots=snapshots,
        final_summary=snapshots[-1],
        latency_histogram="",
        endpoint_histograms={},
        config={},
        loadforge_version="0.1.0",
    )


def test_load_result_reads_what_finish_wrote(tmp_path: Path) -> None:
    result = result_with(snapshots_of(2))
    with ResultsWriter.create(tmp_path, "home", STARTED) as writer:
        writer.finish(result)

    assert load_result(writer.directory) == result


def test_load_result_without_result_json_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match=r"result\.json does not exist"):
        load_result(tmp_path)


def test_load_result_with_corrupt_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text('{"scenario_name": ', encoding="utf-8")

    with pytest.raises(ResultFormatError, match=r"result\.json is not valid JSON"):
        load_result(tmp_path)


def test_load_result_with_wrong_content_names_the_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text('{"snapshots": []}', encoding="utf-8")

    with pytest.raises(ResultFormatError, match=r"result\.json is not a valid .*'scenario_name'"):
        load_result(tmp_path)


def test_load_result_with_undecodable_bytes_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_bytes(b"\xff\xfe\x00")

    with pytest.raises(ResultFormatError, match=r"result\.json cannot be read"):
        load_result(tmp_path)


def test_read_snapshots_round_trips_the_writer_log(tmp_path: Path) -> None:
    snapshots = snapshots_of(3)
    with ResultsWriter.create(tmp_path, "home", STARTED) as writer:
        for snapshot in snapshots:
            writer.append_snapshot(snapshot)

    assert read_snapshots_jsonl(writer.directory / "snapshots.jsonl") == snapshots


def test_truncated_last_line_is_dropped(tmp_path: Path) -> None:
    snapshots = snapshots_of(3)
    lines = [json.dumps(snapshot.to_dict()) for snapshot in snapshots]
    path = tmp_path / "snapshots.jsonl"
    path.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2][:40], encoding="utf-8")

    assert read_snapshots_jsonl(path) == snapshots[:2]


def test_complete_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    snapshots = snapshots_of(2)
    path = tmp_path / "snapshots.jsonl"
    path.write_text("\n".join(json.dumps(s.to_dict()) for s in snapshots), encoding="utf-8")

    assert read_snapshots_jsonl(path) == snapshots


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    snapshots = snapshots_of(1)
    path = tmp_path / "snapshots.jsonl"
    path.write_text("\n" + json.dumps(snapshots[0].to_dict()) + "\n\n", encoding="utf-8")

    assert read_snapshots_jsonl(path) == snapshots


def test_corrupt_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    line = json.dumps(snapshots_of(1)[0].to_dict())
    path = tmp_path / "snapshots.jsonl"
    path.write_text(line + "\n{oops\n" + line + "\n", encoding="utf-8")

    with pytest.raises(ResultFormatError, match=r"snapshots\.jsonl line 2 is not valid JSON"):
        read_snapshots_jsonl(path)


def test_invalid_snapshot_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "snapshots.jsonl"
    path.write_text('{"timestamp": 1.0}\n', encoding="utf-8")

    with pytest.raises(ResultFormatError, match=r"line 1 is not a valid snapshot"):
        read_snapshots_jsonl(path)


def test_missing_snapshot_log_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match=r"snapshots\.jsonl does not exist"):
        read_snapshots_jsonl(tmp_path / "snapshots.jsonl")
