"""After a run: check its thresholds, write its report and JUnit file, print pass/fail.

`plan_outputs` runs before the load starts, so a malformed threshold or an
unknown format is a ConfigError (exit 2) and no load is sent; `finish_outputs`
runs once the result is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loadforge.cli.options import RunOptions
from loadforge.metrics.models import TestResult
from loadforge.reports import OutputFormat, PlotlySource, write_outputs
from loadforge.thresholds import (
    Metric,
    MetricKind,
    Operator,
    Threshold,
    ThresholdOutcome,
    evaluate_thresholds,
    parse_threshold,
    thresholds_from_table,
    write_junit,
)

DEFAULT_FORMATS = frozenset({OutputFormat.HTML, OutputFormat.JSON, OutputFormat.CSV})


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """What to check and write once the run is over."""

    thresholds: tuple[Threshold, ...]
    formats: frozenset[OutputFormat]
    plotly: PlotlySource
    junit: Path | None


def plan_outputs(options: RunOptions) -> OutputPlan:
    """Parse every threshold and output setting; ConfigError before any load is sent."""
    thresholds = [parse_threshold(text) for text in options.thresholds or ()]
    if options.threshold_table is not None:
        thresholds.extend(thresholds_from_table(options.threshold_table, where="config file"))
    if options.fail_on_error_rate is not None:
        # The older flag is exactly this threshold: fail when the rate is above X.
        error_rate = Metric("error_rate", MetricKind.RATE)
        thresholds.append(
            Threshold(
                error_rate, Operator.LE, options.fail_on_error_rate, None, "--fail-on-error-rate"
            )
        )
    formats = OutputFormat.parse_all(options.formats) if options.formats else DEFAULT_FORMATS
    if options.no_report:
        formats = formats - {OutputFormat.HTML}
    plotly = PlotlySource.parse(options.plotly) if options.plotly else PlotlySource.INLINE
    return OutputPlan(tuple(thresholds), formats, plotly, options.junit)


def finish_outputs(
    result: TestResult, directory: Path, plan: OutputPlan, console: Console, *, quiet: bool
) -> bool:
    """Check the thresholds, write result.json, the report and JUnit; True when all passed."""
    outcomes = evaluate_thresholds(plan.thresholds, result)
    # result.json is always rewritten so it carries the threshold outcomes; the
    # CSV files were written with the run.
    formats = {OutputFormat.JSON} | (plan.formats & {OutputFormat.HTML})
    written = write_outputs(directory, result, outcomes, formats, plan.plotly)
    if plan.junit is not None:
        write_junit(plan.junit, result, outcomes)
    if not quiet:
        print_outcomes(console, outcomes)
        for path in written:
            if path.suffix == ".html":
                console.print(f"Report: {escape(str(path))}", highlight=False, soft_wrap=True)
    for outcome in outcomes:
        if not outcome.passed:
            console.print(
                f"[bold red]FAILED:[/] threshold {escape(outcome.expression)}"
                f" ({escape(outcome.source)}): {escape(outcome.message)}",
                highlight=False,
            )
    return all(outcome.passed for outcome in outcomes)


def print_outcomes(console: Console, outcomes: tuple[ThresholdOutcome, ...]) -> None:
    """The thresholds table of the terminal summary (nothing when there are none)."""
    if not outcomes:
        return
    table = Table(title="Thresholds", header_style="bold")
    table.add_column("threshold")
    table.add_column("result")
    table.add_column("details")
    for outcome in outcomes:
        verdict = "[green]pass[/]" if outcome.passed else "[bold red]FAIL[/]"
        table.add_row(escape(outcome.expression), verdict, escape(outcome.message))
    console.print(table)
