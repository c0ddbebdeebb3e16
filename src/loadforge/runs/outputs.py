"""After a run: check its thresholds, write result.json, its report and JUnit file.

`plan_outputs` runs before the load starts, so a malformed threshold or an
unknown format is a ConfigError (exit 2) and no load is sent; `finish_outputs`
runs once the result is written and returns what it found and wrote, for the
CLI to print and the server to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from loadforge.errors import ConfigError
from loadforge.metrics.models import TestResult
from loadforge.metrics.scenario_figures import CustomKind
from loadforge.reports import OutputFormat, PlotlySource, write_outputs
from loadforge.reports.pdf import find_chromium
from loadforge.runs.options import RunOptions
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
from loadforge.thresholds.parser import response_timing

DEFAULT_FORMATS = frozenset({OutputFormat.HTML, OutputFormat.JSON, OutputFormat.CSV})


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """What to check and write once the run is over."""

    thresholds: tuple[Threshold, ...]
    formats: frozenset[OutputFormat]
    plotly: PlotlySource
    junit: Path | None


def check_timings_recorded(plan: OutputPlan, records_timings: bool) -> None:
    """ConfigError (before any load) for a `ttfb` or `receiving` threshold nothing would record."""
    if records_timings:
        return
    for threshold in plan.thresholds:
        timing = response_timing(threshold)
        if timing is not None:
            raise ConfigError(
                f"{threshold.source}: {threshold.expression!r} checks {timing}, which is recorded"
                " only where timings are: add record_timings=True to @scenario(...), to each"
                " scenario's in a run of several"
                " (record_timings: true in a server spec)."
            )


def plan_outputs(
    options: RunOptions,
    *,
    custom_kinds: Mapping[str, CustomKind] | None = None,
    undeclared: bool = False,
) -> OutputPlan:
    """Parse every threshold and output setting; ConfigError before any load is sent.

    `custom_kinds` and `undeclared` say which names are custom metrics, as
    for `parse_threshold` (by default, those the scenario declared).
    """
    thresholds = [
        parse_threshold(text, custom_kinds=custom_kinds, undeclared=undeclared)
        for text in options.thresholds or ()
    ]
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
    if OutputFormat.PDF in formats:
        find_chromium()  # no browser to print the PDF: say what to install before any load
    plotly = PlotlySource.parse(options.plotly) if options.plotly else PlotlySource.INLINE
    return OutputPlan(tuple(thresholds), formats, plotly, options.junit)


@dataclass(frozen=True, slots=True)
class FinishedOutputs:
    """What `finish_outputs` checked and wrote."""

    outcomes: tuple[ThresholdOutcome, ...]
    written: tuple[Path, ...]

    @property
    def passed(self) -> bool:
        """True when every threshold passed (and when there are none)."""
        return all(outcome.passed for outcome in self.outcomes)


def finish_outputs(result: TestResult, directory: Path, plan: OutputPlan) -> FinishedOutputs:
    """Check the thresholds, write result.json, the report and JUnit; say what was found."""
    outcomes = evaluate_thresholds(plan.thresholds, result)
    # result.json is always rewritten, so that it carries the threshold outcomes:
    # `report`, `compare` and the dashboard read it. The rest is what --format asked for.
    formats = {OutputFormat.JSON} | plan.formats
    written = write_outputs(directory, result, outcomes, formats, plan.plotly)
    if plan.junit is not None:
        write_junit(plan.junit, result, outcomes)
    return FinishedOutputs(outcomes, tuple(written))
