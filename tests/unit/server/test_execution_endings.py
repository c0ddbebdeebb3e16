"""A finished run's summary and threshold verdicts in the contract's types."""

from __future__ import annotations

import pytest

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import RunStatus
from loadforge.server.contract import RunState, RunSummary
from loadforge.server.execution.endings import run_state, summary_of, verdicts_of
from loadforge.server.execution.profile import output_plan
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import empty_run, normal_run, scenario_run


def test_the_summary_is_the_final_summarys_figures() -> None:
    result = normal_run()
    final = result.final_summary
    summary = summary_of(result)

    assert summary.requests == final.requests == 33
    assert summary.errors == 2
    assert summary.error_rate == pytest.approx(2 / 33)
    assert summary.rps == final.rps
    assert summary.duration_seconds == result.duration_seconds == 3.0
    assert summary.latency_max == pytest.approx(5000, rel=0.01)
    assert (summary.latency_p50, summary.latency_p95, summary.latency_p99) == (
        final.latency_p50,
        final.latency_p95,
        final.latency_p99,
    )
    assert summary.latency_avg == final.latency_avg


def test_the_summary_matches_the_whole_run_histogram() -> None:
    result = normal_run()
    histogram = LatencyHistogram.decode(result.latency_histogram)
    summary = summary_of(result)

    assert summary.latency_p50 == histogram.percentile_ms(50)
    assert summary.latency_p95 == histogram.percentile_ms(95)
    assert summary.latency_p99 == histogram.percentile_ms(99)
    assert summary.latency_max == histogram.max_ms
    assert summary.latency_avg == pytest.approx(histogram.mean_ms)


def test_a_run_without_requests_has_zero_latencies() -> None:
    summary = summary_of(empty_run())

    assert summary.requests == summary.errors == 0
    latencies = (summary.latency_p50, summary.latency_p95, summary.latency_p99)
    assert (*latencies, summary.latency_max, summary.latency_avg) == (0.0,) * 5


def test_the_summary_json_has_the_vocabularys_names_and_round_trips() -> None:
    summary = summary_of(normal_run())

    assert list(summary.to_dict()) == [
        "requests", "errors", "error_rate", "rps", "duration_seconds",
        "latency_p50", "latency_p95", "latency_p99", "latency_max", "latency_avg",
    ]  # fmt: skip
    assert RunSummary.from_dict(summary.to_dict()) == summary


@pytest.mark.parametrize(
    ("change", "message"),
    [({"requests": None}, "'requests' should be a number"), ({"rps": True}, "'rps'")],
)
def test_a_malformed_summary_is_a_value_error(change: dict[str, object], message: str) -> None:
    document = {**summary_of(normal_run()).to_dict(), **change}

    with pytest.raises(ValueError, match=message):
        RunSummary.from_dict(document)


def test_verdicts_carry_the_measured_value_or_why_there_is_none() -> None:
    thresholds = [parse_threshold(text) for text in ("p95<1s", "error_rate<1%", '"Nope": p99<1s')]
    verdicts = verdicts_of(evaluate_thresholds(thresholds, normal_run()), thresholds)

    assert [v.expression for v in verdicts] == ["p95<1s", "error_rate<1%", '"Nope": p99<1s']
    assert [v.passed for v in verdicts] == [True, False, False]
    assert verdicts[0].actual.endswith("ms")
    assert verdicts[1].actual.endswith("%")
    assert "never appeared" in verdicts[2].actual


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (RunStatus.COMPLETED, RunState.COMPLETED),
        (RunStatus.INTERRUPTED, RunState.STOPPED),
        (RunStatus.FAILED, RunState.FAILED),
    ],
)
def test_engine_statuses_map_to_run_states(status: RunStatus, state: RunState) -> None:
    assert run_state(status) is state


def test_custom_metric_verdicts_read_in_their_metrics_unit() -> None:
    result = scenario_run()
    plan = output_plan(["orders>39", "paid>=60%", "never>1"], result)
    verdicts = verdicts_of(evaluate_thresholds(plan.thresholds, result), plan.thresholds)

    assert [v.passed for v in verdicts] == [True, False, False]
    assert verdicts[0].actual == "40"
    assert verdicts[1].actual.endswith("%")
    assert "custom metric 'never' was never recorded" in verdicts[2].actual
