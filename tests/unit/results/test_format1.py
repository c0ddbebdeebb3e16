"""A results directory written by format 1 reads as if format 2 had written it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from format1_run import ERRORS, FORMAT1_RUN, REQUESTS, SECONDS, copy_format1_run, format1_document
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.format1 import FORMAT_1_NAMES, result_from_format1, snapshot_from_format1
from loadforge.metrics.models import RESULT_FORMAT, RunStatus, TestResult
from loadforge.results import load_result, read_snapshots_jsonl
from loadforge.results.writer import write_atomically
from loadforge.thresholds import read_outcomes


def test_the_fixture_is_format_1() -> None:
    document = format1_document()
    final = document["final_summary"]
    assert isinstance(final, dict)

    assert document["result_format"] == 1
    assert set(FORMAT_1_NAMES) <= set(final)
    assert not set(FORMAT_1_NAMES.values()) & set(final)


def test_result_json_of_format_1_reads_under_the_new_names() -> None:
    result = load_result(FORMAT1_RUN)
    final = result.final_summary

    assert result.status is RunStatus.COMPLETED
    assert (final.requests, final.errors) == (REQUESTS, ERRORS)
    assert final.rps == format1_document()["final_summary"]["requests_per_second"]  # type: ignore[index]
    assert final.errors_by_status == {503: ERRORS}
    assert len(result.snapshots) == SECONDS
    assert sum(s.requests for s in result.snapshots) == REQUESTS
    assert sum(s.errors for s in result.snapshots) == ERRORS
    assert set(final.endpoints) == {"Anything", "Broken"}
    assert final.endpoints["Broken"].errors == ERRORS


def test_snapshots_jsonl_of_format_1_reads_the_same_snapshots() -> None:
    assert (
        read_snapshots_jsonl(FORMAT1_RUN / "snapshots.jsonl") == load_result(FORMAT1_RUN).snapshots
    )


def test_its_thresholds_are_read_too() -> None:
    outcomes = read_outcomes(FORMAT1_RUN)

    assert [(o.expression, o.passed) for o in outcomes] == [
        ("p95<1s", True),
        ("error_rate<1%", False),
    ]


def test_written_again_it_is_format_2_with_the_same_figures(tmp_path: Path) -> None:
    result = load_result(FORMAT1_RUN)

    document = json.loads(json.dumps(result.to_dict()))

    assert document["result_format"] == RESULT_FORMAT == 2
    assert document["final_summary"]["requests"] == REQUESTS
    assert "total_requests" not in document["final_summary"]
    assert TestResult.from_dict(document) == result


def test_a_file_without_result_format_is_read_as_format_1(tmp_path: Path) -> None:
    directory = copy_format1_run(tmp_path / "run")
    document = format1_document()
    del document["result_format"]
    write_atomically(directory / "result.json", json.dumps(document))

    assert load_result(directory) == load_result(FORMAT1_RUN)


@pytest.mark.parametrize("written", [3, "1", True])
def test_other_formats_are_refused_by_name(written: object) -> None:
    document = {**format1_document(), "result_format": written}

    with pytest.raises(ResultFormatError, match=f"uses format {written!r}.*formats 1 to 2"):
        TestResult.from_dict(document)


def test_a_broken_format_1_file_is_still_a_clear_error() -> None:
    document = format1_document()
    document["final_summary"] = {**document["final_summary"], "total_requests": "many"}  # type: ignore[dict-item]

    with pytest.raises(ResultFormatError, match="'requests' should be a non-negative integer"):
        TestResult.from_dict(document)


def test_the_renaming_touches_only_the_three_snapshot_keys() -> None:
    snapshot = {"total_requests": 1, "requests_per_second": 2.0, "total_errors": 0, "endpoints": {}}

    assert snapshot_from_format1(snapshot) == {
        "requests": 1,
        "rps": 2.0,
        "errors": 0,
        "endpoints": {},
    }
    assert result_from_format1({"snapshots": "nope"}) == {"snapshots": "nope"}
    assert result_from_format1({"final_summary": [1]}) == {"final_summary": [1]}
