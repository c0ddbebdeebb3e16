"""`--otlp-endpoint URL`: each second's figures through the OpenTelemetry SDK's OTLP exporter.

The figures are already aggregated (cumulative counters, a histogram with
exact bucket counts), so they go to `OTLPMetricExporter.export` as the SDK's
own `MetricsData` rather than through instruments, which would record each
request again. The exporter speaks HTTP/protobuf, or gRPC when
`OTEL_EXPORTER_OTLP_PROTOCOL=grpc` (the `otlp-grpc` extra), retries with backoff on
its own, and reads the standard `OTEL_EXPORTER_OTLP_*` variables (headers,
timeout, compression, certificates); the resource honours
`OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    Gauge,
    Histogram,
    HistogramDataPoint,
    Metric,
    MetricExporter,
    MetricExportResult,
    MetricsData,
    NumberDataPoint,
    ResourceMetrics,
    ScopeMetrics,
    Sum,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.util.instrumentation import InstrumentationScope

from loadforge.exports.pusher import SendError
from loadforge.exports.series import BOUNDS_SECONDS, Family, Figures, Kind, Labels, RunInfo
from loadforge.exports.settings import GRPC, HTTP_PROTOBUF
from loadforge.version import __version__

DEFAULT_TIMEOUT_SECONDS = 5.0
_TIMEOUT_VARIABLES = ("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT")
_UNITS = {"seconds": "s", "bytes": "By"}


def metrics_url(endpoint: str) -> str:
    """The URL to POST to: `/v1/metrics` is added to a URL without a path."""
    if urlsplit(endpoint).path in ("", "/"):
        return endpoint.rstrip("/") + "/v1/metrics"
    return endpoint


def resource(info: RunInfo, environ: Mapping[str, str]) -> Resource:
    """The run as an OpenTelemetry resource; OTEL_SERVICE_NAME, when set, names the service."""
    attributes: dict[str, str] = {
        "loadforge.run_id": info.run_id,
        "loadforge.scenario": info.scenario,
    }
    if not environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = "loadforge"
    return Resource.create(attributes)


def metrics_data(figures: Figures, owner: Resource) -> MetricsData:
    """The figures as the SDK's MetricsData, cumulative from the run's start."""
    start = round(figures.start_time * 1e9)
    now = round(figures.timestamp * 1e9)
    metrics = [_metric(family, start, now) for family in figures.families]
    scope = InstrumentationScope("loadforge", __version__)
    return MetricsData(
        resource_metrics=[
            ResourceMetrics(
                resource=owner,
                scope_metrics=[ScopeMetrics(scope=scope, metrics=metrics, schema_url="")],
                schema_url="",
            )
        ]
    )


def _attributes(labels: Labels) -> dict[str, str]:
    return dict(labels)


def _metric(family: Family, start: int, now: int) -> Metric:
    unit = _UNITS.get(family.unit, "")
    name = family.name.removesuffix(f"_{family.unit}") if family.unit else family.name
    cumulative = AggregationTemporality.CUMULATIVE
    data: Sum | Gauge | Histogram
    if family.kind is Kind.HISTOGRAM:
        points = [
            HistogramDataPoint(
                attributes=_attributes(point.labels),
                start_time_unix_nano=start,
                time_unix_nano=now,
                count=point.count,
                sum=point.sum,
                # OTLP counts each bucket on its own; ours are cumulative.
                bucket_counts=[
                    high - low
                    for low, high in zip(
                        (0, *point.buckets), (*point.buckets, point.count), strict=True
                    )
                ],
                explicit_bounds=list(BOUNDS_SECONDS),
                min=point.min,
                max=point.max,
            )
            for point in family.histograms
        ]
        data = Histogram(data_points=points, aggregation_temporality=cumulative)
    else:
        numbers = [
            NumberDataPoint(
                attributes=_attributes(point.labels),
                start_time_unix_nano=start,
                time_unix_nano=now,
                value=point.value,
            )
            for point in family.points
        ]
        if family.kind is Kind.COUNTER:
            data = Sum(data_points=numbers, aggregation_temporality=cumulative, is_monotonic=True)
        else:
            data = Gauge(data_points=numbers)
    return Metric(name=name, description=family.documentation, unit=unit, data=data)


class OtlpSender:
    """Exports each batch with one `OTLPMetricExporter` (it retries by itself).

    `protocol` is `http/protobuf` (POSTs to `/v1/metrics`) or `grpc` (the
    `MetricsService/Export` call to the endpoint's host and port, in the
    clear for `http://`, over TLS for `https://`).
    """

    def __init__(
        self,
        endpoint: str,
        info: RunInfo,
        environ: Mapping[str, str] | None = None,
        protocol: str = HTTP_PROTOBUF,
    ) -> None:
        environ = os.environ if environ is None else environ
        timeout = (
            None
            if any(environ.get(name) for name in _TIMEOUT_VARIABLES)
            else DEFAULT_TIMEOUT_SECONDS
        )
        self._exporter: MetricExporter
        if protocol == GRPC:
            from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import (
                OTLPMetricExporter as GrpcMetricExporter,
            )

            self.url = endpoint
            secure = urlsplit(endpoint).scheme == "https"
            self._exporter = GrpcMetricExporter(
                endpoint=endpoint, insecure=not secure, timeout=timeout
            )
        else:
            self.url = metrics_url(endpoint)
            self._exporter = OTLPMetricExporter(endpoint=self.url, timeout=timeout)
        self._resource = resource(info, environ)

    def send(self, figures: Figures) -> None:
        """Deliver one batch; SendError once the exporter's own retries are spent."""
        outcome = self._exporter.export(metrics_data(figures, self._resource))
        if outcome is not MetricExportResult.SUCCESS:
            raise SendError(f"the OTLP export to {self.url} failed", retry=True)

    def close(self) -> None:
        """Shut the exporter down (this also ends a retry in progress)."""
        self._exporter.shutdown()
