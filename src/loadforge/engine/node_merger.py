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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


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

    def put(self, worker_id: int, payload: bytes, now: float) -> None:
        """Take one encoded interval of one of this node's workers, in order per worker."""
        interval = self._decoders[worker_id].decode(payload)
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
