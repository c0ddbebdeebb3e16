"""The terminal's end of a run: the thresholds table, the report's path, each failure."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loadforge.runs.outputs import FinishedOutputs
from loadforge.thresholds import ThresholdOutcome


def print_finished(console: Console, finished: FinishedOutputs, *, quiet: bool) -> None:
    """The outcomes and the report's path (unless quiet), then every failed threshold."""
    if not quiet:
        print_outcomes(console, finished.outcomes)
        for path in finished.written:
            if path.suffix == ".html":
                console.print(f"Report: {escape(str(path))}", highlight=False, soft_wrap=True)
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
