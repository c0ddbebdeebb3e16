"""A finished run in the contract's terms: its summary and its thresholds' verdicts.

The thresholds themselves are checked, and result.json and report.html
written, by `loadforge.runs.outputs.finish_outputs`, as for `loadforge run`;
this module only turns the outcome into the contract's types (docs/server-api.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from loadforge.metrics.models import RunStatus, TestResult
from loadforge.server.contract import RunState, RunSummary, ThresholdVerdict
from loadforge.thresholds import Threshold, ThresholdOutcome
from loadforge.thresholds.model import MetricKind, format_value

__all__ = ["run_state", "summary_of", "verdicts_of"]

_STATES = {
    RunStatus.COMPLETED: RunState.COMPLETED,
    # The engine's "interrupted" is a signal asking it to stop: the server's stop.
    RunStatus.INTERRUPTED: RunState.STOPPED,
    RunStatus.FAILED: RunState.FAILED,
}


def run_state(status: RunStatus) -> RunState:
    """The server state of an engine result's status."""
    return _STATES[status]


def summary_of(result: TestResult) -> RunSummary:
    """The contract's `summary`: the final summary's totals, rate, throughput and latencies."""
    final = result.final_summary
    return RunSummary(
        requests=final.requests,
        errors=final.errors,
        error_rate=final.error_rate,
        rps=final.rps,
        duration_seconds=result.duration_seconds,
        latency_p50=final.latency_p50,
        latency_p95=final.latency_p95,
        latency_p99=final.latency_p99,
        latency_max=final.latency_max,
        latency_avg=final.latency_avg,
    )


def verdicts_of(
    outcomes: Sequence[ThresholdOutcome], thresholds: Sequence[Threshold]
) -> tuple[ThresholdVerdict, ...]:
    """Each outcome of `thresholds` (in order) as `{expression, passed, actual}`.

    `actual` is the measured value in words, in the unit of its threshold's metric.
    """
    return tuple(
        ThresholdVerdict(
            outcome.expression, outcome.passed, _actual(outcome, threshold.metric.kind)
        )
        for outcome, threshold in zip(outcomes, thresholds, strict=True)
    )


def _actual(outcome: ThresholdOutcome, kind: MetricKind) -> str:
    if outcome.actual is None:
        return outcome.message  # why nothing could be measured
    return format_value(kind, outcome.actual)
