"""`--otlp-endpoint`: a real run exports through the OpenTelemetry SDK to a loopback receiver."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from cli_harness import Target, invoke
from otlp_receiver import GRPC_EXPORT, Received, running_grpc_receiver, running_receiver

pytestmark = pytest.mark.slow

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="Otlp", base_url="{url}", think_time=0)
class Otlp:
    @task(weight=3)
    async def anything(self, client: HttpClient) -> None:
        await client.get("/anything", name="Anything")

    @task
    async def missing(self, client: HttpClient) -> None:
        await client.get("/status/404", name="Missing")
"""


@pytest.mark.parametrize(
    ("protocol", "receiver", "path"),
    [
        ("http/protobuf", running_receiver, "/v1/metrics"),
        ("grpc", running_grpc_receiver, GRPC_EXPORT),
    ],
)
def test_the_receiver_gets_the_counts_of_result_json(
    target: Target,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    protocol: str,
    receiver: Callable[[], AbstractContextManager[tuple[str, Received]]],
    path: str,
) -> None:
    scenario = tmp_path / "otlp.py"
    scenario.write_text(SCENARIO.format(url=target.url))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", protocol)
    # Headers travel as HTTP headers, or as gRPC metadata.
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-loadforge-test=yes")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test")

    with receiver() as (url, received):
        run = invoke(
            ["run", str(scenario), "-u", "4", "-d", "2s", "-w", "1", "--rps", "200",
             "-o", str(tmp_path), "--no-report", "-q", "--otlp-endpoint", url]
        )  # fmt: skip

    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    requests = received.last_values("loadforge_requests")
    errors = received.last_values("loadforge_request_errors")
    assert sum(requests.values()) == summary.requests > 200
    by_endpoint = {dict(key)["endpoint"]: value for key, value in requests.items()}
    assert by_endpoint == {name: e.requests for name, e in summary.endpoints.items()}
    assert errors == {
        (("endpoint", "Missing"), ("method", "GET"), ("error", "http_404")): summary.errors
    }
    assert set(received.paths) == {path}
    assert all(headers.get("x-loadforge-test") == "yes" for headers in received.headers)
    resource = {
        a.key: a.value.string_value
        for a in received.requests[-1].resource_metrics[0].resource.attributes
    }
    assert resource["loadforge.run_id"] == run.results_dir.name
    assert resource["service.name"] == "loadforge"
    assert resource["deployment.environment"] == "test"
    histogram = next(
        m
        for m in received.requests[-1].resource_metrics[0].scope_metrics[0].metrics
        if m.name == "loadforge_request_duration"
    )
    assert histogram.unit == "s"
    assert sum(p.count for p in histogram.histogram.data_points) == summary.requests
    assert all(sum(p.bucket_counts) == p.count for p in histogram.histogram.data_points)
    report = run.result().exports["otlp"]
    assert isinstance(report, dict)
    assert report["endpoint"] == (url + "/v1/metrics" if protocol == "http/protobuf" else url)
    assert report["sent"] == report["batches"] == len(received.requests) >= 2
