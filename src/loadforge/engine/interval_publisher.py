"""The coordinator's snapshots: the workers' intervals merged into one per second, on time.

The workers' intervals go into an `IntervalAggregator` as they arrive. Once
every live worker has shipped a second, or its deadline after its end when
one is late (`PUBLISH_DEADLINE_SECONDS` on this machine, the launcher's on
a cluster; the late counts then join the next second), the
publisher turns the merged second into a `MetricSnapshot` for the run's
observers and its history. After the run it publishes the seconds left and
the last, shorter interval. Intervals that begin at or after the run's stop
(`drain_from`) are marked as the drain.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence

from loadforge.engine.aggregator import IntervalAggregator
from loadforge.engine.observers import SnapshotObserver, notify
from loadforge.engine.run_result import DRAIN_SLACK, RunClock
from loadforge.engine.settings import LoadSettings
from loadforge.metrics.history import SnapshotHistory
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.metrics.wire import WorkerInterval

# How long after the end of a second the coordinator waits for late workers
# before publishing without them (their counts join the next second).
PUBLISH_DEADLINE_SECONDS = 0.05


class IntervalPublisher:
    """Merges the workers' intervals and publishes one snapshot per second.

    `running_users` gives the closed model's users at a second's end: the
    shares the coordinator last sent to the workers still running.
    """

    def __init__(
        self,
        settings: LoadSettings,
        worker_ids: list[int],
        running_users: Callable[[], int],
        on_snapshot: Sequence[SnapshotObserver] = (),
        *,
        deadline: float = PUBLISH_DEADLINE_SECONDS,
    ) -> None:
        """`deadline`: how long after a second's end it waits for late workers."""
        self.settings = settings
        self.deadline = deadline
        self.clock = RunClock(wall=time.time(), start=time.monotonic())
        self.builder = SnapshotBuilder()
        self.history = SnapshotHistory()
        # How late each snapshot went out, for tests and diagnostics: the last hour's.
        self.delays: deque[float] = deque(maxlen=3600)
        # When the run stopped starting work (seconds from the start): the
        # intervals that begin there or later are the drain.
        self.drain_from = math.inf
        self._aggregator = IntervalAggregator(worker_ids)
        self._running_users = running_users
        self._on_snapshot = tuple(on_snapshot)
        self._published = 0

    def add(self, worker_id: int, interval: WorkerInterval) -> None:
        """Take one worker's interval (in order per worker)."""
        self._aggregator.add(worker_id, interval)

    def forget(self, worker_id: int) -> None:
        """A worker was lost: stop waiting for it; what it shipped still counts."""
        self._aggregator.forget(worker_id)

    def publish_due(self, now: float) -> None:
        """Publish every second that is complete, or past its deadline, by `now`."""
        interval = self.settings.snapshot_interval
        while True:
            index = self._published + 1
            boundary = self.clock.start + index * interval
            if now < boundary:
                return
            late = now >= boundary + self.deadline
            if not (self._aggregator.complete(index) or late):
                return
            self._publish(index, boundary, interval)

    def publish_final(self, end: float) -> None:
        """The whole seconds not published yet, then the last, shorter interval up to `end`."""
        interval = self.settings.snapshot_interval
        while self.clock.start + (self._published + 1) * interval < end:
            index = self._published + 1
            self._publish(index, self.clock.start + index * interval, interval, live=False)
        last = self.clock.start + self._published * interval
        if end > last:
            self._publish(None, end, end - last)

    def _publish(
        self, index: int | None, boundary: float, seconds: float, *, live: bool = True
    ) -> None:
        """Publish the merged interval ending at `boundary`; `live` ones time their delay."""
        merged = self._aggregator.take(index)
        if index is not None:
            self._published = index
        start = self.clock.start
        begun = boundary - seconds - start
        drain = begun >= self.drain_from - DRAIN_SLACK
        active, target = merged.active_users, merged.target_users
        if index is not None and not self.settings.open_model and not drain:
            # A worker runs exactly the share it was last sent (scaling is
            # synchronous there), and a late worker's own report would be a
            # second old, so the closed model's users come from the shares.
            # A second published after the stop still had every share running.
            active = target = self._running_users()
        snapshot = self.builder.add_interval(
            merged.stats,
            timestamp=self.clock.wall_at(boundary),
            elapsed=boundary - start,
            interval_seconds=seconds,
            active_users=active,
            target_users=target,
            target_rate=self.settings.target_rate_over(begun, boundary - start),
            drain=drain,
        )
        if index is not None and live:
            self.delays.append(time.monotonic() - boundary)
        self.history.append(snapshot)
        notify(self._on_snapshot, snapshot, "snapshot")
