"""`GET /metrics` of `loadforge serve`: runs by status, the queue, the runs in progress."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from integration.server.harness import Serve, sample_snapshots, spec_body

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TOKEN = "metrics-token-of-24-chars"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_runs_by_status_the_queue_and_the_live_series_of_a_run(serve: Serve) -> None:
    served = serve(max_concurrent_runs=1)
    client = served.client
    spec = client.post("/api/specs", json=spec_body()).json()
    first = client.post(f"/api/runs/{spec['id']}").json()["id"]
    client.post(f"/api/runs/{spec['id']}")  # queued behind the first
    snapshots = sample_snapshots(3)
    served.call(served.executor.play, first, snapshots)

    answer = client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    samples = _samples(answer.text)
    assert samples[("loadforge_server_runs", (("status", "running"),))] == 1
    assert samples[("loadforge_server_runs", (("status", "queued"),))] == 1
    assert samples[("loadforge_server_runs", (("status", "completed"),))] == 0
    assert samples[("loadforge_server_queue_length", ())] == 1
    assert samples[("loadforge_server_runs_in_progress", ())] == 1
    run = (("endpoint", "home"), ("method", "GET"), ("run_id", str(first)))
    requests = sum(int(str(snapshot["requests"])) for snapshot in snapshots)
    assert samples[("loadforge_server_run_requests_total", run)] == requests
    last = snapshots[-1]
    p99 = (("quantile", "0.99"), ("run_id", str(first)))
    assert samples[("loadforge_server_run_latency_seconds", p99)] == pytest.approx(
        float(str(last["latency_p99"])) / 1000
    )

    served.call(served.executor.finish, first)
    after = _samples(client.get("/metrics").text)
    assert ("loadforge_server_run_requests_total", run) not in after
    assert after[("loadforge_server_runs", (("status", "completed"),))] == 1


def test_openmetrics_when_the_scraper_asks_for_it(serve: Serve) -> None:
    client = serve().client

    answer = client.get("/metrics", headers={"Accept": "application/openmetrics-text"})

    assert answer.headers["content-type"].startswith("application/openmetrics-text")
    assert answer.text.rstrip().endswith("# EOF")


def test_metrics_need_the_token_like_the_api(serve: Serve) -> None:
    client = serve(host="0.0.0.0", api_token=TOKEN, allow_targets=("127.0.0.1",)).client

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    good = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 200
    assert "loadforge_server_runs" in good.text


def test_a_profile_turns_on_the_run_exports_and_is_checked_like_the_cli(serve: Serve) -> None:
    client = serve().client
    profile = {
        "users": 2,
        "duration": 2,
        "prometheus": 0,
        "prometheus_linger": "1s",
        "prometheus_remote_write": "http://127.0.0.1:9090/api/v1/write",
        "otlp_endpoint": "http://127.0.0.1:4318",
    }

    good = client.post("/api/specs", json=spec_body(name="exports", load_profile=profile))
    bad = client.post(
        "/api/specs",
        json=spec_body(name="bad", load_profile={**profile, "prometheus_remote_write": "nope"}),
    )

    assert good.status_code == 201, good.text
    assert bad.status_code == 422
    assert "load_profile.prometheus_remote_write" in bad.text
