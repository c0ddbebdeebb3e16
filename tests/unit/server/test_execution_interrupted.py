"""An orphaned run's remains: a summary added up from its stored seconds, and its report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.results import ResultsWriter
from loadforge.server.execution.interrupted import remains_of, write_report
from sample_runs import START, normal_run


def _stored() -> list[dict[str, object]]:
    """A normal run's seconds as the server's table holds them."""
    return [SnapshotData.from_snapshot(s).model_dump(mode="json") for s in normal_run().snapshots]


def test_the_summary_adds_up_the_stored_seconds() -> None:
    seconds = normal_run().snapshots
    remains = remains_of(_stored())
    assert remains is not None
    summary = remains.summary()
    assert summary.requests == sum(s.requests for s in seconds)
    assert summary.errors == sum(s.errors for s in seconds)
    assert summary.duration_seconds == seconds[-1].elapsed_seconds
    assert summary.rps == pytest.approx(summary.requests / seconds[-1].elapsed_seconds)
    assert summary.latency_max == max(s.latency_max for s in seconds)
    assert remains.finished_at == datetime.fromtimestamp(seconds[-1].timestamp, tz=UTC)


def test_no_stored_second_leaves_no_remains_and_a_bad_one_is_left_out() -> None:
    assert remains_of([]) is None
    remains = remains_of([{"requests": "lots"}, *_stored()])
    assert remains is not None
    assert remains.summary().requests == normal_run().final_summary.requests


def test_the_report_is_drawn_from_snapshots_jsonl(tmp_path: Path) -> None:
    with ResultsWriter.create(tmp_path, "Shop", START) as writer:
        for snapshot in normal_run().snapshots:
            writer.append_snapshot(snapshot)
    report = write_report(writer.directory, "Shop", START)
    assert report is not None
    html = report.read_text(encoding="utf-8")
    assert "interrupted" in html
    assert "whole-run latency histogram was lost" in html
    assert f"{normal_run().final_summary.requests:,}" in html


def test_no_snapshots_jsonl_means_no_report(tmp_path: Path) -> None:
    assert write_report(tmp_path, "Shop", None) is None
    assert not (tmp_path / "report.html").exists()
