"""Comparing two runs: changes, verdicts, regressions and overlays."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.reports.comparison import (
    OVERALL,
    Change,
    Figure,
    Verdict,
    compare_results,
    distribution_overlay,
    p95_overlay,
    throughput_overlay,
    verdict_of,
)
from sample_runs import Request, build_result, empty_run, normal_run


def slower(factor: float, per_second: int = 10) -> list[list[Request]]:
    second = [Request("List Items", int(1000 * (i + 1) * factor)) for i in range(per_second)]
    return [second] * 2


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
    comparison = compare_results(build_result(slower(1, 50)), build_result(slower(1.5, 50)))
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
        build_result([[Request("Old", 1000)]]),
        build_result([[Request("New", 1000)]]),
        min_requests=1,
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


def test_rows_with_too_few_requests_are_not_judged() -> None:
    # 16 requests per run (the endpoints had 3 to 16), 80 % slower.
    comparison = compare_results(build_result(slower(1, 8)), build_result(slower(1.8, 8)))
    assert [row.verdict for row in comparison.rows] == [Verdict.TOO_FEW, Verdict.TOO_FEW]
    assert comparison.rows[1].requests == Change(16, 16)
    assert comparison.regressions(0.10) == ()
    assert comparison.too_few == comparison.rows
    judged = compare_results(
        build_result(slower(1, 8)), build_result(slower(1.8, 8)), min_requests=16
    )
    assert [row.verdict for row in judged.rows] == [Verdict.WORSE, Verdict.WORSE]
    assert judged.regressions(0.10) == judged.rows


def test_p50_and_p99_count_only_when_judged() -> None:
    # The "All requests": p50 +78.6 % and p99 +79.7 %, its p95 and rps unchanged.
    unchanged = Change(10, 10)
    p50, p95, p99 = Change(10, 17.86), Change(100, 100), Change(200, 359.4)
    by_default = verdict_of(unchanged, p95, SAME_ERRORS, 0.05, p50=p50, p99=p99)
    assert by_default is Verdict.UNCHANGED
    judged = frozenset({Figure.P50, Figure.P95, Figure.P99, Figure.RPS})
    verdict = verdict_of(unchanged, p95, SAME_ERRORS, 0.05, p50=p50, p99=p99, judged=judged)
    assert verdict is Verdict.WORSE


def test_the_gate_follows_the_judged_percentiles() -> None:
    before = build_result([[Request("Search", 1000 * (i + 1)) for i in range(100)]])
    # The slowest request of the candidate is much slower: p99 moves, p95 does not.
    after = build_result([[Request("Search", 1000 * (i + 1)) for i in range(98)]
                          + [Request("Search", 500_000)] * 2])  # fmt: skip
    by_default = compare_results(before, after, tolerance=0.10)
    assert by_default.regressions(0.10) == ()
    with_p99 = compare_results(
        before, after, tolerance=0.10, judged=frozenset({Figure.P95, Figure.P99})
    )
    assert [row.name for row in with_p99.regressions(0.10)] == [OVERALL, "Search"]
    ((figure, change),) = with_p99.rows[1].latency_regressions(0.10, with_p99.judged)
    assert figure is Figure.P99
    assert change.relative is not None
    assert change.relative > 1


def test_figures_by_name_and_what_was_judged() -> None:
    assert Figure.parse_all(["p50, p95", "RPS"]) == {Figure.P50, Figure.P95, Figure.RPS}
    with pytest.raises(ConfigError, match="unknown figure 'p42'; use p50, p95, p99, rps"):
        Figure.parse_all(["p42"])
    with pytest.raises(ConfigError, match="at least one figure"):
        Figure.parse_all([" "])
    comparison = compare_results(normal_run(), normal_run())
    assert comparison.describe() == (
        "Judged by p95, rps and error_rate (a change counts beyond 5 %, or 1 percentage point"
        " of error rate); rows with fewer than 100 requests in either run are too few"
        " requests to judge."
    )
    only = compare_results(normal_run(), normal_run(), judged={Figure.P99}, min_requests=0)
    assert only.describe() == "Judged by p99 (a change counts beyond 5 %)."
    errors = compare_results(normal_run(), normal_run(), judged={Figure.ERROR_RATE})
    assert errors.describe().startswith(
        "Judged by error_rate (a change counts beyond 1 percentage point of error rate);"
    )
