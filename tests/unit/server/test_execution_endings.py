"""A finished run's summary and threshold verdicts in the contract's JSON shapes."""

from __future__ import annotations

import pytest

from loadforge.metrics.models import RunStatus
from loadforge.server.contract import RunState
from loadforge.server.execution.endings import run_state, summary_of, verdicts_of
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import empty_run, normal_run


def test_the_summary_has_the_contracts_keys_and_whole_run_percentiles() -> None:
    result = normal_run()
    summary = summary_of(result)

    assert summary["total_requests"] == result.final_summary.total_requests == 33
    assert summary["failed_requests"] == 2
    assert summary["error_rate"] == pytest.approx(2 / 33)
    latency = summary["latency_ms"]
    assert isinstance(latency, dict)
    assert set(latency) == {"p50", "p95", "p99", "max", "avg"}
    assert latency["max"] == pytest.approx(5000, rel=0.01)


def test_a_run_without_requests_has_zero_latencies() -> None:
    latency = summary_of(empty_run())["latency_ms"]

    assert latency == {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "avg": 0.0}


def test_verdicts_carry_the_measured_value_or_why_there_is_none() -> None:
    thresholds = [parse_threshold(text) for text in ("p95<1s", "error_rate<1%", '"Nope": p99<1s')]
    verdicts = verdicts_of(evaluate_thresholds(thresholds, normal_run()))

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
