"""The terminal's end of a run: the thresholds table, the report's path, each failure."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loadforge.reports import PlotlySource
from loadforge.reports.plotly_source import inline_size
from loadforge.runs.outputs import FinishedOutputs
from loadforge.thresholds import ThresholdOutcome


def print_finished(
    console: Console,
    finished: FinishedOutputs,
    *,
    quiet: bool,
    plotly: PlotlySource = PlotlySource.INLINE,
) -> None:
    """The outcomes and the report's path (unless quiet), then every failed threshold."""
    if not quiet:
        print_outcomes(console, finished.outcomes)
        for path in finished.written:
            if path.suffix == ".html":
                console.print(report_line("Report:", path, plotly), highlight=False, soft_wrap=True)
    for outcome in finished.outcomes:
        if not outcome.passed:
            console.print(
                f"[bold red]FAILED:[/] threshold {escape(outcome.expression)}"
                f" ({escape(outcome.source)}): {escape(outcome.message)}",
                highlight=False,
            )


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


def report_line(label: str, path: Path, plotly: PlotlySource) -> str:
    """`label` and the report's path with its size; an inline one offers the smaller `cdn`."""
    size = path.stat().st_size
    line = f"{label} {escape(str(path))} ({file_size(size)}"
    if plotly is PlotlySource.INLINE and size > inline_size():
        smaller = file_size(size - inline_size())
        line += f", plotly.js inline; --plotly cdn makes it {smaller}, loading plotly.js online"
    return line + ")"


def file_size(size: int) -> str:
    """A file's size as a person reads it: 812 B, 23 KB, 4.8 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"
