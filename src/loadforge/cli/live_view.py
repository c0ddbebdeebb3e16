"""What the terminal shows while a run goes: a rich live panel, or plain lines.

Both views render the same `MetricSnapshot` objects the engine publishes once
a second; neither computes metrics of its own beyond running totals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from loadforge.cli.format import clock, ms, percent
from loadforge.cli.logs import json_line
from loadforge.cli.scenario_view import CheckTotals, plain_suffix, scenario_table
from loadforge.metrics.models import MetricSnapshot

MAX_ENDPOINT_ROWS = 15


@dataclass(slots=True)
class RunningTotals:
    """Requests and errors so far, overall and per endpoint, summed from snapshots."""

    requests: int = 0
    errors: int = 0
    endpoint_requests: dict[str, int] = field(default_factory=dict)
    endpoint_errors: dict[str, int] = field(default_factory=dict)
    checks: CheckTotals = field(default_factory=CheckTotals)
    # Whether any second so far carried response timings (`--record-timings`).
    timed: bool = False

    def add(self, snapshot: MetricSnapshot) -> None:
        """Fold one per-second snapshot into the totals."""
        self.checks.add(snapshot)
        if not self.timed:
            self.timed = any("ttfb" in e.timings for e in snapshot.endpoints.values())
        self.requests += snapshot.requests
        self.errors += snapshot.errors
        for name, endpoint in snapshot.endpoints.items():
            self.endpoint_requests[name] = self.endpoint_requests.get(name, 0) + endpoint.requests
            self.endpoint_errors[name] = self.endpoint_errors.get(name, 0) + endpoint.errors


class LiveView:
    """A panel refreshed on every snapshot: progress, users, RPS, latency, endpoints."""

    def __init__(self, console: Console, *, title: str, duration: float) -> None:
        self._console = console
        self.title = title
        self._duration = duration
        self._totals = RunningTotals()
        self._last: MetricSnapshot | None = None
        self._live = Live(self._render(), console=console, auto_refresh=False, transient=False)

    def __enter__(self) -> LiveView:
        self._live.start(refresh=True)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._live.stop()

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Show a new second."""
        self._totals.add(snapshot)
        self._last = snapshot
        self._live.update(self._render(), refresh=True)

    def notice(self, message: str) -> None:
        """Print a line above the live panel (a signal, a lost worker)."""
        self._live.console.print(f"[yellow]{message}[/]")

    def _render(self) -> RenderableType:
        snap = self._last
        elapsed = snap.elapsed_seconds if snap else 0.0
        bar = ProgressBar(total=max(self._duration, 1e-9), completed=min(elapsed, self._duration))
        header = Text.assemble(
            (f"{clock(elapsed)} / {clock(self._duration)}  ", "bold"),
            ("draining: users finish within the grace period" if snap and snap.drain else "", ""),
        )
        stats = Table.grid(padding=(0, 3))
        for _ in range(6):
            stats.add_column()
        if snap is None:
            stats.add_row("starting…")
        else:
            stats.add_row(
                f"users [bold]{snap.active_users}[/]/{snap.target_users}",
                f"rps [bold]{snap.rps:,.1f}[/]",
                f"p50 [bold]{ms(snap.latency_p50)}[/]",
                f"p95 [bold]{ms(snap.latency_p95)}[/]",
                f"p99 [bold]{ms(snap.latency_p99)}[/]",
                _error_cell(snap.error_rate),
            )
            stats.add_row(f"requests {self._totals.requests:,}", f"errors {self._totals.errors:,}")
        # rich's ProgressBar ends without a newline: on its own in a Group the
        # next line would continue after it and be cropped at the panel's edge,
        # so the bar sits in a one-cell grid, which ends its line.
        bar_line = Table.grid(expand=True)
        bar_line.add_column()
        bar_line.add_row(bar)
        parts: list[RenderableType] = [Group(header, bar_line), stats]
        if snap is not None and snap.endpoints:
            parts.append(self._endpoint_table(snap))
        measured = scenario_table(snap, self._totals.checks) if snap is not None else None
        if measured is not None:
            parts.append(measured)
        return Panel(Group(*parts), title=f"LoadForge · {self.title}", border_style="cyan")

    def _endpoint_table(self, snap: MetricSnapshot) -> Table:
        """The last second per endpoint; with `ttfb p95` once the run records timings."""
        table = Table(expand=True, box=None, header_style="bold")
        columns = ["endpoint", "requests", "rps", "p50", "p95", "p99", "errors"]
        timed = self._totals.timed
        if timed:
            columns.insert(6, "ttfb p95")
        for column in columns:
            table.add_column(column, justify="left" if column == "endpoint" else "right")
        names = sorted(
            self._totals.endpoint_requests, key=lambda n: -self._totals.endpoint_requests[n]
        )
        for name in names[:MAX_ENDPOINT_ROWS]:
            endpoint = snap.endpoints.get(name)
            cells = [
                name,
                f"{self._totals.endpoint_requests[name]:,}",
                f"{endpoint.rps:,.1f}" if endpoint else "0.0",
                ms(endpoint.latency_p50) if endpoint else "-",
                ms(endpoint.latency_p95) if endpoint else "-",
                ms(endpoint.latency_p99) if endpoint else "-",
            ]
            if timed:
                ttfb = endpoint.timings.get("ttfb") if endpoint else None
                cells.append(ms(ttfb.p95) if ttfb else "-")
            cells.append(f"{self._totals.endpoint_errors.get(name, 0):,}")
            table.add_row(*cells)
        return table


def _error_cell(rate: float) -> str:
    style = "green" if rate == 0 else "yellow" if rate < 0.05 else "red"
    return f"errors [{style}]{percent(rate)}[/]"


class PlainView:
    """One line per second, for logs and CI where stdout is not a terminal."""

    def __init__(self, console: Console, *, duration: float) -> None:
        self._console = console
        self._duration = duration
        self._totals = RunningTotals()

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Print the second that just ended."""
        self._totals.add(snapshot)
        self._console.print(
            format_plain_line(snapshot, self._duration, self._totals),
            highlight=False,
            soft_wrap=True,
        )

    def notice(self, message: str) -> None:
        """Print an event line."""
        self._console.print(message, highlight=False, soft_wrap=True)


class JsonView:
    """One JSON object per second (`--log-format json`), for log pipelines in CI and Kubernetes.

    Each object is a log line (`time`, `level`, `logger`, `message`: the
    plain line) with the second's figures under result.json's names and
    `total_requests`, the run's so far.
    """

    LOGGER = "loadforge.progress"

    def __init__(self, console: Console, *, duration: float) -> None:
        self._console = console
        self._duration = duration
        self._totals = RunningTotals()

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Print the second that just ended as one object."""
        self._totals.add(snapshot)
        line = json_line(
            "info",
            self.LOGGER,
            format_plain_line(snapshot, self._duration, self._totals),
            snapshot.timestamp,
            elapsed_seconds=round(snapshot.elapsed_seconds, 3),
            active_users=snapshot.active_users,
            target_users=snapshot.target_users,
            requests=snapshot.requests,
            rps=round(snapshot.rps, 3),
            errors=snapshot.errors,
            error_rate=snapshot.error_rate,
            latency_p50=snapshot.latency_p50,
            latency_p95=snapshot.latency_p95,
            latency_p99=snapshot.latency_p99,
            total_requests=self._totals.requests,
        )
        self._console.out(line, highlight=False)

    def notice(self, message: str) -> None:
        """Print an event (a signal, a lost worker) as a warning object."""
        line = json_line("warning", "loadforge.run", message, time.time())
        self._console.out(line, highlight=False)


def format_plain_line(snapshot: MetricSnapshot, duration: float, totals: RunningTotals) -> str:
    """The one-line form of a snapshot; a second of the drain says so."""
    drain = " drain" if snapshot.drain else ""
    return (
        f"[{clock(snapshot.elapsed_seconds)}/{clock(duration)}{drain}] "
        f"users {snapshot.active_users}/{snapshot.target_users} "
        f"rps {snapshot.rps:.1f} "
        f"p50 {ms(snapshot.latency_p50)} p95 {ms(snapshot.latency_p95)} "
        f"p99 {ms(snapshot.latency_p99)} "
        f"errors {percent(snapshot.error_rate)} "
        f"total {totals.requests}"
        f"{plain_suffix(totals.checks)}"
    )
