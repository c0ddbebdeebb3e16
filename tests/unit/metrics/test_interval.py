"""IntervalStats merges exactly and survives the trip through bytes."""

from __future__ import annotations

import json

import pytest

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats, add_counts


def endpoint(
    method: str, latencies: list[int], requests: int = 0, bytes_received: int = 0
) -> EndpointInterval:
    result = EndpointInterval(method, requests=requests, bytes_received=bytes_received)
    for latency in latencies:
        result.latency.record(latency)
    return result


def sample_stats() -> IntervalStats:
    users = endpoint("GET", [1200, 1300, 50_000], requests=3, bytes_received=300)
    users.count_error(404, "http_404")
    login = endpoint("POST", [900], requests=1, bytes_received=10)
    login.count_error(0, "timeout")
    return IntervalStats(
        endpoints={"users": users, "login": login},
        task_errors_by_type={"KeyError": 2},
        task_errors_by_task={"browse": 2},
    )


def test_add_counts_adds_key_by_key() -> None:
    counts = {"a": 1, "b": 2}

    add_counts(counts, {"b": 3, "c": 4})

    assert counts == {"a": 1, "b": 5, "c": 4}


def test_count_error_counts_status_only_when_a_response_arrived() -> None:
    stats = EndpointInterval("GET")

    stats.count_error(500, "http_500")
    stats.count_error(0, "connection_refused")
    stats.count_error(500, "http_500")

    assert stats.errors == 3
    assert stats.errors_by_status == {500: 2}
    assert stats.errors_by_type == {"http_500": 2, "connection_refused": 1}


def test_merge_adds_counters_and_histograms() -> None:
    merged = sample_stats()

    merged.merge(sample_stats())

    users = merged.endpoints["users"]
    assert (users.method, users.requests, users.errors, users.bytes_received) == ("GET", 6, 2, 600)
    assert users.errors_by_status == {404: 2}
    assert users.errors_by_type == {"http_404": 2}
    assert users.latency.count == 6
    assert merged.task_errors_by_type == {"KeyError": 4}
    assert merged.task_errors_by_task == {"browse": 4}
    assert merged.task_errors == 4


def test_merge_adds_endpoints_only_the_other_side_saw() -> None:
    merged = IntervalStats()

    merged.merge(sample_stats())

    assert list(merged.endpoints) == ["users", "login"]
    assert merged.endpoints["login"].method == "POST"
    assert merged.endpoints["login"].latency.percentile_ms(100) == 0.9


def test_merge_leaves_the_other_interval_unchanged() -> None:
    other = sample_stats()

    IntervalStats().merge(other)

    assert other.endpoints["users"].requests == 3
    assert other.endpoints["users"].latency.count == 3


def test_endpoint_without_method_takes_the_merged_one() -> None:
    blank = EndpointInterval("")

    blank.merge(endpoint("PUT", [], requests=1))

    assert blank.method == "PUT"


def test_bytes_round_trip_is_exact() -> None:
    original = sample_stats()

    restored = IntervalStats.from_bytes(original.to_bytes())

    assert restored.to_bytes() == original.to_bytes()
    users = restored.endpoints["users"]
    assert users.errors_by_status == {404: 1}
    assert users.latency.percentiles_ms((50.0, 100.0)) == (1.3, 50.015)
    assert restored.task_errors_by_task == {"browse": 2}


def test_bytes_are_compact_json() -> None:
    payload = IntervalStats(endpoints={"a": endpoint("GET", [1000], requests=1)}).to_bytes()

    assert b" " not in payload
    assert json.loads(payload)["format"] == 1


def test_empty_interval_round_trips() -> None:
    restored = IntervalStats.from_bytes(IntervalStats().to_bytes())

    assert restored.endpoints == {}
    assert restored.task_errors == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\xff\xfe", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"[]", "should be a JSON object"),
        (b'{"format": 2}', "format 2"),
        (b'{"format": 1, "endpoints": {}}', "task_errors_by_type"),
        (b'{"format": 1, "endpoints": {"a": 3}}', "endpoint 'a'"),
    ],
)
def test_malformed_bytes_raise_result_format_error(payload: bytes, message: str) -> None:
    with pytest.raises(ResultFormatError, match=message):
        IntervalStats.from_bytes(payload)


def test_malformed_endpoint_field_names_the_field() -> None:
    document = json.loads(sample_stats().to_bytes())
    document["endpoints"]["users"]["requests"] = -1

    with pytest.raises(ResultFormatError, match="'requests'"):
        IntervalStats.from_bytes(json.dumps(document).encode())


def test_endpoint_histogram_must_be_decodable() -> None:
    document = json.loads(sample_stats().to_bytes())
    document["endpoints"]["users"]["latency"] = "garbage"

    with pytest.raises(ResultFormatError, match="histogram"):
        IntervalStats.from_bytes(json.dumps(document).encode())


def test_endpoint_to_dict_carries_an_encoded_histogram() -> None:
    users = sample_stats().endpoints["users"]

    document = users.to_dict()

    assert document["errors_by_status"] == {"404": 1}
    assert isinstance(document["latency"], str)
    assert LatencyHistogram.decode(document["latency"]).count == 3


def test_users_set_up_per_scenario_add_up_across_workers_and_round_trip() -> None:
    ours, theirs = IntervalStats(), IntervalStats(users_by_scenario={"Buy": 2})
    ours.users_by_scenario["Browse"] = 3

    ours.merge(theirs)
    ours.merge(IntervalStats(users_by_scenario={"Browse": 1}))

    assert ours.users_by_scenario == {"Browse": 4, "Buy": 2}
    assert IntervalStats.from_bytes(ours.to_bytes()).users_by_scenario == ours.users_by_scenario
    assert "users_by_scenario" not in json.loads(IntervalStats().to_bytes())
