"""The raw per-request log: its records, its two formats, failures marked late, workers' parts."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.raw_log import (
    FIELDS,
    RawLogCollector,
    RawLogFormat,
    collector_for,
    merge_parts,
    part_path,
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_each_request_is_one_csv_record_and_still_counted(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    collector = RawLogCollector(path)
    before = time.time()
    collector.record("List Items", "GET", 200, 1500, 42, None)
    collector.record("List Items", "GET", 0, 30_000_000, 0, "timeout")
    interval = collector.take_interval()
    collector.close()
    assert interval.endpoints["List Items"].requests == 2
    first, second = _rows(path)
    assert list(first) == list(FIELDS)
    assert first["name"] == "List Items"
    assert (first["method"], first["status"], first["latency_us"], first["bytes"]) == (
        "GET",
        "200",
        "1500",
        "42",
    )
    assert first["error"] == ""
    assert before - 0.01 <= float(first["start_time"]) <= time.time()
    assert second["error"] == "timeout"
    assert float(second["start_time"]) < float(first["start_time"])  # began 30 s earlier


def test_json_lines_for_a_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "raw.jsonl"
    collector = RawLogCollector(path)
    collector.record("a", "POST", 201, 10, 0, None)
    collector.close()
    (line,) = path.read_text().splitlines()
    record = json.loads(line)
    assert list(record) == list(FIELDS)
    assert record["error"] is None
    assert record["status"] == 201


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("x.csv", RawLogFormat.CSV),
        ("x.log", RawLogFormat.CSV),
        ("x.JSONL", RawLogFormat.JSON_LINES),
        ("x.ndjson", RawLogFormat.JSON_LINES),
        ("x.json", RawLogFormat.JSON_LINES),
    ],
)
def test_the_suffix_picks_the_format(name: str, kind: RawLogFormat) -> None:
    assert RawLogFormat.of(Path(name)) is kind


def test_a_failure_marked_after_the_request_lands_on_its_record(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    collector = RawLogCollector(path)
    collector.record("a", "GET", 200, 10, 0, None)
    collector.record("b", "GET", 200, 10, 0, None)
    collector.mark_failed("a", 200, "wrong body")
    collector.close()
    assert [row["error"] for row in _rows(path)] == ["wrong body", ""]


def test_records_are_written_at_each_interval_not_each_request(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    collector = RawLogCollector(path)
    collector.record("a", "GET", 200, 10, 0, None)
    assert _rows(path) == []
    collector.take_interval()
    assert len(_rows(path)) == 1
    collector.close()


def test_no_path_is_the_plain_collector(tmp_path: Path) -> None:
    assert type(collector_for(None)) is MetricsCollector
    logging = collector_for(tmp_path / "r.csv")
    assert isinstance(logging, RawLogCollector)
    logging.close()


def test_workers_parts_are_joined_under_one_header(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    for worker_id in range(2):
        part = RawLogCollector(part_path(path, worker_id), header=False)
        part.record(f"w{worker_id}", "GET", 200, 10, 0, None)
        part.close()
    merge_parts(path, workers=3)  # a worker that never started left no part
    assert [row["name"] for row in _rows(path)] == ["w0", "w1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.csv"]


def test_a_part_keeps_the_logs_suffix_and_so_its_format() -> None:
    part = part_path(Path("/tmp/raw.jsonl"), 3)
    assert part == Path("/tmp/raw.worker3.jsonl")
    assert RawLogFormat.of(part) is RawLogFormat.JSON_LINES
