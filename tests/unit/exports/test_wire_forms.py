"""The remote-write body and the OTLP MetricsData carry the families unchanged."""

from __future__ import annotations

from typing import Any

import cramjam
from opentelemetry.sdk.metrics.export import Histogram, Sum

from loadforge.exports.otlp import metrics_data, metrics_url, resource
from loadforge.exports.remote_write import encode, samples, write_request_class
from loadforge.exports.series import (
    BOUNDS_SECONDS,
    Family,
    Figures,
    HistogramPoint,
    Kind,
    Point,
    RunInfo,
)

INFO = RunInfo("Shop", "shop-1")
HOME = (("endpoint", "home"), ("method", "GET"))
FIGURES = Figures(
    timestamp=1_700_000_000.25,
    start_time=1_699_999_990.0,
    families=(
        Family("loadforge_requests", Kind.COUNTER, "Requests.", points=(Point(HOME, 12),)),
        Family("loadforge_active_users", Kind.GAUGE, "Users.", points=(Point((), 3),)),
        Family(
            "loadforge_request_duration_seconds",
            Kind.HISTOGRAM,
            "Latency.",
            unit="seconds",
            histograms=(
                HistogramPoint(
                    HOME, (2, 5, *([10] * (len(BOUNDS_SECONDS) - 2))), 12, 0.5, 0.001, 20
                ),
            ),
        ),
    ),
)


def test_samples_are_named_as_a_scrape_shows_them() -> None:
    names = [name for name, _labels, _value in samples(FIGURES)]

    assert names[:2] == ["loadforge_requests_total", "loadforge_active_users"]
    assert names.count("loadforge_request_duration_seconds_bucket") == len(BOUNDS_SECONDS) + 1
    assert names[-2:] == [
        "loadforge_request_duration_seconds_count",
        "loadforge_request_duration_seconds_sum",
    ]


def test_the_remote_write_body_decodes_to_sorted_labels_and_millisecond_timestamps() -> None:
    request: Any = write_request_class()()
    request.ParseFromString(bytes(cramjam.snappy.decompress_raw(encode(FIGURES, INFO))))

    first = request.timeseries[0]
    labels = [(label.name, label.value) for label in first.labels]
    assert labels == sorted(labels)
    assert dict(labels) == {
        "__name__": "loadforge_requests_total",
        "endpoint": "home",
        "method": "GET",
        "instance": "shop-1",
        "job": "loadforge",
    }
    assert [(s.value, s.timestamp) for s in first.samples] == [(12.0, 1_700_000_000_250)]
    infinite = [
        series
        for series in request.timeseries
        if ("le", "+Inf") in [(label.name, label.value) for label in series.labels]
    ]
    assert [series.samples[0].value for series in infinite] == [12.0]


def test_otlp_metrics_data_is_cumulative_with_per_bucket_counts() -> None:
    data = metrics_data(FIGURES, resource(INFO, {}))

    metrics = {m.name: m for m in data.resource_metrics[0].scope_metrics[0].metrics}
    requests = metrics["loadforge_requests"].data
    assert isinstance(requests, Sum)
    assert requests.is_monotonic
    assert requests.data_points[0].value == 12
    assert requests.data_points[0].start_time_unix_nano == 1_699_999_990_000_000_000
    histogram = metrics["loadforge_request_duration"]
    assert histogram.unit == "s"
    assert isinstance(histogram.data, Histogram)
    point = histogram.data.data_points[0]
    assert list(point.bucket_counts) == [2, 3, 5, *([0] * (len(BOUNDS_SECONDS) - 3)), 2]
    assert sum(point.bucket_counts) == point.count == 12
    assert data.resource_metrics[0].resource.attributes["service.name"] == "loadforge"


def test_otlp_urls_get_the_metrics_path_only_when_they_have_none() -> None:
    assert metrics_url("http://collector:4318") == "http://collector:4318/v1/metrics"
    assert metrics_url("http://collector:4318/") == "http://collector:4318/v1/metrics"
    assert (
        metrics_url("https://otlp.example/otlp/v1/metrics")
        == "https://otlp.example/otlp/v1/metrics"
    )
