"""Comparing two runs: changes, verdicts, regressions and overlays."""

from __future__ import annotations

import pytest

from loadforge.reports.comparison import (
    OVERALL,
    Change,
    Verdict,
    compare_results,
    distribution_overlay,
    p95_overlay,
    throughput_overlay,
    verdict_of,
)
from sample_runs import Request, build_result, empty_run, normal_run


def slower(factor: float) -> list[list[Request]]:
    return [[Request("List Items", int(1000 * (i + 1) * factor)) for i in range(10)]] * 2


def test_relative_change() -> None:
    assert Change(100.0, 110.0).relative == pytest.approx(0.10)
    assert Change(100.0, 50.0).relative == pytest.approx(-0.5)
    assert Change(0.0, 0.0).relative == 0.0
    assert Change(0.0, 5.0).relative is None
    assert Change(None, 5.0).relative is None


SAME_ERRORS = Change(0.0, 0.0)


@pytest.mark.parametrize(
    ("rps", "p95", "errors", "verdict"),
    [
        (Change(10, 10), Change(100, 120), SAME_ERRORS, Verdict.WORSE),
        (Change(10, 8), Change(100, 100), SAME_ERRORS, Verdict.WORSE),
        (Change(10, 10), Change(100, 100), Change(0.0, 0.02), Verdict.WORSE),
        (Change(10, 10), Change(100, 80), SAME_ERRORS, Verdict.BETTER),
        (Change(10, 12), Change(100, 100), SAME_ERRORS, Verdict.BETTER),
        (Change(10, 10), Change(100, 100), Change(0.05, 0.0), Verdict.BETTER),
        (Change(10, 10.2), Change(100, 103), Change(0.0, 0.005), Verdict.UNCHANGED),
        (Change(None, 10), Change(None, 100), Change(None, 0.0), Verdict.NEW),
        (Change(10, None), Change(100, None), Change(0.0, None), Verdict.REMOVED),
    ],
)
def test_verdicts(rps: Change, p95: Change, errors: Change, verdict: Verdict) -> None:
    assert verdict_of(rps, p95, errors, 0.05) is verdict


def test_a_slower_candidate_is_a_regression() -> None:
    comparison = compare_results(build_result(slower(1)), build_result(slower(1.5)))
    overall, endpoint = comparison.rows
    assert overall.name == OVERALL
    assert endpoint.name == "List Items"
    assert endpoint.p95.relative == pytest.approx(0.5, rel=0.02)
    assert endpoint.rps.relative == 0.0
    assert endpoint.verdict is Verdict.WORSE
    assert comparison.regressions(0.10) == comparison.rows
    assert comparison.regressions(0.60) == ()


def test_endpoints_in_one_run_only_are_new_or_removed() -> None:
    comparison = compare_results(
        build_result([[Request("Old", 1000)]]), build_result([[Request("New", 1000)]])
    )
    verdicts = {row.name: row.verdict for row in comparison.rows}
    assert verdicts == {OVERALL: Verdict.UNCHANGED, "New": Verdict.NEW, "Old": Verdict.REMOVED}
    assert comparison.regressions(0.0) == ()


def test_overlays_keep_each_runs_own_seconds() -> None:
    baseline, candidate = normal_run(), build_result(slower(1))
    throughput = throughput_overlay(baseline, candidate)
    assert throughput.baseline_elapsed == (1.0, 2.0, 3.0)
    assert throughput.candidate_elapsed == (1.0, 2.0)
    assert throughput.candidate == (10.0, 10.0)
    p95 = p95_overlay(empty_run(), candidate)
    assert p95.baseline == ()
    assert len(p95.candidate) == 2
    assert p95_overlay(empty_run(), empty_run()).is_empty
    before, after = distribution_overlay(baseline, candidate)
    assert sum(before.counts) == 33
    assert sum(after.counts) == 20
