"""`loadforge compare`: two runs side by side, as a printed table and an HTML page."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from loadforge.cli.outcomes import report_line
from loadforge.cli.tables import print_rows
from loadforge.errors import ConfigError
from loadforge.reports.compare_report import render_comparison
from loadforge.reports.comparison import (
    DEFAULT_JUDGED,
    DEFAULT_MIN_REQUESTS,
    DEFAULT_TOLERANCE,
    Comparison,
    Figure,
    compare_results,
)
from loadforge.reports.page import ms, signed_percent
from loadforge.reports.plotly_source import PlotlySource
from loadforge.results import load_result
from loadforge.results.writer import write_atomically

EXIT_OK = 0
EXIT_REGRESSED = 1
_VERDICT_STYLE = {"better": "green", "worse": "bold red", "too few requests to judge": "yellow"}


def parse_percentage(text: str, *, where: str = "--fail-on-regression") -> float:
    """`10%` or `10` as the fraction 0.10; ConfigError for anything else."""
    number = text.strip().removesuffix("%").strip()
    try:
        value = float(number)
    except ValueError:
        raise ConfigError(f"{where} must be a percentage like 10%, got {text!r}.") from None
    if not 0 <= value < 10_000:
        raise ConfigError(f"{where} must be a percentage between 0% and 10000%, got {text!r}.")
    return value / 100


def print_comparison(console: Console, comparison: Comparison) -> None:
    """The per-endpoint comparison table, then what its verdicts judged."""
    rows = []
    for row in comparison.rows:
        cells: list[str | Text] = [
            f"{row.rps.candidate or 0:,.1f} ({signed_percent(row.rps.relative)})"
        ]
        for change in (row.p50, row.p95, row.p99):
            cells.append(f"{ms(change.candidate or 0)} ({signed_percent(change.relative)})")
        cells.append(Text(row.verdict.value, style=_VERDICT_STYLE.get(row.verdict.value, "")))
        rows.append((row.name, cells))
    columns = ("endpoint", "rps", "p50", "p95", "p99", "verdict")
    title = f"{comparison.candidate} vs {comparison.baseline}"
    print_rows(console, title, columns, rows, beside_name="verdict")
    console.print(comparison.describe(), highlight=False, soft_wrap=True)


def _run_directory(path: Path, role: str) -> Path:
    if not path.is_dir():
        raise ConfigError(f"{role} {path} is not a directory; give a run's results directory.")
    return path


def run_compare(
    baseline_dir: Path,
    candidate_dir: Path,
    output: Path | None,
    fail_on_regression: str | None,
    plotly: str,
    console: Console,
    *,
    judge: str | None = None,
    min_requests: int | None = None,
) -> int:
    """Compare, print, write the HTML; the exit code says whether the gate passed."""
    limit = None if fail_on_regression is None else parse_percentage(fail_on_regression)
    if min_requests is None:
        min_requests = DEFAULT_MIN_REQUESTS
    judged = DEFAULT_JUDGED if judge is None else Figure.parse_all([judge])
    if min_requests < 0:
        raise ConfigError(f"--min-requests must be 0 or more, got {min_requests}.")
    if limit is not None and not any(figure.is_latency for figure in judged):
        raise ConfigError(
            "--fail-on-regression gates on latency: give --judge at least one of p50, p95, p99."
        )
    source = PlotlySource.parse(plotly)
    baseline = load_result(_run_directory(baseline_dir, "BASELINE"))
    candidate = load_result(_run_directory(candidate_dir, "CANDIDATE"))
    labels = (baseline_dir.resolve().name, candidate_dir.resolve().name)
    if labels[0] == labels[1]:
        labels = ("baseline", "candidate")
    tolerance = DEFAULT_TOLERANCE if limit is None else limit
    comparison = compare_results(
        baseline,
        candidate,
        tolerance=tolerance,
        labels=labels,
        judged=judged,
        min_requests=min_requests,
    )
    print_comparison(console, comparison)
    page = render_comparison(comparison, baseline, candidate, regression_limit=limit, plotly=source)
    target = output or candidate_dir / f"compare-vs-{labels[0]}.html"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, page)
    except OSError as exc:
        raise ConfigError(f"The comparison cannot be written to {target}: {exc}") from exc
    console.print(report_line("Comparison:", target, source), highlight=False, soft_wrap=True)
    if limit is None:
        return EXIT_OK
    regressions = comparison.regressions(limit)
    for row in regressions:
        for figure, change in row.latency_regressions(limit, comparison.judged):
            console.print(
                f"[bold red]REGRESSION:[/] {escape(row.name)} {figure.value}"
                f" {ms(change.baseline or 0)} → {ms(change.candidate or 0)}"
                f" ({signed_percent(change.relative)}),"
                f" more than --fail-on-regression {limit * 100:g}%.",
                highlight=False,
            )
    return EXIT_REGRESSED if regressions else EXIT_OK
