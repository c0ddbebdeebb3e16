"""The numbers behind each chart of the run report."""

from __future__ import annotations

import dataclasses

import pytest

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import TestResult
from loadforge.reports import chart_data
from sample_runs import empty_run, failing_run, normal_run, one_second_run, open_model_run


def test_throughput_follows_each_second_and_the_target() -> None:
    data = chart_data.throughput(normal_run())
    assert data.elapsed == (1.0, 2.0, 3.0)
    assert data.rps == (10.0, 11.0, 12.0)
    assert data.target_users == (2.0, 2.0, 2.0)
    assert data.rps_cap is None
    assert not data.is_empty


def test_throughput_shows_an_rps_cap_from_the_config() -> None:
    run = normal_run()
    capped = chart_data.throughput(dataclasses.replace(run, config={"rps": 50}))
    assert capped.rps_cap == 50.0


def test_latency_bands_are_the_per_second_percentiles() -> None:
    run = normal_run()
    data = chart_data.latency_bands(run)
    assert data.elapsed == (1.0, 2.0, 3.0)
    assert data.p50 == tuple(s.latency_p50 for s in run.snapshots)
    assert data.p99[2] == pytest.approx(5000.0, rel=0.01)  # the timeout
    assert all(a <= b <= c for a, b, c in zip(data.p50, data.p95, data.p99, strict=True))


def test_latency_bands_skip_seconds_without_requests() -> None:
    assert chart_data.latency_bands(empty_run()).is_empty


def test_distribution_bins_every_request_of_the_whole_run() -> None:
    run = normal_run()
    data = chart_data.latency_distribution(run.latency_histogram)
    assert sum(data.counts) == run.final_summary.requests == 33
    assert sum(data.percent) == pytest.approx(100.0)
    assert len(data.counts) == chart_data.DISTRIBUTION_BINS
    assert data.lower[0] == pytest.approx(1.0, rel=0.001)
    assert data.upper[-1] == pytest.approx(5000.0, rel=0.001)
    assert all(lo < hi for lo, hi in zip(data.lower, data.upper, strict=True))
    assert data.lower[1:] == data.upper[:-1]
    assert data.counts[-1] == 1  # the 5 s timeout sits alone in the last bin
    names = [name for name, _ in data.markers]
    assert names == ["p50", "p95", "p99"]
    assert dict(data.markers)["p50"] == pytest.approx(6.0, rel=0.01)


def test_distribution_of_identical_latencies_is_one_bin() -> None:
    histogram = LatencyHistogram()
    for _ in range(5):
        histogram.record(2000)
    data = chart_data.latency_distribution(histogram.encode())
    assert data.counts == (5,)
    assert data.percent == (100.0,)


def test_distribution_of_an_empty_run_is_empty() -> None:
    assert chart_data.latency_distribution(empty_run().latency_histogram).is_empty


def test_endpoint_latency_groups_each_endpoint() -> None:
    data = chart_data.endpoint_latency(normal_run())
    assert data.names == ("Create Item", "List Items")
    assert data.p50[0] == pytest.approx(20.0, rel=0.01)
    assert data.p99[1] == pytest.approx(5000.0, rel=0.01)
    assert chart_data.endpoint_latency(empty_run()).is_empty


def test_errors_are_stacked_by_status_class_and_error_type() -> None:
    data = chart_data.errors_over_time(normal_run())
    assert data.elapsed == (1.0, 2.0, 3.0)
    assert {s.name: s.values for s in data.series} == {
        "5xx": (0.0, 0.0, 1.0),
        "timeout": (0.0, 0.0, 1.0),
    }
    assert chart_data.errors_over_time(one_second_run()).is_empty


def test_error_kinds_count_each_error_once() -> None:
    for snapshot in failing_run().snapshots:
        kinds = chart_data.error_kinds(snapshot)
        assert kinds == {"5xx": 1, "connection_refused": 1}
        assert sum(kinds.values()) == snapshot.errors


def test_error_totals_are_sorted_and_shared_out() -> None:
    totals = chart_data.error_totals(failing_run())
    assert [(t.kind, t.count) for t in totals] == [("connection_refused", 2), ("http_500", 2)]
    assert [t.share_of_requests for t in totals] == [0.5, 0.5]
    assert chart_data.error_totals(empty_run()) == ()


def test_users_over_time() -> None:
    data = chart_data.users_over_time(normal_run())
    assert data.active == (1.0, 2.0, 2.0)
    assert data.target == (2.0, 2.0, 2.0)
    assert not data.is_empty


def test_the_open_model_throughput_sets_the_rate_started_against_the_rate_asked_for() -> None:
    data = chart_data.throughput(open_model_run())
    assert data.open_model
    assert data.started_rate == (10.0, 10.0, 7.0)
    assert data.target_rate == (10.0, 10.0, 10.0)
    closed = chart_data.throughput(normal_run())
    assert (closed.open_model, closed.started_rate, closed.target_rate) == (False, (), ())


def test_started_rates_are_per_second_of_each_interval() -> None:
    run = open_model_run()
    # A last interval of 4 s (a drain) with 8 starts is 2 per second, not 8.
    longer = dataclasses.replace(run.snapshots[-1], elapsed_seconds=7.0, started_iterations=8)
    data = chart_data.throughput(dataclasses.replace(run, snapshots=[*run.snapshots[:2], longer]))
    assert chart_data.interval_seconds([*run.snapshots[:2], longer]) == (1.0, 1.0, 5.0)
    assert data.started_rate == (10.0, 10.0, 1.6)


def test_corrected_latency_beside_service_time_in_the_open_model_only() -> None:
    run = open_model_run()
    data = chart_data.corrected_latency(run)
    assert data is not None
    assert [series.name for series in data.service] == ["p50", "p95", "p99"]
    assert [series.name for series in data.corrected] == [
        "corrected p50",
        "corrected p95",
        "corrected p99",
    ]
    assert data.corrected[2].values == tuple(s.latency_corrected_p99 for s in run.snapshots)
    assert data.corrected[2].values[2] > data.service[2].values[2] + 300  # the 400 ms wait
    assert chart_data.corrected_latency(normal_run()) is None


def drained_run(seconds: int = 1) -> TestResult:
    """normal_run with its last `seconds` snapshots after the planned end."""
    run = normal_run()
    snapshots = [
        dataclasses.replace(s, drain=index >= len(run.snapshots) - seconds)
        for index, s in enumerate(run.snapshots)
    ]
    return dataclasses.replace(run, snapshots=snapshots)


def test_a_run_without_a_drain_has_no_drain_span() -> None:
    assert chart_data.drain_span(normal_run().snapshots) is None
    assert chart_data.throughput(normal_run()).drain is None


@pytest.mark.parametrize(("seconds", "start"), [(1, 2.0), (2, 1.0)])
def test_the_drain_span_runs_from_where_its_first_interval_began(
    seconds: int, start: float
) -> None:
    run = drained_run(seconds)
    span = chart_data.DrainSpan(start, 3.0)
    assert chart_data.drain_span(run.snapshots) == span
    assert chart_data.throughput(run).drain == span
    assert chart_data.latency_bands(run).drain == span
    assert chart_data.errors_over_time(run).drain == span
    assert chart_data.users_over_time(run).drain == span


def test_a_drain_from_the_first_second_starts_at_zero() -> None:
    run = drained_run(3)
    assert chart_data.drain_span(run.snapshots) == chart_data.DrainSpan(0.0, 3.0)


def test_a_drain_too_short_to_see_widens_to_its_least_share_of_the_axis() -> None:
    run = normal_run()
    last = run.snapshots[-1]
    tail = dataclasses.replace(last, elapsed_seconds=last.elapsed_seconds + 0.02, drain=True)
    span = chart_data.drain_span([*run.snapshots, tail])
    assert span is not None
    assert span.end == pytest.approx(3.02)
    assert span.start == pytest.approx(3.02 * (1 - chart_data.MIN_DRAIN_SHARE))


def test_a_run_on_its_scenarios_own_rates_reads_as_the_open_model_without_arrival_rate() -> None:
    # No --arrival-rate in the config: the scenarios carried the rates (some beside users).
    run = open_model_run()
    config = {key: value for key, value in run.config.items() if key != "arrival_rate"}
    carried = dataclasses.replace(run, config=config)
    closed = normal_run()

    assert carried.open_model
    assert chart_data.is_open_model(carried)
    assert chart_data.throughput(carried).open_model
    assert not closed.open_model
