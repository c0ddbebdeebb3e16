"""Loopback OTLP metrics receivers for the export tests, decoding with opentelemetry-proto.

The HTTP one answers every POST to /v1/metrics with 200; the gRPC one
serves `MetricsService/Export` with grpcio and the proto package's own
service stubs. Each keeps every decoded `ExportMetricsServiceRequest` and
the headers (gRPC metadata) it came with.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)

GRPC_EXPORT = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"
"""The gRPC method an OTLP metrics exporter calls, as the gRPC receiver records its path."""


@dataclass
class Received:
    """What the receiver got, in order."""

    requests: list[ExportMetricsServiceRequest] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def last_values(self, metric: str) -> dict[tuple[tuple[str, str], ...], float]:
        """The last request's data points of a Sum or Gauge metric, by attributes."""
        found: dict[tuple[tuple[str, str], ...], float] = {}
        for resource in self.requests[-1].resource_metrics:
            for scope in resource.scope_metrics:
                for item in scope.metrics:
                    if item.name != metric:
                        continue
                    points = (
                        item.sum.data_points if item.HasField("sum") else item.gauge.data_points
                    )
                    for point in points:
                        key = tuple((a.key, a.value.string_value) for a in point.attributes)
                        found[key] = point.as_int if point.HasField("as_int") else point.as_double
        return found


def _handler(received: Received) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            message = ExportMetricsServiceRequest()
            message.ParseFromString(body)
            received.requests.append(message)
            received.headers.append({k.lower(): v for k, v in self.headers.items()})
            received.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@contextmanager
def running_receiver() -> Iterator[tuple[str, Received]]:
    """An OTLP receiver on a free loopback port: its base URL and what it received."""
    received = Received()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(received))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def running_grpc_receiver() -> Iterator[tuple[str, Received]]:
    """An OTLP/gRPC receiver on a free loopback port: its `http://` URL and what it received."""
    import grpc
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2_grpc

    received = Received()

    class Service(metrics_service_pb2_grpc.MetricsServiceServicer):
        def Export(
            self, request: ExportMetricsServiceRequest, context: grpc.ServicerContext
        ) -> ExportMetricsServiceResponse:
            received.requests.append(request)
            received.headers.append({k: str(v) for k, v in context.invocation_metadata()})
            received.paths.append(GRPC_EXPORT)
            return ExportMetricsServiceResponse()

    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(  # type: ignore[no-untyped-call]
        Service(), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        server.stop(grace=None).wait(5)
