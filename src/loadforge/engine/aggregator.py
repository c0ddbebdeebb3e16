"""Merging the workers' intervals into one interval per second, exactly.

Pure bookkeeping, no I/O: the coordinator feeds it what the transports
delivered and asks whether a second is complete (every live worker has
shipped it). Histograms are merged, never percentiles averaged, so a merged
p99 is the p99 of every request of every worker. A worker's late interval
joins the next second published, so no count is lost.

Each interval is merged into its second's running total as it arrives, so
the coordinator holds one merged interval per pending second, not every
worker's: 1,000 workers' decoded intervals of one second (10 endpoints
each) held 256 MiB of counters, and hold nothing once merged
(benchmarks/README.md, merge cost on a cluster).
"""

from __future__ import annotations

from dataclasses import dataclass

from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.wire import WorkerInterval


@dataclass(frozen=True, slots=True)
class MergedInterval:
    """All workers' counts up to one interval, and their users at its end."""

    stats: IntervalStats
    active_users: int
    target_users: int


class IntervalAggregator:
    """Collects workers' intervals and hands out merged ones, second by second."""

    def __init__(self, worker_ids: list[int]) -> None:
        self._live = set(worker_ids)
        # Second index -> every interval of that second received so far, merged.
        self._pending: dict[int, IntervalStats] = {}
        self._shipped: dict[int, int] = dict.fromkeys(worker_ids, 0)
        # Each worker's users as last taken, and those of its intervals not taken yet
        # by second, so that a later second (the drain) never stands for an earlier one.
        self._users: dict[int, tuple[int, int]] = dict.fromkeys(worker_ids, (0, 0))
        self._arrived: dict[int, dict[int, tuple[int, int]]] = {}

    @property
    def live_workers(self) -> frozenset[int]:
        """The workers whose intervals are still awaited."""
        return frozenset(self._live)

    def add(self, worker_id: int, interval: WorkerInterval) -> None:
        """Take one worker's interval (any order between workers, in order per worker)."""
        merged = self._pending.get(interval.index)
        if merged is None:
            merged = self._pending[interval.index] = IntervalStats()
        merged.merge(interval.stats)
        self._shipped[worker_id] = max(self._shipped.get(worker_id, 0), interval.index)
        if worker_id in self._live:
            seconds = self._arrived.setdefault(worker_id, {})
            seconds[interval.index] = (interval.active_users, interval.target_users)

    def forget(self, worker_id: int) -> None:
        """A worker was lost: stop waiting for it; what it shipped still counts."""
        self._live.discard(worker_id)
        self._users.pop(worker_id, None)
        self._arrived.pop(worker_id, None)

    def complete(self, index: int) -> bool:
        """Whether every live worker has shipped interval `index` (or a later one)."""
        return all(self._shipped.get(worker, 0) >= index for worker in self._live)

    def take(self, index: int | None = None) -> MergedInterval:
        """Merge and remove every pending interval up to `index` (all of them when None)."""
        due = sorted(i for i in self._pending if index is None or i <= index)
        stats = self._pending.pop(due[0]) if due else IntervalStats()
        for second in due[1:]:
            stats.merge(self._pending.pop(second))
        for worker, seconds in self._arrived.items():
            taken = [seconds.pop(i) for i in sorted(seconds) if index is None or i <= index]
            if taken:
                # The most busy at once over the seconds taken; the last target.
                self._users[worker] = (max(each[0] for each in taken), taken[-1][1])
        active = sum(users[0] for users in self._users.values())
        target = sum(users[1] for users in self._users.values())
        return MergedInterval(stats, active, target)
