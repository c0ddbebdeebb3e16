"""A run's live exports: engine observers on one side, the scrape server and pushers on the other.

Each second the snapshot observer (on the run's loop) reads the run's
totals once, builds the `Figures`, swaps them into the scrape endpoint and
offers them to each pusher: no I/O, no waiting. The export libraries are
imported here only when an export is on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from loadforge.engine.session import RunningTest, RunObservers
from loadforge.exports.series import BOUNDS_US, RunInfo, figures
from loadforge.exports.settings import ExportSettings
from loadforge.metrics.models import MetricSnapshot, TestResult

if TYPE_CHECKING:
    from loadforge.exports.pusher import Pusher
    from loadforge.exports.scrape import ScrapeEndpoint

log = logging.getLogger(__name__)

Notice = Callable[[str], None]


class RunExports:
    """The exports of one run, opened before it starts and closed after its results."""

    def __init__(self, settings: ExportSettings, environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self._environ = dict(os.environ if environ is None else environ)
        self.scrape: ScrapeEndpoint | None = None
        self._pushers: dict[str, Pusher] = {}
        self._test: RunningTest | None = None
        self._info: RunInfo | None = None
        self._start_time: float | None = None

    def open(self) -> None:
        """Bind the scrape port (ConfigError when it is taken), before any load is sent."""
        if self.settings.prometheus is not None:
            from loadforge.exports.scrape import ScrapeEndpoint

            self.scrape = ScrapeEndpoint(self.settings.prometheus)

    def describe(self) -> list[str]:
        """A line for each export, for the console."""
        lines = []
        if self.scrape is not None:
            lines.append(f"Prometheus metrics: {self.scrape.url}")
        if self.settings.remote_write:
            lines.append(f"Prometheus remote write: {self.settings.remote_write}")
        if self.settings.otlp_endpoint:
            lines.append(f"OTLP metrics: {self.settings.otlp_endpoint}")
        return lines

    def observers(self) -> RunObservers:
        """The observers to pass to `run_session`."""
        return RunObservers(on_snapshot=(self.on_snapshot,), on_started=self.on_started)

    def on_started(self, test: RunningTest, directory: Path) -> None:
        """The run exists: name it, and start the pushers (they label what they send)."""
        from loadforge.exports.pusher import Pusher, PushReport

        self._test = test
        info = RunInfo(test.run_name, directory.name, test.settings.open_model)
        self._info = info
        if self.settings.remote_write:
            from loadforge.exports.remote_write import RemoteWriteSender

            url = self.settings.remote_write
            self._pushers["prometheus_remote_write"] = Pusher(
                RemoteWriteSender(url, info), PushReport(url)
            )
        if self.settings.otlp_endpoint:
            from loadforge.exports.otlp import OtlpSender

            sender = OtlpSender(
                self.settings.otlp_endpoint, info, self._environ, self.settings.otlp_protocol
            )
            # The OTLP exporter retries by itself, within its timeout.
            self._pushers["otlp"] = Pusher(sender, PushReport(sender.url), tries=1)
        for pusher in self._pushers.values():
            pusher.start()

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Engine observer (run's loop): the run's figures after this second, to every export."""
        test, info = self._test, self._info
        if test is None or info is None:
            return
        if self._start_time is None:
            self._start_time = snapshot.timestamp - snapshot.elapsed_seconds
        settings = test.settings
        latest = figures(
            info,
            snapshot,
            test.run_totals(BOUNDS_US),
            start_time=self._start_time,
            iterations_per_second=(
                settings.rate_at(snapshot.elapsed_seconds) if settings.open_model else None
            ),
        )
        if self.scrape is not None:
            self.scrape.publish(latest)
        for pusher in self._pushers.values():
            pusher.offer(latest)

    def finish(self, result: TestResult) -> TestResult:
        """Send what the pushers hold (a few seconds at most); the result, with their report."""
        report: dict[str, object] = {}
        if self.scrape is not None:
            report["prometheus"] = {"url": self.scrape.url, "scrapes": self.scrape.scrapes}
        for name, pusher in self._pushers.items():
            report[name] = pusher.close().to_dict()
        self._pushers.clear()
        return replace(result, exports={**result.exports, **report}) if report else result

    def close(self, *, linger: bool = True) -> None:
        """Serve the final figures for `--prometheus-linger` seconds, then stop every export."""
        for pusher in self._pushers.values():
            pusher.close(timeout=0.0)
        self._pushers.clear()
        scrape, self.scrape = self.scrape, None
        if scrape is None:
            return
        try:
            if linger and self.settings.prometheus_linger > 0:
                time.sleep(self.settings.prometheus_linger)
        except KeyboardInterrupt:
            pass  # Ctrl-C while lingering ends the linger, not the run: its results are written
        finally:
            scrape.close()


@contextmanager
def open_exports(settings: ExportSettings, notice: Notice | None = None) -> Iterator[RunExports]:
    """Open the run's exports (ConfigError if the scrape port is taken); close them after."""
    exports = RunExports(settings)
    exports.open()
    try:
        if notice is not None:
            for line in exports.describe():
                notice(line)
        yield exports
    except BaseException:
        exports.close(linger=False)
        raise
    else:
        exports.close()


@contextmanager
def optional_exports(
    settings: ExportSettings, notice: Notice | None = None
) -> Iterator[RunExports | None]:
    """`open_exports` when any export is on, else None (and nothing is imported or bound)."""
    if not settings.any:
        yield None
        return
    with open_exports(settings, notice) as exports:
        yield exports


def with_exports(observers: RunObservers, exports: RunExports | None) -> RunObservers:
    """The observers, and the exports' after them."""
    if exports is None:
        return observers
    first = observers.on_started

    def on_started(test: RunningTest, directory: Path) -> None:
        if first is not None:
            first(test, directory)
        exports.on_started(test, directory)

    return replace(
        observers,
        on_snapshot=(*observers.on_snapshot, exports.on_snapshot),
        on_started=on_started,
    )
