"""JUnit XML and the outcomes stored in result.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from junit_schema import validate_junit
from loadforge.errors import ConfigError
from loadforge.metrics.errors import ResultFormatError
from loadforge.results import load_result
from loadforge.thresholds import (
    ThresholdOutcome,
    evaluate_thresholds,
    junit_xml,
    parse_threshold,
    read_outcomes,
    write_junit,
    write_result_json,
)
from sample_runs import normal_run


def outcomes() -> tuple[ThresholdOutcome, ...]:
    thresholds = [parse_threshold("p95<300ms"), parse_threshold('"Nope": p99<1s')]
    return evaluate_thresholds(thresholds, normal_run())


def test_junit_has_one_testcase_per_threshold_and_the_required_parts() -> None:
    root = validate_junit(junit_xml(normal_run(), outcomes()))
    (suite,) = root.findall("testsuite")
    assert suite.get("tests") == "2"
    assert suite.get("failures") == "1"
    assert suite.get("timestamp") == "2024-05-01T12:00:00"
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["p95<300ms", '"Nope": p99<1s']
    for case in cases:
        assert case.get("classname") == "loadforge.thresholds.Shop"
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert "never appeared" in (failure.get("message") or "")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["scenario"] == "Shop"


def test_junit_without_thresholds_is_still_valid() -> None:
    root = validate_junit(junit_xml(normal_run(), ()))
    assert root.get("tests") == "0"


def test_write_junit_reports_an_unwritable_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="--junit"):
        write_junit(blocker / "junit.xml", normal_run(), outcomes())
    write_junit(tmp_path / "deep" / "junit.xml", normal_run(), outcomes())
    validate_junit((tmp_path / "deep" / "junit.xml").read_text())


def test_outcomes_round_trip_through_result_json(tmp_path: Path) -> None:
    result = normal_run()
    stored = outcomes()
    write_result_json(tmp_path, result, stored)
    assert read_outcomes(tmp_path) == stored
    assert load_result(tmp_path).final_summary == result.final_summary


def test_a_result_without_thresholds_has_none(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text(json.dumps(normal_run().to_dict()))
    assert read_outcomes(tmp_path) == ()


@pytest.mark.parametrize(
    "stored",
    [
        {"thresholds": {}},
        {"thresholds": [{"expression": "p95<1s"}]},
        {"thresholds": [{"expression": "x", "source": "s", "passed": "yes", "message": ""}]},
        {"thresholds": [{"expression": "x", "source": "s", "passed": True, "actual": "1",
                         "message": ""}]},
    ],
)  # fmt: skip
def test_malformed_outcomes_are_result_format_errors(
    tmp_path: Path, stored: dict[str, object]
) -> None:
    (tmp_path / "result.json").write_text(json.dumps({**normal_run().to_dict(), **stored}))
    with pytest.raises(ResultFormatError):
        read_outcomes(tmp_path)


def test_unreadable_result_is_a_result_format_error(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text("{nope")
    with pytest.raises(ResultFormatError, match="cannot be read"):
        read_outcomes(tmp_path)
