"""The live view's part for what the scenario measures itself: checks, custom metrics, groups.

Check counts are summed over the snapshots seen so far (a pass rate over
the whole run so far); custom metrics and groups show the last second's
figures, as the request rows do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table

from loadforge.cli.format import ms, percent
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.scenario_figures import CustomKind, CustomMetricFigures

MAX_ROWS = 10


@dataclass(slots=True)
class CheckTotals:
    """Each check's passes and fails so far, summed from per-second snapshots."""

    passes: dict[str, int] = field(default_factory=dict)
    fails: dict[str, int] = field(default_factory=dict)

    def add(self, snapshot: MetricSnapshot) -> None:
        """Fold one per-second snapshot's checks into the totals."""
        for name, check in snapshot.scenario.checks.items():
            self.passes[name] = self.passes.get(name, 0) + check.passes
            self.fails[name] = self.fails.get(name, 0) + check.fails

    def pass_rate(self) -> float | None:
        """The share of every check passed so far; None before the first check."""
        passes = sum(self.passes.values())
        total = passes + sum(self.fails.values())
        return passes / total if total else None


def plain_suffix(totals: CheckTotals) -> str:
    """`` checks 99.5%`` for the one-line view, or "" when no check ran yet."""
    rate = totals.pass_rate()
    return "" if rate is None else f" checks {percent(rate)}"


def shown_value(metric: CustomMetricFigures) -> str:
    """A custom metric's figure of the moment: per second, level, share or p95."""
    if metric.kind is CustomKind.COUNTER:
        return f"{metric.per_second:,.1f}/s"
    if metric.kind is CustomKind.GAUGE:
        return f"{metric.value:,.6g}"
    if metric.kind is CustomKind.RATE:
        return percent(metric.ratio)
    return f"p95 {ms(metric.p95)}"


def scenario_table(snapshot: MetricSnapshot, totals: CheckTotals) -> Table | None:
    """Rows for checks, custom metrics and groups, or None when the scenario has none."""
    figures = snapshot.scenario
    if not (totals.passes or totals.fails or figures.metrics or figures.groups):
        return None
    table = Table(expand=True, box=None, header_style="bold")
    for column in ("measured", "kind", "now", "so far"):
        table.add_column(column, justify="left" if column == "measured" else "right")
    names = sorted({*totals.passes, *totals.fails})
    for name in names[:MAX_ROWS]:
        passes, fails = totals.passes.get(name, 0), totals.fails.get(name, 0)
        check = figures.checks.get(name)
        table.add_row(
            name,
            "check",
            percent(check.pass_rate) if check else "-",
            f"{percent(passes / (passes + fails))} of {passes + fails:,}",
        )
    for name, metric in list(figures.metrics.items())[:MAX_ROWS]:
        table.add_row(name, metric.kind.value, shown_value(metric), "")
    for name, group in list(figures.groups.items())[:MAX_ROWS]:
        table.add_row(name, "group", f"p95 {ms(group.p95)}", f"{group.per_second:,.1f}/s")
    return table
