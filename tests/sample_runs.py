"""Small TestResults built in memory: a normal run, an empty one, a one-second one, a failing one.

Built through the real collector and snapshot builder, so their histograms
and summaries are exactly what a run would store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.models import RunStatus, TestResult
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.metrics.snapshots import SnapshotBuilder

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
EPOCH = START.timestamp()


@dataclass(frozen=True)
class Request:
    """One request to record: endpoint, method, status, latency in µs, error type or None.

    `ttfb_us` (with `receiving_us`) records the response's timings, as a
    client with `record_timings` does; `connecting_us` a connection opened.
    """

    name: str
    latency_us: int
    status: int = 200
    method: str = "GET"
    error: str | None = None
    ttfb_us: int | None = None
    receiving_us: int = 0
    connecting_us: int | None = None


def build_result(
    seconds: Sequence[Sequence[Request]],
    *,
    users: Sequence[int] | None = None,
    target: Sequence[int] | None = None,
    scenario: str = "Shop",
    config: dict[str, object] | None = None,
    status: RunStatus = RunStatus.COMPLETED,
) -> TestResult:
    """A TestResult whose second i recorded `seconds[i]`."""
    builder = SnapshotBuilder()
    snapshots = []
    for index, requests in enumerate(seconds):
        collector = MetricsCollector()
        for request in requests:
            collector.record(
                request.name, request.method, request.status, request.latency_us, 100, request.error
            )
            if request.ttfb_us is not None:
                collector.record_timings(request.name, request.ttfb_us, request.receiving_us)
            if request.connecting_us is not None:
                collector.record_connecting(request.name, request.connecting_us, None, None)
        active = users[index] if users is not None else 2
        wanted = target[index] if target is not None else 2
        snapshots.append(
            builder.add_interval(
                collector.take_interval(),
                timestamp=EPOCH + index + 1,
                elapsed=float(index + 1),
                interval_seconds=1.0,
                active_users=active,
                target_users=wanted,
            )
        )
    duration = float(len(seconds))
    summary = builder.summary(
        timestamp=EPOCH + duration, elapsed=duration, active_users=0, target_users=0
    )
    return TestResult(
        scenario_name=scenario,
        status=status,
        start_time=START,
        end_time=START + timedelta(seconds=duration),
        duration_seconds=duration,
        pattern_description="constant 2 users",
        snapshots=snapshots,
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=builder.endpoint_histograms(),
        timing_histograms=builder.timing_histograms(),
        config=config if config is not None else {"users": 2},
        loadforge_version="0.1.0",
    )


def normal_run() -> TestResult:
    """Three seconds, two endpoints, a few 503s and a timeout in the last second."""
    first = [Request("List Items", 1000 * (i + 1)) for i in range(10)]
    second = [*first, Request("Create Item", 20_000, method="POST")]
    third = [
        *first,
        Request("Create Item", 30_000, status=503, method="POST", error="http_503"),
        Request("List Items", 5_000_000, status=0, error="timeout"),
    ]
    return build_result([first, second, third], users=[1, 2, 2], target=[2, 2, 2])


def timed_run() -> TestResult:
    """Two seconds of two endpoints recording timings; connections open in the first only."""
    first = [
        Request("List Items", 4_000, ttfb_us=3_000, receiving_us=500, connecting_us=200)
        for _ in range(5)
    ]
    first.append(Request("Create Item", 9_000, method="POST", ttfb_us=8_000, connecting_us=300))
    second = [Request("List Items", 4_000, ttfb_us=3_000, receiving_us=500) for _ in range(5)]
    return build_result([first, second], users=[2, 2], target=[2, 2])


def empty_run() -> TestResult:
    """Two seconds in which nothing was measured."""
    return build_result([[], []])


def one_second_run() -> TestResult:
    """A single second with three requests."""
    return build_result([[Request("Home", 2_000), Request("Home", 3_000), Request("Home", 4_000)]])


def failing_run() -> TestResult:
    """Every request failed: 500s and refused connections."""
    failures = [
        Request("Home", 1_000, status=500, error="http_500"),
        Request("Home", 500, status=0, error="connection_refused"),
    ]
    return build_result([failures, failures])


def open_model_run() -> TestResult:
    """Three seconds of `--arrival-rate 10` on at most 4 users: the last second drops 3 starts.

    Each second records its started iterations, the rate asked for (10/s)
    and requests whose corrected latency (from the intended start) exceeds
    their service time by a growing wait.
    """
    builder = SnapshotBuilder()
    snapshots = []
    for index, (started, dropped, wait_us) in enumerate(
        [(10, 0, 0), (10, 0, 5_000), (7, 3, 400_000)]
    ):
        collector = MetricsCollector()
        for i in range(started):
            latency = 2_000 * (i + 1)
            collector.record("Search", "GET", 200, latency, 100, None)
            collector.record_corrected("Search", latency + wait_us)
            collector.count_started()
        for _ in range(dropped):
            collector.count_dropped()
        snapshots.append(
            builder.add_interval(
                collector.take_interval(),
                timestamp=EPOCH + index + 1,
                elapsed=float(index + 1),
                interval_seconds=1.0,
                active_users=min(started, 4),
                target_users=4,
                target_rate=10.0,
            )
        )
    summary = builder.summary(
        timestamp=EPOCH + 3, elapsed=3.0, active_users=4, target_users=4, target_rate=10.0
    )
    return TestResult(
        scenario_name="Open",
        status=RunStatus.COMPLETED,
        start_time=START,
        end_time=START + timedelta(seconds=3),
        duration_seconds=3.0,
        pattern_description="constant 10 iterations/s",
        snapshots=snapshots,
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=builder.endpoint_histograms(),
        config={"arrival_rate": 10.0, "max_users": 4},
        loadforge_version="0.1.0",
    )


def scenario_run() -> TestResult:
    """Two seconds on two workers with checks, custom metrics and groups, merged as the engine does.

    Each second, each worker: 10 "Order" requests inside group "checkout"
    (and 2 in "checkout › pay"), check "status is 201" passing 9 times of
    10, counter "orders" +10, rate "paid" 10 values of which 5 true, gauge
    "depth" set to the worker's index, and trend "cart_ms" 1..10 ms.
    """
    builder = SnapshotBuilder()
    snapshots = []
    for second in range(2):
        merged = None
        for worker in range(2):
            collector = MetricsCollector()
            for i in range(10):
                collector.record("checkout › Order", "POST", 201, 1000 * (i + 1), 10, None)
                collector.record_check("status is 201", "checkout › Order", i != 0, None)
                collector.add_counter("orders", 1)
                collector.add_rate("paid", i % 2 == 0)
                collector.record_trend("cart_ms", 1000 * (i + 1))
                collector.record_group("checkout", 2000 * (i + 1))
            for _ in range(2):
                collector.record("checkout › pay › Card", "POST", 200, 500, 10, None)
                collector.record_group("checkout › pay", 600)
            collector.set_gauge("depth", float(worker))
            interval = collector.take_interval()
            if merged is None:
                merged = interval
            else:
                merged.merge(interval)
        assert merged is not None
        snapshots.append(
            builder.add_interval(
                merged,
                timestamp=EPOCH + second + 1,
                elapsed=float(second + 1),
                interval_seconds=1.0,
                active_users=2,
                target_users=2,
            )
        )
    summary = builder.summary(timestamp=EPOCH + 2, elapsed=2.0, active_users=0, target_users=0)
    return TestResult(
        scenario_name="Shop",
        status=RunStatus.COMPLETED,
        start_time=START,
        end_time=START + timedelta(seconds=2),
        duration_seconds=2.0,
        pattern_description="constant 2 users",
        snapshots=snapshots,
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=builder.endpoint_histograms(),
        config={"users": 2},
        loadforge_version="0.1.0",
        trend_histograms=builder.trend_histograms(),
        group_histograms=builder.group_histograms(),
    )


def mixed_run() -> TestResult:
    """Two seconds of `Browse` on 2 users beside `Buy` at 5 iterations/s (a mixed run).

    Browse's requests start on no schedule, so they have no corrected
    latency; Buy's do, 3 ms over their service time.
    """
    builder = SnapshotBuilder()
    snapshots = []
    for index in range(2):
        collector = MetricsCollector()
        for i in range(20):
            collector.record("Browse › list", "GET", 200, 1_000 * (i + 1), 100, None)
        for _ in range(5):
            collector.record("Buy › pay", "GET", 201, 2_000, 100, None)
            collector.record_corrected("Buy › pay", 5_000)
            collector.count_started()
        snapshots.append(
            builder.add_interval(
                collector.take_interval(),
                timestamp=EPOCH + index + 1,
                elapsed=float(index + 1),
                interval_seconds=1.0,
                active_users=3,
                target_users=102,
                target_rate=5.0,
            )
        )
    summary = builder.summary(
        timestamp=EPOCH + 2, elapsed=2.0, active_users=3, target_users=102, target_rate=5.0
    )
    shares = [("Browse", 2, 40, 20.0), ("Buy", 1, 10, 5.0)]
    return TestResult(
        scenario_name="Browse + Buy",
        status=RunStatus.COMPLETED,
        start_time=START,
        end_time=START + timedelta(seconds=2),
        duration_seconds=2.0,
        pattern_description="Browse: constant 2 users; Buy: constant 5 iterations/s",
        snapshots=snapshots,
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=builder.endpoint_histograms(),
        config={},
        loadforge_version="0.1.0",
        scenarios=tuple(
            ScenarioMetrics(name, 1, None, users, requests, rps, 0, 0.0, 1.0, 2.0, 2.0, 1.5, 2.0)
            for name, users, requests, rps in shares
        ),
    )
