"""The report's rows for what the scenario measured itself: checks, custom metrics, groups, timings.

Groups form a tree by their paths ("checkout", "checkout › pay"): each
group's row is followed by its nested groups and by the requests made
directly in it, each indented one level deeper, so the page reads as the
scenario's code does.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.metrics.models import TestResult
from loadforge.metrics.scenario_figures import CustomMetricFigures
from loadforge.metrics.timings import TimingFigures

SEPARATOR = " › "  # as `loadforge.http._groups.SEPARATOR`, which reports may not import


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check, or one check on one endpoint (`endpoint` set, indented under its check)."""

    name: str
    endpoint: str
    passes: int
    fails: int

    @property
    def pass_rate(self) -> float:
        """The share of passes; 0 when the check never ran."""
        total = self.passes + self.fails
        return self.passes / total if total else 0.0


@dataclass(frozen=True, slots=True)
class TreeRow:
    """A group or a request inside one, `depth` levels deep, with its figures (ms)."""

    label: str
    depth: int
    is_group: bool
    count: int
    per_second: float
    p50: float
    p95: float
    p99: float
    high: float


def check_rows(result: TestResult) -> tuple[CheckRow, ...]:
    """Each check with its pass rate, followed by its rows per endpoint."""
    rows: list[CheckRow] = []
    for name, check in sorted(result.final_summary.scenario.checks.items()):
        rows.append(CheckRow(name, "", check.passes, check.fails))
        for endpoint in sorted({*check.endpoint_passes, *check.endpoint_fails}):
            rows.append(
                CheckRow(
                    name,
                    endpoint,
                    check.endpoint_passes.get(endpoint, 0),
                    check.endpoint_fails.get(endpoint, 0),
                )
            )
    return tuple(rows)


def metric_rows(result: TestResult) -> tuple[tuple[str, CustomMetricFigures], ...]:
    """Each custom metric by name, in name order."""
    return tuple(sorted(result.final_summary.scenario.metrics.items()))


def group_tree(result: TestResult) -> tuple[TreeRow, ...]:
    """Groups and the requests made in them, as a tree in path order."""
    summary = result.final_summary
    rows: list[tuple[str, TreeRow]] = []
    for path, group in summary.scenario.groups.items():
        parts = path.split(SEPARATOR)
        row = TreeRow(
            parts[-1],
            len(parts) - 1,
            True,
            group.count,
            group.per_second,
            group.p50,
            group.p95,
            group.p99,
            group.high,
        )
        rows.append((path, row))
    for name, endpoint in summary.endpoints.items():
        parent, _, label = name.rpartition(SEPARATOR)
        if parent in summary.scenario.groups:
            row = TreeRow(
                label,
                parent.count(SEPARATOR) + 1,
                False,
                endpoint.requests,
                endpoint.rps,
                endpoint.latency_p50,
                endpoint.latency_p95,
                endpoint.latency_p99,
                endpoint.latency_max,
            )
            rows.append((name, row))
    # A group's path is a prefix of everything inside it; sorting on the
    # path's parts puts each group right before its contents.
    rows.sort(key=lambda item: (item[0].split(SEPARATOR), not item[1].is_group))
    return tuple(row for _, row in rows)


@dataclass(frozen=True, slots=True)
class TimingRow:
    """One request timing of one endpoint over the run (`endpoint` empty after its first row)."""

    endpoint: str
    timing: str
    figures: TimingFigures


def timing_rows(result: TestResult) -> tuple[TimingRow, ...]:
    """Each endpoint's recorded timings, endpoints in name order, timings in request order."""
    rows: list[TimingRow] = []
    for name, endpoint in sorted(result.final_summary.endpoints.items()):
        for index, (timing, figures) in enumerate(endpoint.timings.items()):
            rows.append(TimingRow(name if index == 0 else "", timing, figures))
    return tuple(rows)
