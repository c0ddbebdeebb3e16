"""A node's merger: its workers' seconds merged exactly, shipped when complete or waited for."""

from __future__ import annotations

import logging
import random

import pytest

from loadforge.engine.aggregator import IntervalAggregator, MergedInterval
from loadforge.engine.node_merger import (
    Dropped,
    NodeBatch,
    NodeIntervals,
    NodeMerger,
    Shipped,
    batch_intervals,
)
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


def second(index: int, latencies: list[int], name: str = "home", users: int = 1) -> WorkerInterval:
    endpoint = EndpointInterval("GET", requests=len(latencies))
    for latency in latencies:
        endpoint.latency.record(latency)
    return WorkerInterval(index, users, users, IntervalStats(endpoints={name: endpoint}))


def requests(interval: WorkerInterval | MergedInterval) -> int:
    return sum(endpoint.requests for endpoint in interval.stats.endpoints.values())


def test_a_second_ships_once_every_worker_of_the_node_shipped_it() -> None:
    merger = NodeMerger([3, 4], wait=0.02)
    encoders = {3: IntervalEncoder(), 4: IntervalEncoder()}
    merger.put(3, encoders[3].encode(second(1, [100, 200], users=2)), now=10.0)
    assert merger.take(now=10.001) == []

    merger.put(4, encoders[4].encode(second(1, [300], users=5)), now=10.002)
    [batch] = merger.take(now=10.003)

    assert batch.index == 1
    assert [(w.worker_id, w.active_users) for w in batch.workers] == [(3, 2), (4, 5)]
    intervals = batch_intervals(batch, IntervalDecoder())
    assert intervals[3].stats.endpoints["home"].requests == 3
    assert intervals[3].stats.endpoints["home"].latency.count == 3
    assert intervals[4].stats.endpoints == {}
    assert (intervals[4].index, intervals[4].active_users) == (1, 5)


def test_due_in_is_the_oldest_seconds_wait_left_and_none_when_nothing_merges() -> None:
    merger = NodeMerger([0, 1], wait=0.02)
    encoders = [IntervalEncoder(), IntervalEncoder()]
    assert merger.due_in(now=5.0) is None
    merger.put(0, encoders[0].encode(second(2, [100])), now=5.0)
    merger.put(0, encoders[0].encode(second(3, [100])), now=5.01)
    assert merger.due_in(now=5.005) == pytest.approx(0.015)
    assert merger.due_in(now=5.5) == 0.0

    assert [batch.index for batch in merger.take(now=5.5)] == [2, 3]
    assert merger.due_in(now=5.5) is None


def test_a_missing_worker_delays_its_node_by_the_wait_and_its_late_second_ships_alone() -> None:
    merger = NodeMerger([0, 1], wait=0.02)
    encoders = [IntervalEncoder(), IntervalEncoder()]
    merger.put(0, encoders[0].encode(second(1, [100])), now=5.0)
    merger.put(0, encoders[0].encode(second(2, [100])), now=6.0)
    assert merger.take(now=5.019) == []

    first = merger.take(now=5.021)
    # Second 2 waits its own turn, and seconds ship in order.
    assert [batch.index for batch in first] == [1]
    merger.put(1, encoders[1].encode(second(1, [900])), now=6.001)
    late = merger.take(now=6.030)

    assert [batch.index for batch in late] == [1, 2]
    assert [w.worker_id for w in late[0].workers] == [1]
    assert [w.worker_id for w in late[1].workers] == [0]


def test_merging_per_node_first_gives_the_coordinator_the_same_counts_and_percentiles() -> None:
    # Six workers on two nodes over three seconds, several endpoints, some
    # endpoints new in later seconds: the coordinator's merge of the nodes'
    # batches equals its merge of every worker's own interval.
    rng = random.Random(11)
    nodes = {"a": [0, 1, 2], "b": [3, 4, 5]}
    workers = [w for ids in nodes.values() for w in ids]
    mergers = {node: NodeMerger(ids, wait=0.02) for node, ids in nodes.items()}
    decoders = {node: IntervalDecoder() for node in nodes}
    encoders = {w: IntervalEncoder() for w in workers}
    direct = IntervalAggregator(workers)
    through_nodes = IntervalAggregator(workers)
    for index in (1, 2, 3):
        for node, ids in nodes.items():
            for worker in ids:
                name = rng.choice(["home", "search", f"item-{index}"])
                interval = second(index, [int(rng.lognormvariate(7, 1)) for _ in range(200)], name)
                mergers[node].put(worker, encoders[worker].encode(interval), now=float(index))
                direct.add(worker, interval)
            for batch in mergers[node].take(now=index + 0.001):
                for worker, part in batch_intervals(batch, decoders[node]).items():
                    through_nodes.add(worker, part)
        assert through_nodes.complete(index)

        merged, expected = through_nodes.take(index).stats, direct.take(index).stats

        assert merged.endpoints.keys() == expected.endpoints.keys()
        for name, endpoint in merged.endpoints.items():
            assert endpoint.requests == expected.endpoints[name].requests
            assert endpoint.latency.encode() == expected.endpoints[name].latency.encode()
            assert endpoint.latency.percentiles_ms((50.0, 99.0)) == expected.endpoints[
                name
            ].latency.percentiles_ms((50.0, 99.0))


def test_an_undecodable_interval_is_counted_logged_once_and_the_merge_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    merger = NodeMerger([0, 1], wait=0.02)
    encoders = [IntervalEncoder(), IntervalEncoder()]
    merger.put(0, encoders[0].encode(second(1, [100])), now=1.0)
    merger.put(1, encoders[1].encode(second(1, [200])), now=1.0)
    with caplog.at_level(logging.WARNING, logger="loadforge.engine.node_merger"):
        merger.put(0, b"\xff{not json", now=2.0)
        merger.put(0, encoders[0].encode(second(2, [300]))[:-7], now=2.0)  # cut short
    merger.put(1, encoders[1].encode(second(2, [400, 500])), now=2.001)
    merger.put(0, encoders[0].encode(second(3, [600])), now=3.0)
    merger.put(1, encoders[1].encode(second(3, [700])), now=3.0)

    assert merger.dropped.count == 2
    assert "not valid JSON" in merger.dropped.reason
    [record] = caplog.records
    assert "worker 0's interval cannot be decoded" in record.getMessage()
    # Worker 0's second 2 never arrives: the second ships after the wait, without it.
    batches = merger.take(now=2.010) + merger.take(now=3.001)
    assert [b.index for b in batches] == [1, 2, 3]
    assert [w.worker_id for w in batches[1].workers] == [1]
    decoder = IntervalDecoder()
    counts = [requests(batch_intervals(b, decoder)[b.workers[0].worker_id]) for b in batches]
    assert counts == [2, 2, 2]


def test_a_batch_the_coordinator_cannot_decode_counts_its_workers_and_completes_the_second(
    caplog: pytest.LogCaptureFixture,
) -> None:
    node = NodeIntervals("a" * 20)
    aggregator = IntervalAggregator([0, 1])
    merger = NodeMerger([0, 1], wait=0.02)
    for worker in (0, 1):
        merger.put(worker, IntervalEncoder().encode(second(1, [100], users=3)), now=1.0)
    [good] = merger.take(now=1.001)
    corrupt = NodeBatch(2, (Shipped(0, 3, 3), Shipped(1, 4, 4)), b"[1, 2")

    with caplog.at_level(logging.WARNING, logger="loadforge.engine.node_merger"):
        for batch in (good, corrupt):
            for worker, interval in node.intervals(batch).items():
                aggregator.add(worker, interval)
        node.merger_dropped(Dropped(1, "cut short"))

    assert node.dropped == 3  # the batch's two workers here, one at the merger
    [record] = caplog.records  # the first drop only
    assert "node aaaaaaaaaaaa: the coordinator cannot decode" in record.getMessage()
    assert aggregator.complete(2)  # no worker is waited for
    assert requests(aggregator.take(1)) == 2
    merged = aggregator.take(2)
    assert requests(merged) == 0
    assert (merged.active_users, merged.target_users) == (7, 7)


def test_a_merger_drop_is_logged_once_and_its_count_is_the_latest_it_said() -> None:
    node = NodeIntervals("b")

    node.merger_dropped(Dropped())
    assert node.dropped == 0
    node.merger_dropped(Dropped(1, "x"))
    node.merger_dropped(Dropped(4, "x"))

    assert node.dropped == 4


def test_a_one_worker_nodes_own_intervals_decode_in_order_and_a_bad_one_is_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    node = NodeIntervals("c" * 20)
    encoder = IntervalEncoder()
    first, later = encoder.encode(second(1, [100, 200], users=2)), encoder.encode(second(2, [300]))

    with caplog.at_level(logging.WARNING, logger="loadforge.engine.node_merger"):
        decoded = [node.worker_interval(payload) for payload in (first, b"\xff{not json", later)]
        node.worker_interval(b"[1, 2")

    good, bad, last = decoded
    assert bad is None
    assert good is not None
    assert last is not None
    assert (good.index, good.active_users, requests(good)) == (1, 2, 2)
    assert (last.index, requests(last)) == (2, 1)  # the endpoint's name was sent once, in `first`
    assert node.dropped == 2
    [record] = caplog.records
    assert "node cccccccccccc: the coordinator cannot decode" in record.getMessage()
