"""Worker intervals survive encoding; endpoint names travel once per worker."""

from __future__ import annotations

import json

import pytest

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


def worker_interval(index: int, *names: str) -> WorkerInterval:
    endpoints = {}
    for name in names:
        endpoint = EndpointInterval("POST", requests=2, bytes_received=10)
        endpoint.latency.record(1500)
        endpoint.latency.record(90_000)
        endpoint.count_error(503, "http_503")
        endpoint.corrected.record(250_000)
        endpoints[name] = endpoint
    stats = IntervalStats(
        endpoints=endpoints,
        task_errors_by_type={"KeyError": 1},
        task_errors_by_task={"t": 1},
        dropped_iterations=2,
        started_iterations=7,
    )
    return WorkerInterval(index, active_users=3, target_users=4, stats=stats)


def test_round_trip_keeps_every_count_and_histogram() -> None:
    original = worker_interval(5, "login", "items")

    decoded = IntervalDecoder().decode(IntervalEncoder().encode(original))

    assert (decoded.index, decoded.active_users, decoded.target_users) == (5, 3, 4)
    assert decoded.stats.dropped_iterations == 2
    assert decoded.stats.started_iterations == 7
    assert decoded.stats.corrected().max_ms == original.stats.corrected().max_ms
    assert decoded.stats.endpoints["items"].corrected.count == 1
    assert set(decoded.stats.endpoints) == {"login", "items"}
    login = decoded.stats.endpoints["login"]
    assert login.method == "POST"
    assert (login.requests, login.errors, login.bytes_received) == (2, 1, 10)
    assert login.errors_by_status == {503: 1}
    assert login.latency.percentiles_ms((50.0, 100.0)) == original.stats.endpoints[
        "login"
    ].latency.percentiles_ms((50.0, 100.0))
    assert decoded.stats.task_errors_by_type == {"KeyError": 1}


def test_endpoint_names_are_sent_only_the_first_time() -> None:
    encoder = IntervalEncoder()
    decoder = IntervalDecoder()
    first = encoder.encode(worker_interval(1, "login"))
    second = encoder.encode(worker_interval(2, "login", "items"))

    assert json.loads(first)["new"] == [[0, "login", "POST"]]
    assert json.loads(second)["new"] == [[1, "items", "POST"]]
    assert b"login" not in second
    decoder.decode(first)
    assert set(decoder.decode(second).stats.endpoints) == {"login", "items"}


def test_rollback_registers_the_names_again_in_the_next_payload() -> None:
    encoder = IntervalEncoder()
    encoder.encode(worker_interval(1, "login"))  # never delivered
    encoder.rollback()

    again = encoder.encode(worker_interval(1, "login"))

    assert json.loads(again)["new"] == [[0, "login", "POST"]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"format": 99}', "unknown format"),
        (b'{"format": 1, "new": 3}', "'new' should be a list"),
        (b'{"format": 1, "new": [[1]]}', "malformed endpoint registration"),
        (
            b'{"format": 1, "new": [], "endpoints": {"7": {}}}',
            "unregistered endpoint",
        ),
    ],
)
def test_malformed_payloads_are_format_errors(payload: bytes, message: str) -> None:
    with pytest.raises(ResultFormatError, match=message):
        IntervalDecoder().decode(payload)


def test_users_set_up_per_scenario_travel_only_when_counted() -> None:
    counted = worker_interval(1, "Browse › list")
    counted.stats.users_by_scenario.update({"Browse": 3, "Buy": 1})
    encoder, decoder = IntervalEncoder(), IntervalDecoder()

    decoded = decoder.decode(encoder.encode(counted))
    plain = encoder.encode(worker_interval(2))

    assert decoded.stats.users_by_scenario == {"Browse": 3, "Buy": 1}
    assert "users_by_scenario" not in json.loads(plain)
    assert decoder.decode(plain).stats.users_by_scenario == {}
