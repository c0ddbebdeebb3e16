"""The terminal's side of task exceptions: the summary's section, `-v`'s notices, the exit rule.

The rule (README, "Task exceptions"): a run in which tasks raised and no
request was sent fails (exit 1, with a line saying so), thresholds or not;
a run in which only some iterations raised ends as its thresholds say, as
in k6, and the thresholds `task_errors` and `task_error_rate` gate on them.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

from loadforge.cli.format import percent
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.task_exceptions import MAX_DISTINCT, TaskException


def print_task_exceptions(console: Console, summary: MetricSnapshot) -> None:
    """Each distinct exception: its count, task, message and where the scenario raised it."""
    if not summary.task_errors:
        return
    console.print(
        f"\n[bold]Task exceptions[/] {summary.task_errors:,}"
        f" ({percent(summary.task_error_rate)} of {summary.iterations:,} iterations)",
        highlight=False,
    )
    for exception in summary.task_exceptions:
        console.print(describe_exception(exception), highlight=False, soft_wrap=True)
    kept = sum(exception.count for exception in summary.task_exceptions)
    if kept < summary.task_errors:
        console.print(
            f"  and {summary.task_errors - kept:,} more, past the first {MAX_DISTINCT} kinds",
            highlight=False,
        )


def describe_exception(exception: TaskException, *, count: bool = True) -> str:
    """``  3× in task browse: TypeError: ...`` and its traceback lines, as rich markup."""
    times = f"{exception.count:,}× " if count else ""
    lines = [f"  {times}in task {escape(exception.task)}: [red]{escape(exception.headline)}[/]"]
    lines += [f"    {escape(line)}" for line in exception.traceback.splitlines()]
    return "\n".join(lines)


def nothing_sent(summary: MetricSnapshot) -> str | None:
    """The failure line of a run whose tasks raised and that sent no request, else None."""
    if summary.requests or not summary.task_errors:
        return None
    return (
        f"[bold red]FAILED:[/] no request was sent and the tasks raised"
        f" {summary.task_errors:,} exceptions (see 'Task exceptions' above)."
    )


class FirstExceptions:
    """`-v`: prints each distinct task exception once, in the second it first happened."""

    def __init__(self, notice: Callable[[str], None]) -> None:
        self._notice = notice
        self._seen: set[tuple[str, str]] = set()

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Print the exceptions of `snapshot` not seen before in the run."""
        for exception in snapshot.task_exceptions:
            if exception.key in self._seen:
                continue
            self._seen.add(exception.key)
            self._notice(
                f"task exception at {snapshot.elapsed_seconds:.0f}s"
                f" (first of its kind):\n{describe_exception(exception, count=False)}"
            )
