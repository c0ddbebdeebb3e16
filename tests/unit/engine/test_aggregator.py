"""Merging workers' intervals: exact percentiles, completeness, lost and late workers."""

from __future__ import annotations

import random

from loadforge.engine.aggregator import IntervalAggregator
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


def interval(
    index: int, latencies: list[int], *, active: int = 1, dropped: int = 0
) -> WorkerInterval:
    endpoint = EndpointInterval("GET", requests=len(latencies))
    for latency in latencies:
        endpoint.latency.record(latency)
    stats = IntervalStats(endpoints={"home": endpoint}, dropped_iterations=dropped)
    return WorkerInterval(index=index, active_users=active, target_users=active, stats=stats)


def test_merged_p99_equals_the_p99_of_one_histogram_of_every_request() -> None:
    rng = random.Random(7)
    # Two workers with very different latency shapes: averaging their p99s would be wrong.
    fast = [rng.randint(200, 2_000) for _ in range(5_000)]
    slow = [rng.randint(10_000, 900_000) for _ in range(500)]
    aggregator = IntervalAggregator([0, 1])
    aggregator.add(0, interval(1, fast))
    aggregator.add(1, interval(1, slow))

    merged = aggregator.take(1).stats.endpoints["home"]

    single = LatencyHistogram()
    for latency in fast + slow:
        single.record(latency)
    percentiles = (50.0, 90.0, 99.0, 99.9)
    assert merged.latency.percentiles_ms(percentiles) == single.percentiles_ms(percentiles)
    assert merged.latency.max_ms == single.max_ms
    assert merged.latency.min_ms == single.min_ms
    assert merged.requests == 5_500


def test_an_interval_is_complete_when_every_live_worker_shipped_it() -> None:
    aggregator = IntervalAggregator([0, 1])
    aggregator.add(0, interval(1, [1000]))

    assert not aggregator.complete(1)
    aggregator.add(1, interval(1, [1000]))
    assert aggregator.complete(1)
    assert not aggregator.complete(2)


def test_a_lost_worker_is_no_longer_awaited_but_its_counts_stay() -> None:
    aggregator = IntervalAggregator([0, 1])
    aggregator.add(1, interval(1, [1000, 2000], active=3))
    aggregator.forget(1)

    assert aggregator.live_workers == frozenset({0})
    assert not aggregator.complete(1)
    aggregator.add(0, interval(1, [500], active=2))
    assert aggregator.complete(1)
    merged = aggregator.take(1)
    assert merged.stats.endpoints["home"].requests == 3
    assert merged.active_users == 2  # the lost worker's users are not counted


def test_late_intervals_wait_for_a_later_take_and_the_final_take_gets_all() -> None:
    aggregator = IntervalAggregator([0])
    aggregator.add(0, interval(1, [1000]))
    aggregator.add(0, interval(2, [1000, 1000], dropped=4))

    first = aggregator.take(1)
    rest = aggregator.take()

    assert first.stats.endpoints["home"].requests == 1
    assert rest.stats.endpoints["home"].requests == 2
    assert rest.stats.dropped_iterations == 4
    assert aggregator.take().stats.endpoints == {}


def _worker_second(rng: random.Random, index: int) -> WorkerInterval:
    """A worker's second over a few endpoints, with corrected latencies on some."""
    endpoints = {}
    for name in rng.sample(["home", "search", "cart", "pay"], rng.randint(1, 4)):
        endpoint = EndpointInterval("GET")
        for _ in range(rng.choice((1, 30, 300))):
            latency = int(rng.lognormvariate(rng.uniform(5, 11), 0.9))
            endpoint.requests += 1
            endpoint.latency.record(latency)
            if name != "home":
                endpoint.corrected.record(latency + rng.randint(0, 5_000))
        endpoints[name] = endpoint
    return WorkerInterval(index, 1, 1, IntervalStats(endpoints=endpoints))


def test_merging_decoded_payloads_equals_merging_the_workers_own_intervals() -> None:
    # The coordinator merges decoded payloads (histograms kept as spans of
    # counters); the result must be the merge of the intervals the workers
    # held, counter for counter.
    percentiles = (0.0, 50.0, 90.0, 99.0, 99.9, 100.0)
    for seed in range(10):
        rng = random.Random(seed)
        workers = rng.randint(1, 8)
        encoders = [IntervalEncoder() for _ in range(workers)]
        decoders = [IntervalDecoder() for _ in range(workers)]
        aggregator = IntervalAggregator(list(range(workers)))
        expected = IntervalStats()
        for index in (1, 2):
            for worker in range(workers):
                second = _worker_second(rng, index)
                payload = encoders[worker].encode(second)
                expected.merge(second.stats)
                aggregator.add(worker, decoders[worker].decode(payload))

        merged = aggregator.take(2).stats

        assert merged.endpoints.keys() == expected.endpoints.keys()
        for name, endpoint in merged.endpoints.items():
            mine = expected.endpoints[name]
            assert endpoint.requests == mine.requests
            for ours, theirs in (
                (endpoint.latency, mine.latency),
                (endpoint.corrected, mine.corrected),
            ):
                assert ours.encode() == theirs.encode()
                assert ours.percentiles_ms(percentiles) == theirs.percentiles_ms(percentiles)
                assert (ours.count, ours.mean_ms) == (theirs.count, theirs.mean_ms)
        assert merged.corrected().encode() == expected.corrected().encode()


def test_a_second_has_the_users_of_its_own_intervals_not_of_later_ones() -> None:
    aggregator = IntervalAggregator([0, 1])
    aggregator.add(0, interval(2, [1_000], active=3))
    aggregator.add(1, interval(2, [1_000], active=2))
    # Worker 0's drain (second 3) arrives before second 2 is taken.
    aggregator.add(0, interval(3, [], active=0))

    assert aggregator.take(2).active_users == 5
    assert aggregator.take(3).active_users == 0 + 2  # worker 1's last known users hold


def test_seconds_taken_together_have_the_most_users_of_any_of_them() -> None:
    aggregator = IntervalAggregator([0])
    for index, active in ((1, 4), (2, 7), (3, 5)):
        aggregator.add(0, interval(index, [1_000], active=active))

    merged = aggregator.take(3)

    assert (merged.active_users, merged.target_users) == (7, 5)
