"""Merging one cluster node's worker intervals before they reach the coordinator.

On a cluster every worker ships one interval a second, and the coordinator
decodes and merges each one within its publish deadline, about 0.26 ms a
worker (benchmarks/README.md, the coordinator's merge cost): a few hundred
workers at most. A `NodeMerger` on each node merges its workers' seconds
first, so the coordinator receives one interval per node per second.

Pure bookkeeping, no I/O and no Ray (`ray_cluster.py` runs it in an actor).
A second ships once every worker of the node has shipped it, or `wait`
seconds after the first of them did, so a dead or slow worker delays its
node's second by `wait` at most and its late interval ships on its own
afterwards. Seconds ship in index order. Each batch says which workers it
holds, with their users, so the coordinator still knows which of them
shipped what (`NodeBatch.intervals`).

A payload that cannot be decoded (a worker's at the merger, a node's batch
at the coordinator) is left out but never silently: it is counted
(`Dropped`), the first one of a node is logged with its reason, and the
node's count goes into result.json (`cluster.nodes[].dropped_intervals`).
A batch the coordinator cannot decode still tells it which workers shipped
the second, so their seconds are complete and none is waited for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Dropped:
    """Worker intervals left out because they could not be decoded: how many, and the first why."""

    count: int = 0
    reason: str = ""

    def add(self, count: int, error: ResultFormatError) -> Dropped:
        """These and `count` more, the first reason kept."""
        return Dropped(self.count + count, self.reason or str(error))


@dataclass(frozen=True, slots=True)
class Shipped:
    """One worker's part of a merged second: who, and its users when the second ended."""

    worker_id: int
    active_users: int
    target_users: int


@dataclass(frozen=True, slots=True)
class NodeBatch:
    """One second of several workers of a node, merged and encoded (`IntervalEncoder`)."""

    index: int
    workers: tuple[Shipped, ...]
    payload: bytes


@dataclass(slots=True)
class _Second:
    """A second being merged: since when, by whom, and the counts so far."""

    first_seen: float
    workers: dict[int, Shipped] = field(default_factory=dict)
    stats: IntervalStats = field(default_factory=IntervalStats)


class NodeMerger:
    """Merges the intervals of one node's workers, second by second."""

    def __init__(self, worker_ids: list[int], wait: float) -> None:
        self._workers = frozenset(worker_ids)
        self._wait = wait
        self._decoders = {worker: IntervalDecoder() for worker in worker_ids}
        self._encoder = IntervalEncoder()
        self._seconds: dict[int, _Second] = {}
        self.dropped = Dropped()

    def put(self, worker_id: int, payload: bytes, now: float) -> None:
        """Take one encoded interval of one of this node's workers, in order per worker.

        One that cannot be decoded is counted in `dropped` (the first logged)
        and left out: its worker's second ships without it after `wait`.
        """
        try:
            interval = self._decoders[worker_id].decode(payload)
        except ResultFormatError as exc:
            if not self.dropped.count:
                log.warning("worker %d's interval cannot be decoded, left out: %s", worker_id, exc)
            self.dropped = self.dropped.add(1, exc)
            return
        second = self._seconds.get(interval.index)
        if second is None:
            second = self._seconds[interval.index] = _Second(now)
        second.stats.merge(interval.stats)
        second.workers[worker_id] = Shipped(worker_id, interval.active_users, interval.target_users)

    def take(self, now: float) -> list[NodeBatch]:
        """The seconds due now, oldest first: complete ones and those waited for long enough."""
        batches: list[NodeBatch] = []
        for index in sorted(self._seconds):
            second = self._seconds[index]
            complete = second.workers.keys() >= self._workers
            if not (complete or now - second.first_seen >= self._wait):
                break
            del self._seconds[index]
            workers = tuple(second.workers.values())
            payload = self._encoder.encode(WorkerInterval(index, 0, 0, second.stats))
            batches.append(NodeBatch(index, workers, payload))
        return batches

    def due_in(self, now: float) -> float | None:
        """Seconds until the oldest second in merging is due without its missing workers.

        None when no second is in merging. `take` ships seconds oldest
        first, so the oldest one's wait is the next time one comes due
        (a complete one comes due when its last worker's interval arrives).
        """
        if not self._seconds:
            return None
        oldest = self._seconds[min(self._seconds)]
        return max(0.0, oldest.first_seen + self._wait - now)


def batch_intervals(batch: NodeBatch, decoder: IntervalDecoder) -> dict[int, WorkerInterval]:
    """The batch as each of its workers' interval: the first holds the counts, the rest none.

    `decoder` is the one decoder of the batch's node (batches arrive in
    order). The coordinator merges every worker's interval of a second, so
    whichever of them holds the node's counts, each request counts once.
    """
    merged = decoder.decode(batch.payload)
    intervals: dict[int, WorkerInterval] = {}
    for position, shipped in enumerate(batch.workers):
        stats = merged.stats if position == 0 else IntervalStats()
        intervals[shipped.worker_id] = WorkerInterval(
            batch.index, shipped.active_users, shipped.target_users, stats
        )
    return intervals


class NodeIntervals:
    """The coordinator's side of one node: its batches as each worker's intervals, and the drops.

    `dropped` counts the worker intervals of the node left out, by its
    merger (`merger_dropped`) and here, where a batch that cannot be decoded
    counts one per worker it holds (and a one-worker node's own interval,
    one). The first drop is logged, once.
    """

    def __init__(self, node: str) -> None:
        self._node = node
        self._decoder = IntervalDecoder()
        self._merger = Dropped()
        self._here = Dropped()

    @property
    def dropped(self) -> int:
        """How many worker intervals of the node were left out so far."""
        return self._merger.count + self._here.count

    def merger_dropped(self, dropped: Dropped) -> None:
        """What the node's merger says it has left out so far."""
        if dropped.count and not self.dropped:
            self._warn(dropped.reason, "its merger")
        self._merger = dropped

    def intervals(self, batch: NodeBatch) -> dict[int, WorkerInterval]:
        """The batch's per-worker intervals (`batch_intervals`); with no counts if undecodable."""
        try:
            return batch_intervals(batch, self._decoder)
        except ResultFormatError as exc:
            self._drop_here(len(batch.workers), exc)
        return {
            shipped.worker_id: WorkerInterval(
                batch.index, shipped.active_users, shipped.target_users, IntervalStats()
            )
            for shipped in batch.workers
        }

    def worker_interval(self, payload: bytes) -> WorkerInterval | None:
        """A node's only worker's own encoded interval, decoded; None (counted) if it cannot be.

        A node of one worker has no merger: its intervals reach the
        coordinator as the worker encoded them, in order.
        """
        try:
            return self._decoder.decode(payload)
        except ResultFormatError as exc:
            self._drop_here(1, exc)
            return None

    def _drop_here(self, count: int, error: ResultFormatError) -> None:
        """Count `count` worker intervals the coordinator cannot decode; the first is logged."""
        if not self.dropped:
            self._warn(str(error), "the coordinator")
        self._here = self._here.add(count, error)

    def _warn(self, reason: str, where: str) -> None:
        log.warning(
            "node %s: %s cannot decode an interval and leaves its counts out (%s); result.json"
            " counts what is left out as the node's dropped_intervals",
            self._node[:12],
            where,
            reason,
        )
