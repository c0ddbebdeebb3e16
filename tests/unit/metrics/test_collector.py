"""MetricsCollector counts requests, failures and task errors per interval."""

from __future__ import annotations

import random

from hdrh.histogram import HdrHistogram

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.histogram import HIGHEST_US
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.recorder import RequestRecorder


def test_each_call_through_the_recorder_protocol_is_counted() -> None:
    collector = MetricsCollector()
    recorder: RequestRecorder = collector  # what the HTTP client and the users see

    recorder.record("home", "GET", 200, 1000, 10, None)
    recorder.record("home", "GET", 503, 2000, 0, "http_503")
    recorder.mark_failed("home", 200, "empty page")
    recorder.record_task_error("browse", KeyError("keyerror"))

    stats = collector.take_interval()
    home = stats.endpoints["home"]
    assert (home.method, home.requests, home.errors, home.bytes_received) == ("GET", 2, 2, 10)
    assert home.errors_by_status == {503: 1, 200: 1}
    assert home.errors_by_type == {"http_503": 1, "empty page": 1}
    assert home.latency.percentiles_ms((0.0, 100.0)) == (1.0, 2.0)
    assert stats.task_errors_by_task == {"browse": 1}
    assert stats.task_errors_by_type == {"KeyError": 1}


def test_record_counts_requests_bytes_and_latencies() -> None:
    collector = MetricsCollector()

    collector.record("users", "GET", 200, 1000, 100, None)
    collector.record("users", "GET", 200, 2000, 250, None)
    collector.record("login", "POST", 201, 500, 0, None)

    stats = collector.take_interval()
    users = stats.endpoints["users"]
    assert (users.method, users.requests, users.errors, users.bytes_received) == ("GET", 2, 0, 350)
    assert users.latency.percentiles_ms((0.0, 100.0)) == (1.0, 2.0)
    assert stats.endpoints["login"].requests == 1


def test_failed_requests_count_as_errors_and_keep_their_latency() -> None:
    collector = MetricsCollector()

    collector.record("users", "GET", 404, 1500, 20, "http_404")
    collector.record("users", "GET", 0, 30_000, 0, "timeout")
    collector.record("users", "GET", 200, 1000, 20, None)

    users = collector.take_interval().endpoints["users"]
    assert users.requests == 3
    assert users.errors == 2
    assert users.errors_by_status == {404: 1}
    assert users.errors_by_type == {"http_404": 1, "timeout": 1}
    assert users.latency.count == 3
    assert users.latency.max_ms == 30.015


def test_mark_failed_turns_a_success_into_a_failure() -> None:
    collector = MetricsCollector()
    collector.record("checkout", "POST", 200, 2000, 50, None)

    collector.mark_failed("checkout", 200, "missing order id")

    checkout = collector.take_interval().endpoints["checkout"]
    assert checkout.requests == 1
    assert checkout.errors == 1
    assert checkout.errors_by_status == {200: 1}
    assert checkout.errors_by_type == {"missing order id": 1}


def test_mark_failed_after_the_interval_was_taken_lands_in_the_next_one() -> None:
    collector = MetricsCollector()
    collector.record("checkout", "POST", 200, 2000, 50, None)
    collector.take_interval()

    collector.mark_failed("checkout", 0, "bad body")

    checkout = collector.take_interval().endpoints["checkout"]
    assert (checkout.method, checkout.requests, checkout.errors) == ("POST", 0, 1)
    assert checkout.errors_by_status == {}


def test_mark_failed_for_an_unknown_name_still_counts_the_error() -> None:
    collector = MetricsCollector()

    collector.mark_failed("ghost", 500, "http_500")

    ghost = collector.take_interval().endpoints["ghost"]
    assert (ghost.method, ghost.errors) == ("", 1)


def test_a_corrected_latency_for_an_unknown_name_still_lands_in_its_endpoint() -> None:
    collector = MetricsCollector()

    collector.record_corrected("ghost", 1_500)

    ghost = collector.take_interval().endpoints["ghost"]
    assert (ghost.method, ghost.requests, ghost.corrected.count) == ("", 0, 1)


def test_bytes_are_summed_per_endpoint_when_the_interval_is_taken() -> None:
    collector = MetricsCollector()
    for nbytes in (100, 250, 0):
        collector.record("home", "GET", 200, 1_000, nbytes, None)
    collector.record("api", "POST", 500, 2_000, 7, "http_500")

    taken = collector.take_interval().endpoints
    assert (taken["home"].requests, taken["home"].bytes_received) == (3, 350)
    assert (taken["api"].requests, taken["api"].bytes_received, taken["api"].errors) == (1, 7, 1)
    collector.record("home", "GET", 200, 1_000, 5, None)
    assert collector.take_interval().endpoints["home"].bytes_received == 5


def test_task_errors_are_counted_by_type_and_task_but_are_not_requests() -> None:
    collector = MetricsCollector()

    collector.record_task_error("browse", KeyError("keyerror"))
    collector.record_task_error("browse", KeyError("keyerror"))
    collector.record_task_error("buy", ValueError("valueerror"))

    stats = collector.take_interval()
    assert stats.endpoints == {}
    assert stats.task_errors == 3
    assert stats.task_errors_by_type == {"KeyError": 2, "ValueError": 1}
    assert stats.task_errors_by_task == {"browse": 2, "buy": 1}


def test_take_interval_starts_a_fresh_interval() -> None:
    collector = MetricsCollector()
    collector.record("a", "GET", 200, 1000, 1, None)
    collector.record_task_error("t", RuntimeError("e"))

    first = collector.take_interval()
    collector.record("a", "GET", 200, 2000, 1, None)
    second = collector.take_interval()

    assert first.endpoints["a"].requests == 1
    assert first.task_errors == 1
    assert second.endpoints["a"].requests == 1
    assert second.endpoints["a"].latency.percentile_ms(50) == 2.0
    assert second.task_errors == 0
    assert collector.take_interval().endpoints == {}


def test_first_method_seen_for_a_name_is_kept() -> None:
    collector = MetricsCollector()
    collector.record("item", "GET", 200, 1000, 1, None)
    collector.take_interval()

    collector.record("item", "DELETE", 200, 1000, 1, None)

    assert collector.take_interval().endpoints["item"].method == "GET"


def test_intervals_from_two_workers_merge_into_exact_percentiles() -> None:
    generator = random.Random(7)
    latencies = [int(generator.lognormvariate(9.0, 1.2)) for _ in range(6000)]
    workers = (MetricsCollector(), MetricsCollector())
    for index, latency in enumerate(latencies):
        workers[index % 2].record("api", "GET", 200, latency, 0, None)
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for latency in latencies:
        reference.record_value(latency)

    merged = IntervalStats()
    for worker in workers:
        merged.merge(IntervalStats.from_bytes(worker.take_interval().to_bytes()))

    api = merged.endpoints["api"]
    assert api.requests == len(latencies)
    for percentile in (50.0, 90.0, 99.0, 99.9):
        expected = reference.get_value_at_percentile(percentile) / 1000.0
        assert api.latency.percentile_ms(percentile) == expected


def test_response_timings_fill_the_run_wide_ttfb_and_receiving_trends() -> None:
    collector = MetricsCollector()
    for waiting_us in (10_000, 20_000, 30_000):
        collector.record_timings("GET /", waiting_us, 500)
    collector.record_connecting("GET /", 1_200, None, None)
    trends = collector.take_interval().scenario.trends
    assert sorted(trends) == ["connecting", "receiving", "ttfb"]
    assert trends["ttfb"].count == 3
    assert abs(trends["ttfb"].percentile_ms(50) - 20.0) < 0.1
    assert abs(trends["receiving"].percentile_ms(50) - 0.5) < 0.01
    assert trends["connecting"].count == 1
    assert collector.take_interval().scenario.trends == {}


def test_each_endpoint_keeps_its_own_timings_through_the_wire_and_the_merge() -> None:
    workers = [MetricsCollector(), MetricsCollector()]
    for index, worker in enumerate(workers):
        worker.record_connecting("slow", 1_000, 300, 5_000)
        worker.record_timings("slow", 40_000 + index * 10_000, 200)
        worker.record("slow", "GET", 200, 41_000, 2, None)
        worker.record_timings("fast", 1_000, 100)
        worker.record("fast", "GET", 200, 1_200, 2, None)
    merged = IntervalStats()
    for worker in workers:
        merged.merge(IntervalStats.from_bytes(worker.take_interval().to_bytes()))

    slow, fast = merged.endpoints["slow"], merged.endpoints["fast"]
    assert sorted(slow.timings) == ["connecting", "dns", "receiving", "tls", "ttfb"]
    assert sorted(fast.timings) == ["receiving", "ttfb"]
    assert slow.timings["ttfb"].count == 2
    assert abs(slow.timings["ttfb"].max_ms - 50.0) < 0.1
    assert abs(fast.timings["ttfb"].max_ms - 1.0) < 0.01
    assert slow.timings["tls"].count == 2
    assert abs(slow.timings["dns"].max_ms - 0.3) < 0.01
    trends = merged.scenario.trends
    assert trends["ttfb"].count == 4
    assert trends["tls"].count == 2


def test_a_connection_without_dns_or_tls_records_neither() -> None:
    collector = MetricsCollector()
    collector.record_connecting("plain", 900, None, None)
    collector.record("plain", "GET", 200, 2_000, 2, None)
    endpoint = collector.take_interval().endpoints["plain"]
    assert list(endpoint.timings) == ["connecting"]
    assert endpoint.requests == 1
