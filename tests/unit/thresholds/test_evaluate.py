"""Checking thresholds against a run: exact percentiles, missing endpoints, empty runs."""

from __future__ import annotations

import dataclasses

import pytest

from loadforge.metrics.models import TestResult
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import empty_run, normal_run


def check(text: str, result_name: str = "normal") -> tuple[bool, float | None, str]:
    result = normal_run() if result_name == "normal" else empty_run()
    (outcome,) = evaluate_thresholds([parse_threshold(text)], result)
    return outcome.passed, outcome.actual, outcome.message


def test_whole_run_percentiles_come_from_the_histogram() -> None:
    # normal_run: 30 List Items of 1..10 ms, 2 Create Item of 20/30 ms, one 5 s timeout.
    passed, actual, message = check("p50<300ms")
    assert passed
    assert actual == pytest.approx(6.0, rel=0.01)
    assert message.startswith("passed: p50 was 6")
    passed, actual, _ = check("max<1s")
    assert not passed
    assert actual == pytest.approx(5000.0, rel=0.01)


def test_any_percentile_can_be_named() -> None:
    passed, actual, _ = check("p99.9<1s")
    assert not passed
    assert actual == pytest.approx(5000.0, rel=0.01)


@pytest.mark.parametrize(
    ("text", "passed", "actual"),
    [
        ("requests==33".replace("==", ">="), True, 33.0),
        ("errors<=1", False, 2.0),
        ("error_rate<10%", True, 2 / 33),
        ("rps>10", True, 11.0),
        ("min>=1ms", True, 1.0),
        ('"Create Item": error_rate<10%', False, 0.5),
        ('"Create Item": requests<3', True, 2.0),
        ('"Create Item": errors<1', False, 1.0),
        ('"List Items": rps>5', True, 31 / 3),
        ('"List Items": avg<1s', True, None),
    ],
)
def test_metrics_of_the_run_and_of_endpoints(text: str, passed: bool, actual: float | None) -> None:
    got_passed, got_actual, _ = check(text)
    assert got_passed is passed
    if actual is not None:
        assert got_actual == pytest.approx(actual, rel=0.01)
    else:
        assert got_actual is not None
        assert got_actual > 100


def test_an_endpoint_that_never_appeared_fails() -> None:
    passed, actual, message = check('"Delete Item": p95<1s')
    assert not passed
    assert actual is None
    assert "'Delete Item' never appeared" in message
    assert "Create Item, List Items" in message


def test_a_run_without_requests_fails_latency_and_rate_thresholds() -> None:
    for text in ("p95<1s", "error_rate<1%", "rps>0"):
        passed, actual, message = check(text, "empty")
        assert not passed, text
        assert actual is None
        assert "no requests were measured" in message
    assert check("requests<1", "empty")[0]


def with_task_errors(result: TestResult, raised: int, iterations: int) -> TestResult:
    summary = dataclasses.replace(
        result.final_summary,
        task_errors=raised,
        iterations=iterations,
        task_error_rate=raised / iterations,
    )
    return dataclasses.replace(result, final_summary=summary)


def test_task_exceptions_have_their_own_thresholds() -> None:
    result = with_task_errors(normal_run(), 3, 10)
    rate, count, errors = evaluate_thresholds(
        [
            parse_threshold("task_error_rate<10%"),
            parse_threshold("task_errors<5"),
            parse_threshold("error_rate<10%"),
        ],
        result,
    )
    assert not rate.passed
    assert rate.actual == pytest.approx(0.3)
    assert (count.passed, count.actual) == (True, 3.0)
    # error_rate stays request errors over requests, whatever the tasks raised.
    assert errors.passed
    assert errors.actual == pytest.approx(2 / 33)


def test_task_exception_thresholds_hold_on_a_run_without_requests() -> None:
    result = with_task_errors(empty_run(), 4, 4)
    (outcome,) = evaluate_thresholds([parse_threshold("task_error_rate<=0")], result)
    assert not outcome.passed
    assert outcome.actual == 1.0
    assert "task_error_rate was" in outcome.message
