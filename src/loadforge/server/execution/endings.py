"""A finished run in the contract's terms: its summary and its thresholds' verdicts.

The thresholds themselves are checked, and result.json and report.html
written, by `loadforge.runs.outputs.finish_outputs`, as for `loadforge run`;
this module only turns the outcome into the JSON shapes of docs/server-api.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import RunStatus, TestResult
from loadforge.server.contract import RunState, ThresholdVerdict
from loadforge.thresholds import ThresholdOutcome, parse_threshold
from loadforge.thresholds.model import format_value

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


def summary_of(result: TestResult) -> dict[str, object]:
    """The contract's `summary`: totals, rate, throughput and whole-run latency (ms)."""
    final = result.final_summary
    # Percentiles from the whole-run histogram, as the thresholds and the report use.
    histogram = LatencyHistogram.decode(result.latency_histogram)
    measured = final.total_requests > 0
    return {
        "total_requests": final.total_requests,
        "failed_requests": final.total_errors,
        "error_rate": final.error_rate,
        "rps": final.requests_per_second,
        "duration_seconds": result.duration_seconds,
        "latency_ms": {
            "p50": histogram.percentile_ms(50) if measured else 0.0,
            "p95": histogram.percentile_ms(95) if measured else 0.0,
            "p99": histogram.percentile_ms(99) if measured else 0.0,
            "max": histogram.max_ms if measured else 0.0,
            "avg": histogram.mean_ms if measured else 0.0,
        },
    }


def verdicts_of(outcomes: Sequence[ThresholdOutcome]) -> tuple[ThresholdVerdict, ...]:
    """Each outcome as `{expression, passed, actual}`; `actual` is the measured value in words."""
    return tuple(
        ThresholdVerdict(outcome.expression, outcome.passed, _actual(outcome))
        for outcome in outcomes
    )


def _actual(outcome: ThresholdOutcome) -> str:
    if outcome.actual is None:
        return outcome.message  # why nothing could be measured
    kind = parse_threshold(outcome.expression).metric.kind
    return format_value(kind, outcome.actual)
