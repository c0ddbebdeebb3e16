"""`loadforge report`: rebuild a saved run's outputs from its result.json.

With `--threshold`, the run is judged again: each expression is read with
`run`'s grammar, its custom metrics being those the stored result recorded,
and checked against the stored result; the new outcomes replace the stored
ones in what is written, and a failed one makes the exit code 1. `--junit FILE` writes them as
JUnit XML too, so a CI job can gate a run made elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from loadforge.cli.outcomes import print_finished, report_line
from loadforge.errors import ConfigError
from loadforge.metrics.models import TestResult
from loadforge.reports import OutputFormat, PlotlySource, write_outputs
from loadforge.results import load_result
from loadforge.runs.outputs import FinishedOutputs
from loadforge.thresholds import (
    ThresholdOutcome,
    evaluate_thresholds,
    parse_threshold,
    read_outcomes,
    recorded_kinds,
    write_junit,
)


def rebuild_outputs(
    directory: Path,
    formats: Sequence[str],
    plotly: str,
    console: Console,
    thresholds: Sequence[str] = (),
    junit: Path | None = None,
) -> bool:
    """Write the requested formats again; False when a `thresholds` expression failed.

    `junit` also writes the outcomes (the new ones, or the stored ones) as
    JUnit XML, as `run --junit` does. ConfigError or ResultFormatError
    (exit 2) for a bad directory or expression.
    """
    wanted = OutputFormat.parse_all(formats)
    source = PlotlySource.parse(plotly)
    if not directory.is_dir():
        raise ConfigError(f"{directory} is not a directory; give a run's results directory.")
    result = load_result(directory)
    outcomes = judge(result, thresholds) if thresholds else read_outcomes(directory)
    written = write_outputs(directory, result, outcomes, wanted, source)
    if junit is not None:
        write_junit(junit, result, outcomes)
        written.append(junit)
    if thresholds:
        finished = FinishedOutputs(outcomes, tuple(written))
        print_finished(console, finished, quiet=False, plotly=source)
        return finished.passed
    for path in written:
        line = (
            report_line("Wrote", path, source)
            if path.suffix == ".html"
            else f"Wrote {escape(str(path))}"
        )
        console.print(line, highlight=False, soft_wrap=True)
    return True


def judge(result: TestResult, expressions: Sequence[str]) -> tuple[ThresholdOutcome, ...]:
    """Check `--threshold` expressions against a stored result; ConfigError for a bad one.

    Its custom metrics are those the result recorded: no scenario is loaded.
    """
    kinds = recorded_kinds(result)
    thresholds = [parse_threshold(text, custom_kinds=kinds) for text in expressions]
    return evaluate_thresholds(thresholds, result)
