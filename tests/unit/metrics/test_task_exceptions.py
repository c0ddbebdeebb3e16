"""Task exceptions keep their message, traceback and count; snapshots say when they drained."""

from __future__ import annotations

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.metrics.task_exceptions import MAX_DISTINCT, TaskException, describe
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


def _raised(message: str = "no such argument 'auth'") -> TypeError:
    try:
        raise TypeError(message)  # the line the traceback names
    except TypeError as exc:
        return exc


def test_an_exception_keeps_its_message_and_the_line_that_raised_it() -> None:
    exception = describe("browse", _raised())

    assert exception.type == "TypeError"
    assert exception.message == "no such argument 'auth'"
    assert exception.headline == "TypeError: no such argument 'auth'"
    assert exception.task == "browse"
    assert exception.count == 1
    line = exception.traceback.splitlines()[-1]
    assert line.startswith(f"{__file__}:")
    assert "in _raised: raise TypeError(message)" in line


def test_a_long_message_is_cut() -> None:
    assert len(describe("t", _raised("x" * 5000)).message) == 300


def test_the_collector_counts_each_type_and_message_apart() -> None:
    collector = MetricsCollector()
    for _ in range(3):
        collector.record_task_error("browse", _raised("one"))
    collector.record_task_error("browse", _raised("two"))
    collector.record_task_error("buy", KeyError("sku"))

    stats = collector.take_interval()

    counts = {key: e.count for key, e in stats.task_exceptions.items()}
    assert counts == {("TypeError", "one"): 3, ("TypeError", "two"): 1, ("KeyError", "'sku'"): 1}
    assert stats.task_errors_by_type == {"TypeError": 4, "KeyError": 1}
    assert stats.task_exceptions[("KeyError", "'sku'")].task == "buy"


def test_beyond_the_cap_an_exception_only_counts_by_type() -> None:
    collector = MetricsCollector()
    for index in range(MAX_DISTINCT + 5):
        collector.record_task_error("t", _raised(f"id {index}"))

    stats = collector.take_interval()

    assert len(stats.task_exceptions) == MAX_DISTINCT
    assert stats.task_errors_by_type == {"TypeError": MAX_DISTINCT + 5}


def test_merging_adds_counts_and_keeps_the_first_traceback() -> None:
    first = IntervalStats()
    first.task_exceptions[("E", "m")] = TaskException("E", "m", "t", "a.py:1 in t", 2)
    second = IntervalStats()
    second.task_exceptions[("E", "m")] = TaskException("E", "m", "t", "b.py:9 in t", 3)

    first.merge(second)

    assert first.task_exceptions[("E", "m")] == TaskException("E", "m", "t", "a.py:1 in t", 5)


def test_exceptions_travel_from_a_worker_to_the_coordinator() -> None:
    collector = MetricsCollector()
    collector.record_task_error("browse", _raised())
    sent = collector.take_interval()
    payload = IntervalEncoder().encode(WorkerInterval(1, 0, 0, sent))

    received = IntervalDecoder().decode(payload).stats

    assert received.task_exceptions == sent.task_exceptions
    assert IntervalStats.from_bytes(sent.to_bytes()).task_exceptions == sent.task_exceptions


def test_snapshots_and_the_summary_list_them_most_frequent_first() -> None:
    builder = SnapshotBuilder()
    for repeats in (1, 3):
        collector = MetricsCollector()
        collector.record_task_error("browse", _raised("rare"))
        for _ in range(repeats):
            collector.record_task_error("browse", _raised("often"))
        snapshot = builder.add_interval(
            collector.take_interval(),
            timestamp=0.0,
            elapsed=1.0,
            interval_seconds=1.0,
            active_users=1,
            target_users=1,
        )
    summary = builder.summary(timestamp=0.0, elapsed=2.0, active_users=1, target_users=1)

    assert [(e.message, e.count) for e in snapshot.task_exceptions] == [("often", 3), ("rare", 1)]
    assert [(e.message, e.count) for e in summary.task_exceptions] == [("often", 4), ("rare", 2)]
    assert MetricSnapshot.from_dict(summary.to_dict()) == summary


def test_a_snapshot_written_before_the_field_reads_with_none() -> None:
    builder = SnapshotBuilder()
    summary = builder.summary(timestamp=0.0, elapsed=1.0, active_users=0, target_users=0)
    document = summary.to_dict()
    del document["task_exceptions"]

    assert MetricSnapshot.from_dict(document).task_exceptions == ()


def test_a_drain_snapshot_says_so_and_older_files_read_as_planned() -> None:
    builder = SnapshotBuilder()
    snapshot = builder.add_interval(
        IntervalStats(),
        timestamp=0.0,
        elapsed=3.0,
        interval_seconds=1.0,
        active_users=1,
        target_users=1,
        drain=True,
    )
    document = snapshot.to_dict()

    assert document["drain"] is True
    assert MetricSnapshot.from_dict(document).drain
    del document["drain"]
    assert not MetricSnapshot.from_dict(document).drain
