"""The coordinator's merge cost per second, by workers, simulated with synthetic intervals.

Each simulated worker runs `--rate` requests/s over `--endpoints`
endpoints (lognormal latencies, median ~0.7 ms, as `snapshot_cost.py`)
and ships its second as a real payload (`IntervalEncoder`, endpoint names
already sent). The coordinator's work for that second is then timed exactly
as `Coordinator` does it: decode every payload (`IntervalDecoder`), add it
to the `IntervalAggregator`, check the second complete, merge it, and build
the snapshot (`SnapshotBuilder.add_interval`). With `--per-node K`, the
payloads of each K workers first go through a `NodeMerger`, as a cluster
node's merger actor does (`engine/ray_cluster.py`), and the coordinator
decodes one batch per node (`batch_intervals`, as `NodeFeed` does); the
merger's own cost per node is timed apart (`node_ms`, on the node's core).

The coordinator publishes each second within 100 ms of its end
(`PUBLISH_DEADLINE_SECONDS` is the wait for late workers; the merge must
fit in what is left), so `workers within 100 ms` is 100 ms over the cost
per worker.

    uv run python benchmarks/cluster_merge.py --workers 10,100,1000 --per-node 1,16
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import sys
import time
from collections.abc import Sequence

from loadforge.engine.aggregator import IntervalAggregator
from loadforge.engine.node_merger import NodeBatch, NodeMerger, batch_intervals
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval

DEADLINE_MS = 100.0


def worker_second(rng: random.Random, names: list[str], rate: int) -> IntervalStats:
    """One worker's second of counts: `rate` requests spread over the endpoints."""
    collector = MetricsCollector()
    for index in range(rate):
        latency = int(rng.lognormvariate(6.5, 0.8))
        collector.record(names[index % len(names)], "GET", 200, latency, 2, None)
    return collector.take_interval()


def payloads(workers: int, endpoints: int, rate: int) -> list[list[bytes]]:
    """Two seconds of payloads per worker.

    The first second registers the endpoint names; the second is the one timed.
    """
    rng = random.Random(1)
    names = [f"GET /endpoint/{index}" for index in range(endpoints)]
    # A few distinct worker seconds, reused: generating 1,000 of them would take minutes.
    pool = [worker_second(rng, names, rate) for _ in range(min(workers, 16))]
    shipped: list[list[bytes]] = []
    for worker in range(workers):
        encoder = IntervalEncoder()
        stats = pool[worker % len(pool)]
        shipped.append([encoder.encode(WorkerInterval(index, 50, 50, stats)) for index in (1, 2)])
    return shipped


def node_batches(shipped: list[list[bytes]], per_node: int) -> tuple[list[list[NodeBatch]], float]:
    """Each node's batches for seconds 1 and 2, and the median ms a node spent on second 2."""
    nodes: list[list[NodeBatch]] = []
    spent: list[float] = []
    for first in range(0, len(shipped), per_node):
        members = range(first, min(first + per_node, len(shipped)))
        merger = NodeMerger(list(members), wait=0.02)
        batches: list[NodeBatch] = []
        for second in (0, 1):
            started = time.perf_counter()
            for worker in members:
                merger.put(worker, shipped[worker][second], now=float(second))
            batches.extend(merger.take(now=float(second)))
            spent.append((time.perf_counter() - started) * 1000.0)
        nodes.append(batches)
    return nodes, statistics.median(spent[1::2])


def _receive(
    aggregator: IntervalAggregator, decoder: IntervalDecoder, item: bytes | NodeBatch, sender: int
) -> None:
    """Decode one payload (a worker's) or batch (a node's) and add it, as the coordinator does."""
    if isinstance(item, bytes):
        aggregator.add(sender, decoder.decode(item))
        return
    for worker, interval in batch_intervals(item, decoder).items():
        aggregator.add(worker, interval)


def coordinator_second(senders: Sequence[Sequence[bytes | NodeBatch]], workers: int) -> float:
    """Milliseconds the coordinator spends on second 2 of every sender's payloads or batches."""
    decoders = [IntervalDecoder() for _ in senders]
    aggregator = IntervalAggregator(list(range(workers)))
    builder = SnapshotBuilder()
    for sender, seconds in enumerate(senders):
        _receive(aggregator, decoders[sender], seconds[0], sender)
    first = aggregator.take(1).stats
    builder.add_interval(
        first, timestamp=0.0, elapsed=1.0, interval_seconds=1.0, active_users=0, target_users=0
    )
    started = time.perf_counter()
    for sender, seconds in enumerate(senders):
        _receive(aggregator, decoders[sender], seconds[1], sender)
    assert aggregator.complete(2)
    merged = aggregator.take(2)
    builder.add_interval(
        merged.stats,
        timestamp=1.0,
        elapsed=2.0,
        interval_seconds=1.0,
        active_users=merged.active_users,
        target_users=merged.target_users,
    )
    return (time.perf_counter() - started) * 1000.0


def main() -> None:
    """Print the cost per second, per sender and per worker, and the workers within 100 ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", default="10,100,1000", help="comma-separated worker counts")
    parser.add_argument("--per-node", default="1,16", help="workers merged per node (1: none)")
    parser.add_argument("--endpoints", type=int, default=10)
    parser.add_argument("--rate", type=int, default=2000, help="requests/s of each worker")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    LatencyHistogram.prepare()
    print("workers  per_node  senders  median_ms  min_ms  ms/worker  workers_in_100ms  node_ms")
    for per_node in (int(k) for k in args.per_node.split(",")):
        for workers in (int(w) for w in args.workers.split(",")):
            shipped = payloads(workers, args.endpoints, args.rate)
            senders: Sequence[Sequence[bytes | NodeBatch]] = shipped
            node_ms = 0.0
            if per_node > 1:
                senders, node_ms = node_batches(shipped, per_node)
            spent = [coordinator_second(senders, workers) for _ in range(args.repeats)]
            median = statistics.median(spent)
            per_worker = median / workers
            print(
                f"{workers:7d}  {per_node:8d}  {len(senders):7d}  {median:9.2f}  "
                f"{min(spent):6.2f}  {per_worker:9.4f}  {DEADLINE_MS / per_worker:16,.0f}  "
                f"{node_ms:7.2f}"
            )


if __name__ == "__main__":
    main()
