"""The result models round-trip through JSON exactly and reject malformed input clearly."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from loadforge.errors import LoadForgeError
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import (
    EndpointMetrics,
    MetricSnapshot,
    RunStatus,
    TestResult,
)
from loadforge.metrics.timings import TimingFigures


def sample_endpoint() -> EndpointMetrics:
    return EndpointMetrics(
        name="users",
        method="GET",
        requests=120,
        rps=40.5,
        latency_p50=1.25,
        latency_p95=9.871,
        latency_p99=14.0,
        latency_avg=2.1234567891,
        latency_max=31.5,
        errors=3,
        error_rate=0.025,
        bytes_received=123_456,
    )


def sample_snapshot(elapsed: float = 1.0) -> MetricSnapshot:
    return MetricSnapshot(
        timestamp=1_700_000_000.123456,
        elapsed_seconds=elapsed,
        active_users=10,
        target_users=20,
        requests=120,
        rps=40.5,
        latency_p50=1.25,
        latency_p75=2.5,
        latency_p90=5.0,
        latency_p95=9.871,
        latency_p99=14.0,
        latency_p999=30.0,
        latency_min=0.1,
        latency_max=31.5,
        latency_avg=2.1234567891,
        errors=4,
        error_rate=4 / 121,
        errors_by_status={404: 2, 503: 1},
        errors_by_type={"http_404": 2, "http_503": 1, "KeyError": 1},
        endpoints={"users": sample_endpoint()},
        bytes_received=123_456,
        task_errors=1,
    )


def sample_result() -> TestResult:
    histogram = LatencyHistogram()
    histogram.record(1250)
    return TestResult(
        scenario_name="Shop checkout",
        status=RunStatus.INTERRUPTED,
        start_time=datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC),
        end_time=datetime(2024, 5, 1, 12, 0, 3, 500_000, tzinfo=UTC),
        duration_seconds=3.5,
        pattern_description="ramp 0→20 users over 10s",
        snapshots=[sample_snapshot(1.0), sample_snapshot(2.0)],
        final_summary=sample_snapshot(3.5),
        latency_histogram=histogram.encode(),
        endpoint_histograms={"users": histogram.encode()},
        config={"users": 20, "host": "http://localhost", "tags": ["a", "b"], "ramp": None},
        loadforge_version="0.1.0",
    )


def through_json(document: dict[str, object]) -> dict[str, object]:
    loaded = json.loads(json.dumps(document))
    assert isinstance(loaded, dict)
    return loaded


def test_endpoint_round_trips_exactly() -> None:
    original = sample_endpoint()

    assert EndpointMetrics.from_dict(through_json(original.to_dict())) == original


def test_snapshot_round_trips_exactly_with_integer_status_codes() -> None:
    original = sample_snapshot()

    document = through_json(original.to_dict())
    restored = MetricSnapshot.from_dict(document)

    assert document["errors_by_status"] == {"404": 2, "503": 1}
    assert restored == original
    assert list(restored.errors_by_status) == [404, 503]


def test_result_round_trips_exactly() -> None:
    original = sample_result()

    restored = TestResult.from_dict(through_json(original.to_dict()))

    assert restored == original
    assert restored.status is RunStatus.INTERRUPTED
    assert restored.start_time.tzinfo is not None


def test_exports_are_kept_only_when_a_run_had_some() -> None:
    plain = sample_result()
    report: dict[str, object] = {"prometheus_remote_write": {"sent": 3, "dropped": 1}}
    exported = dataclasses.replace(plain, exports=report)

    assert "exports" not in plain.to_dict()
    assert exported.to_dict()["exports"] == report
    assert TestResult.from_dict(through_json(exported.to_dict())) == exported
    with pytest.raises(ResultFormatError, match="exports"):
        TestResult.from_dict({**through_json(plain.to_dict()), "exports": [1]})


def test_result_dict_names_its_format_and_status_as_text() -> None:
    document = sample_result().to_dict()

    assert document["result_format"] == 2
    assert document["status"] == "interrupted"
    assert document["start_time"] == "2024-05-01T12:00:00+00:00"


def test_result_without_format_key_is_still_read() -> None:
    document = through_json(sample_result().to_dict())
    del document["result_format"]

    assert TestResult.from_dict(document) == sample_result()


def test_models_are_frozen() -> None:
    snapshot = sample_snapshot()

    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.requests = 5  # type: ignore[misc]


def test_run_status_values_are_strings() -> None:
    assert [status.value for status in RunStatus] == ["completed", "interrupted", "failed"]


def test_test_result_is_not_collected_by_pytest() -> None:
    assert TestResult.__test__ is False


def test_result_format_error_is_a_loadforge_error() -> None:
    assert issubclass(ResultFormatError, LoadForgeError)
    assert ResultFormatError("x").exit_code == 2


SNAPSHOT_BREAKAGES: list[tuple[str, object, str]] = [
    ("requests", "12", "'requests' should be a non-negative integer"),
    ("requests", True, "'requests' should be a non-negative integer"),
    ("requests", -3, "'requests' should be a non-negative integer"),
    ("latency_p99", "fast", "'latency_p99' should be a finite number"),
    ("latency_p99", float("nan"), "'latency_p99' should be a finite number"),
    ("latency_p99", False, "'latency_p99' should be a finite number"),
    ("errors_by_status", {"abc": 1}, "not an HTTP status code"),
    ("errors_by_status", {"²": 1}, "not an HTTP status code"),
    ("errors_by_status", [1], "should be a JSON object"),
    ("errors_by_type", {"x": 1.5}, "'x' should be a non-negative integer"),
    ("endpoints", {"users": "nope"}, "endpoint 'users' should be a JSON object"),
    ("endpoints", {"users": {"name": "users"}}, "Endpoint metrics has no 'method' field"),
]


@pytest.mark.parametrize(("key", "value", "message"), SNAPSHOT_BREAKAGES)
def test_malformed_snapshot_names_the_problem(key: str, value: object, message: str) -> None:
    document = sample_snapshot().to_dict()
    document[key] = value

    with pytest.raises(ResultFormatError, match=message):
        MetricSnapshot.from_dict(document)


def test_snapshot_missing_field_is_named() -> None:
    document = sample_snapshot().to_dict()
    del document["task_errors"]

    with pytest.raises(ResultFormatError, match="Snapshot has no 'task_errors' field"):
        MetricSnapshot.from_dict(document)


def test_integer_latencies_in_json_are_read_as_floats() -> None:
    document = sample_snapshot().to_dict()
    document["latency_p50"] = 2

    restored = MetricSnapshot.from_dict(document)

    assert restored.latency_p50 == 2.0
    assert isinstance(restored.latency_p50, float)


RESULT_BREAKAGES: list[tuple[str, object, str]] = [
    ("result_format", 99, "format 99"),
    ("status", "exploded", "expected one of completed, interrupted, failed"),
    ("start_time", "yesterday", "ISO 8601"),
    ("snapshots", {"a": 1}, "'snapshots' should be a list"),
    ("snapshots", [3], "Snapshot should be a JSON object"),
    ("final_summary", None, "'final_summary' should be a JSON object"),
    ("endpoint_histograms", {"users": 5}, "'users' should be a string"),
    ("config", [], "'config' should be a JSON object"),
    ("duration_seconds", float("inf"), "finite number"),
    ("scenario_name", 1, "'scenario_name' should be a string"),
]


@pytest.mark.parametrize(("key", "value", "message"), RESULT_BREAKAGES)
def test_malformed_result_names_the_problem(key: str, value: object, message: str) -> None:
    document = sample_result().to_dict()
    document[key] = value

    with pytest.raises(ResultFormatError, match=message):
        TestResult.from_dict(document)


def test_endpoint_without_corrected_fields_reads_as_zeros() -> None:
    document = sample_endpoint().to_dict()
    for key in [key for key in document if key.startswith("latency_corrected_")]:
        del document[key]

    endpoint = EndpointMetrics.from_dict(through_json(document))

    assert endpoint.latency_corrected_p99 == 0.0


def test_endpoint_corrected_fields_round_trip() -> None:
    original = dataclasses.replace(
        sample_endpoint(), latency_corrected_p50=3.5, latency_corrected_max=90.0
    )

    assert EndpointMetrics.from_dict(through_json(original.to_dict())) == original


def test_an_endpoint_s_timings_and_their_histograms_round_trip() -> None:
    ttfb = TimingFigures(count=3, avg=41.5, p50=40.0, p95=50.0, p99=50.0, max=50.0, min=39.0)
    endpoint = dataclasses.replace(sample_endpoint(), timings={"ttfb": ttfb})
    histogram = LatencyHistogram()
    histogram.record(40_000)
    original = dataclasses.replace(
        sample_result(),
        final_summary=dataclasses.replace(sample_snapshot(), endpoints={"users": endpoint}),
        timing_histograms={"users": {"ttfb": histogram.encode()}},
    )

    document = through_json(original.to_dict())
    restored = TestResult.from_dict(document)

    assert restored == original
    assert restored.final_summary.endpoints["users"].timings["ttfb"] == ttfb
    assert "timings" not in through_json(sample_endpoint().to_dict())
    assert "timing_histograms" not in sample_result().to_dict()


def test_a_malformed_timing_histogram_is_named() -> None:
    document = through_json(sample_result().to_dict())
    document["timing_histograms"] = {"users": {"ttfb": 3}}

    with pytest.raises(ResultFormatError, match="timing_histograms"):
        TestResult.from_dict(document)
