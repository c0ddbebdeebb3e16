"""The end-of-run summary printed to the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from loadforge.cli.format import ms, percent
from loadforge.cli.tables import print_rows
from loadforge.cli.task_exceptions import print_task_exceptions
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, TestResult
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.thresholds import ThresholdOutcome


def print_summary(console: Console, result: TestResult) -> None:
    """Overall figures, a row per scenario (of several) and per endpoint, errors, exceptions."""
    summary = result.final_summary
    console.print(
        f"\n[bold]{result.scenario_name}[/] — {result.status.value} after "
        f"{result.duration_seconds:.1f}s ({result.pattern_description})"
    )
    overall = Table(box=None, show_header=False, padding=(0, 2))
    overall.add_column(style="bold")
    overall.add_column(justify="right")
    overall.add_row("requests", f"{summary.requests:,}")
    overall.add_row("requests/s", f"{summary.rps:,.1f}")
    overall.add_row(
        "latency p50 / p95 / p99",
        f"{ms(summary.latency_p50)} / {ms(summary.latency_p95)} / {ms(summary.latency_p99)}",
    )
    overall.add_row(
        "latency min / avg / max",
        f"{ms(summary.latency_min)} / {ms(summary.latency_avg)} / {ms(summary.latency_max)}",
    )
    overall.add_row("errors", f"{summary.errors:,} ({percent(summary.error_rate)})")
    if summary.task_errors:
        overall.add_row("task exceptions", task_exceptions_figure(summary))
    overall.add_row("peak users", f"{summary.active_users}")
    open_model = result.open_model
    if open_model:
        overall.add_row("dropped iterations", f"{summary.dropped_iterations:,}")
        overall.add_row(
            "corrected p50 / p95 / p99",
            f"{ms(summary.latency_corrected_p50)} / {ms(summary.latency_corrected_p95)} / "
            f"{ms(summary.latency_corrected_p99)}",
        )
        if result.mixed_models:
            overall.add_row("corrected for", "arrival-rate scenarios only")
    console.print(overall)
    if result.scenarios:
        _print_scenarios(console, result.scenarios)
    if summary.endpoints:
        _print_endpoints(console, summary, open_model=open_model)
    if summary.errors_by_type:
        errors = Table(title="Errors", header_style="bold")
        errors.add_column("type")
        errors.add_column("count", justify="right")
        for kind, count in sorted(summary.errors_by_type.items(), key=lambda kv: -kv[1]):
            errors.add_row(kind, f"{count:,}")
        console.print(errors)
    print_task_exceptions(console, summary)


def _print_endpoints(console: Console, summary: MetricSnapshot, *, open_model: bool) -> None:
    """One row per endpoint; the open model adds its corrected p99 (from intended starts)."""
    rows = [
        (name, _endpoint_cells(endpoint, open_model=open_model))
        for name, endpoint in sorted(summary.endpoints.items())
    ]
    print_rows(console, "Endpoints", _endpoint_columns(open_model), rows)


def _print_scenarios(console: Console, scenarios: Sequence[ScenarioMetrics]) -> None:
    """One row per scenario of a run of several: its share of users and its figures."""
    columns = ["scenario", "users", "requests", "rps", "p50", "p95", "p99", "errors"]
    rows = [
        (
            each.name,
            [
                f"{each.users}" + (" (fixed)" if each.fixed_users is not None else ""),
                f"{each.requests:,}",
                f"{each.rps:,.1f}",
                ms(each.latency_p50),
                ms(each.latency_p95),
                ms(each.latency_p99),
                f"{each.errors:,} ({percent(each.error_rate)})",
            ],
        )
        for each in scenarios
    ]
    print_rows(console, "Scenarios", columns, rows)


def _endpoint_columns(open_model: bool) -> list[str]:
    columns = ["endpoint", "requests", "rps", "p50", "p95", "p99", "errors"]
    if open_model:
        columns.insert(6, "corrected p99")
    return columns


def _endpoint_cells(endpoint: EndpointMetrics, *, open_model: bool) -> list[str]:
    """An endpoint's figures, in the order of `_endpoint_columns` after the name."""
    cells = [
        f"{endpoint.requests:,}",
        f"{endpoint.rps:,.1f}",
        ms(endpoint.latency_p50),
        ms(endpoint.latency_p95),
        ms(endpoint.latency_p99),
        f"{endpoint.errors:,} ({percent(endpoint.error_rate)})",
    ]
    if open_model:
        # A mixed run's endpoints of scenarios on users start on no schedule: nothing to correct.
        corrected = ms(endpoint.latency_corrected_p99) if endpoint.latency_corrected_max else "—"
        cells.insert(5, corrected)
    return cells


def summary_line(result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> str:
    """The whole run in one line, printed even with --quiet.

    "requests 1,204 · 40.1 rps · p50 1.20ms p95 3.40ms p99 8.00ms ·
    errors 3 (0.25%) · thresholds 2 passed, 1 failed"
    """
    summary = result.final_summary
    passed = sum(outcome.passed for outcome in outcomes)
    failed = len(outcomes) - passed
    gates = f"thresholds {passed} passed, {failed} failed" if outcomes else "no thresholds"
    raised = f"task exceptions {task_exceptions_figure(summary)} · " if summary.task_errors else ""
    return (
        f"requests {summary.requests:,} · {summary.rps:,.1f} rps · "
        f"p50 {ms(summary.latency_p50)} p95 {ms(summary.latency_p95)} "
        f"p99 {ms(summary.latency_p99)} · "
        f"errors {summary.errors:,} ({percent(summary.error_rate)}) · {raised}{gates}"
    )


def task_exceptions_figure(summary: MetricSnapshot) -> str:
    """``12 (3.00% of 400 iterations)``: task exceptions over the scenario's calls."""
    return (
        f"{summary.task_errors:,} ({percent(summary.task_error_rate)}"
        f" of {summary.iterations:,} iterations)"
    )


def results_line(directory: Path) -> str:
    """The CLI's last line: where the results are."""
    return f"Results: {directory}"
