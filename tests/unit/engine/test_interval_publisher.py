"""The coordinator's publishing, with hand-made intervals and a clock the test sets."""

from __future__ import annotations

from loadforge.engine.interval_publisher import PUBLISH_DEADLINE_SECONDS, IntervalPublisher
from loadforge.engine.run_result import RunClock
from loadforge.engine.settings import LoadSettings
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.wire import WorkerInterval
from loadforge.patterns import ConstantPattern

START = 1_000.0


def _interval(index: int, requests: int) -> WorkerInterval:
    collector = MetricsCollector()
    for _ in range(requests):
        collector.record("home", "GET", 200, 1_000, 10, None)
    return WorkerInterval(index, 2, 2, collector.take_interval())


def _publisher(
    snapshots: list[MetricSnapshot], deadline: float = PUBLISH_DEADLINE_SECONDS
) -> IntervalPublisher:
    settings = LoadSettings(pattern=ConstantPattern(4), duration=3.0, workers=2)
    publisher = IntervalPublisher(
        settings, [0, 1], lambda: 4, (snapshots.append,), deadline=deadline
    )
    publisher.clock = RunClock(wall=START, start=START)
    return publisher


def test_a_second_waits_for_every_worker_until_its_deadline_and_late_counts_join_the_next() -> None:
    snapshots: list[MetricSnapshot] = []
    publisher = _publisher(snapshots)
    publisher.add(0, _interval(1, 3))
    publisher.publish_due(START + 1.01)
    assert snapshots == []  # worker 1 has not shipped second 1, and it is not late yet
    publisher.publish_due(START + 1.0 + PUBLISH_DEADLINE_SECONDS)
    assert [s.requests for s in snapshots] == [3]
    publisher.add(1, _interval(1, 5))  # late: it joins second 2
    publisher.add(0, _interval(2, 1))
    publisher.add(1, _interval(2, 1))
    publisher.publish_due(START + 2.0)
    assert [s.requests for s in snapshots] == [3, 7]
    assert [(s.active_users, s.target_users) for s in snapshots] == [(4, 4), (4, 4)]
    assert len(publisher.delays) == 2


def test_a_cluster_deadline_keeps_a_slow_nodes_second_in_its_own_second() -> None:
    # A node's second arrives 0.3 s late: past the local deadline, inside the cluster's.
    snapshots: list[MetricSnapshot] = []
    publisher = _publisher(snapshots, deadline=0.5)
    publisher.add(0, _interval(1, 3))
    publisher.publish_due(START + 1.0 + PUBLISH_DEADLINE_SECONDS)
    assert snapshots == []
    publisher.add(1, _interval(1, 5))
    publisher.publish_due(START + 1.3)
    assert [s.requests for s in snapshots] == [8]
    publisher.add(0, _interval(2, 1))
    publisher.publish_due(START + 2.5)  # worker 1 never came: published at the deadline
    assert [s.requests for s in snapshots] == [8, 1]


def test_the_seconds_after_the_stop_are_the_drain_and_the_last_interval_is_shorter() -> None:
    snapshots: list[MetricSnapshot] = []
    publisher = _publisher(snapshots)
    publisher.drain_from = 1.0
    for worker in (0, 1):
        publisher.add(worker, _interval(1, 2))
        publisher.add(worker, _interval(2, 1))
    publisher.publish_final(START + 2.5)
    assert [s.requests for s in snapshots] == [4, 2, 0]
    assert [s.drain for s in snapshots] == [False, True, True]
    assert [s.elapsed_seconds for s in snapshots] == [1.0, 2.0, 2.5]
    assert [s.rps for s in snapshots] == [4.0, 2.0, 0.0]
    assert publisher.delays == type(publisher.delays)(maxlen=3600)  # none published live
    assert publisher.history.snapshots() == snapshots
