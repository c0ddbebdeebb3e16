"""`--prometheus` and `--prometheus-remote-write` against a real Prometheus server.

Prometheus (Debian's 2.42) scrapes a real `loadforge run --prometheus` every
second, and receives the pushes of another run by remote write; its HTTP API
must then give the counts result.json has, endpoint by endpoint, and a p99 in
the bucket of the run's own HDR p99 (one bucket up where HDR's rank rounds
down and Prometheus's does not). Range selectors are used for the
scraped series because a finished run's target goes away and Prometheus
marks its series stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli_harness import CliRun, Target, invoke
from loadforge.exports.series import BOUNDS_SECONDS
from loadforge.metrics.models import TestResult
from prometheus_server import SCRAPE_JOB, Prometheus, free_port, running_prometheus

pytestmark = pytest.mark.slow

SCENARIO = """
from loadforge import HttpClient, metrics, scenario, task

hits = metrics.counter("hits")
wait_ms = metrics.trend("wait_ms")


@scenario(name="Exported", base_url="{url}", think_time=0)
class Exported:
    @task
    async def checked(self, client: HttpClient) -> None:
        async with client.group("flow"):
            resp = await client.get("/anything/checked", name="Checked")
        resp.check("answered 200", resp.status == 200)
        resp.check("says no", False)
        hits.add(2)
        wait_ms.record(7.5)

    @task(weight=4)
    async def anything(self, client: HttpClient) -> None:
        await client.get("/anything", name="Anything")

    @task(weight=2)
    async def slow(self, client: HttpClient) -> None:
        await client.get("/delay/12", name="Slow")

    @task
    async def broken(self, client: HttpClient) -> None:
        await client.get("/status/503", name="Broken")
"""


@dataclass(frozen=True)
class ExportedRun:
    run: CliRun
    result: TestResult
    selector: str


def write_scenario(directory: Path, target: Target) -> Path:
    path = directory / "exported.py"
    path.write_text(SCENARIO.format(url=target.url))
    return path


@pytest.fixture(scope="module")
def scrape_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def prometheus(scrape_port: int) -> Iterator[Prometheus]:
    with running_prometheus([f"127.0.0.1:{scrape_port}"]) as server:
        yield server


@pytest.fixture(scope="module")
def scraped(
    prometheus: Prometheus,
    scrape_port: int,
    target: Target,
    tmp_path_factory: pytest.TempPathFactory,
) -> ExportedRun:
    """A two-worker run scraped every second, and lingering for two more scrapes."""
    directory = tmp_path_factory.mktemp("scraped")
    run = invoke(
        [
            "run", str(write_scenario(directory, target)), "-u", "8", "-d", "3s", "-w", "2",
            "--rps", "300", "-o", str(directory), "--no-report", "-q",
            "--prometheus", f"127.0.0.1:{scrape_port}", "--prometheus-linger", "2.5",
        ]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    selector = f'job="{SCRAPE_JOB}"'
    result = run.result()
    total = f"sum(last_over_time(loadforge_requests_total{{{selector}}}[5m]))"
    assert prometheus.wait_for(total, result.final_summary.requests) is not None
    return ExportedRun(run, result, selector)


@pytest.fixture(scope="module")
def pushed(
    prometheus: Prometheus, target: Target, tmp_path_factory: pytest.TempPathFactory
) -> ExportedRun:
    """A one-worker run pushing by remote write every second."""
    directory = tmp_path_factory.mktemp("pushed")
    run = invoke(
        [
            "run", str(write_scenario(directory, target)), "-u", "8", "-d", "3s", "-w", "1",
            "--rps", "300", "-o", str(directory), "--no-report", "-q",
            "--prometheus-remote-write", prometheus.remote_write_url,
        ]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    selector = f'job="loadforge",instance="{run.results_dir.name}"'
    total = f"sum(last_over_time(loadforge_requests_total{{{selector}}}[5m]))"
    assert prometheus.wait_for(total, result.final_summary.requests) is not None
    return ExportedRun(run, result, selector)


def _by_endpoint(prometheus: Prometheus, expression: str) -> dict[str, float]:
    return {
        str(item["metric"]["endpoint"]): float(item["value"][1])  # type: ignore[index]
        for item in prometheus.query(expression)
    }


def _bucket(seconds: float) -> tuple[float, float]:
    """The (lower, upper] bounds of the histogram bucket holding `seconds`."""
    lower = 0.0
    for bound in BOUNDS_SECONDS:
        if seconds <= bound:
            return lower, bound
        lower = bound
    return lower, float("inf")


@pytest.fixture(params=["scraped", "pushed"])
def exported(request: pytest.FixtureRequest) -> ExportedRun:
    run: ExportedRun = request.getfixturevalue(request.param)
    return run


def test_the_total_request_count_equals_result_json(
    prometheus: Prometheus, exported: ExportedRun
) -> None:
    expression = f"sum(last_over_time(loadforge_requests_total{{{exported.selector}}}[5m]))"
    summary = exported.result.final_summary

    assert summary.requests > 300
    assert prometheus.value(expression) == summary.requests


def test_each_endpoint_counts_what_result_json_counts(
    prometheus: Prometheus, exported: ExportedRun
) -> None:
    selector = exported.selector
    requests = _by_endpoint(
        prometheus,
        f"sum by (endpoint) (last_over_time(loadforge_requests_total{{{selector}}}[5m]))",
    )
    errors = _by_endpoint(
        prometheus,
        f"sum by (endpoint) (last_over_time(loadforge_request_errors_total{{{selector}}}[5m]))",
    )
    histogram_counts = _by_endpoint(
        prometheus,
        "sum by (endpoint) (last_over_time("
        f"loadforge_request_duration_seconds_count{{{selector}}}[5m]))",
    )
    endpoints = exported.result.final_summary.endpoints

    assert requests == {name: e.requests for name, e in endpoints.items()}
    assert histogram_counts == requests
    assert errors == {"Broken": endpoints["Broken"].errors}
    assert endpoints["Broken"].errors == endpoints["Broken"].requests


def _cumulative_buckets(prometheus: Prometheus, selector: str) -> list[tuple[float, float]]:
    """The (upper bound, cumulative count) of each bucket of the selected series, in order."""
    result = prometheus.query(
        f"sum by (le) (last_over_time(loadforge_request_duration_seconds_bucket{{{selector}}}[5m]))"
    )
    pairs = [(float(item["metric"]["le"]), float(item["value"][1])) for item in result]  # type: ignore[index]
    return sorted(pairs)


def _expected_p99_bucket(
    buckets: list[tuple[float, float]], hdr_p99_seconds: float
) -> tuple[float, float]:
    """The bucket Prometheus's p99 must land in, given the run's own HDR p99.

    The exported counts must agree with HDR: the HDR p99's bucket holds the
    sample of HDR's rank, round(0.99 n). Prometheus ranks at 0.99 n exactly,
    so when HDR rounded down to the last sample of its bucket, Prometheus's
    p99 lies in the next bucket up.
    """
    cumulative = dict(buckets)
    total = cumulative[float("inf")]
    low, high = _bucket(hdr_p99_seconds)
    hdr_rank = max(int(0.99 * total + 0.5), 1)
    assert cumulative.get(low, 0.0) < hdr_rank <= cumulative[high], (buckets, hdr_p99_seconds)
    if cumulative[high] >= 0.99 * total:
        return low, high
    return _bucket(high * 1.0000001)


def test_histogram_quantile_p99_lands_in_the_hdr_p99_bucket(
    prometheus: Prometheus, exported: ExportedRun
) -> None:
    selector = exported.selector
    slow_selector = f'{selector},endpoint="Slow"'
    series = "loadforge_request_duration_seconds_bucket"
    quantile = "histogram_quantile(0.99, sum by (le) (last_over_time({}[5m])))"
    overall = prometheus.value(quantile.format(f"{series}{{{selector}}}"))
    slow = prometheus.value(quantile.format(f"{series}{{{slow_selector}}}"))
    summary = exported.result.final_summary

    assert overall is not None
    assert slow is not None
    buckets = _cumulative_buckets(prometheus, selector)
    low, high = _expected_p99_bucket(buckets, summary.latency_p99 / 1000)
    assert low < overall <= high, (summary.latency_p99, overall, buckets)
    slow_p99 = summary.endpoints["Slow"].latency_p99 / 1000
    low, high = _expected_p99_bucket(_cumulative_buckets(prometheus, slow_selector), slow_p99)
    assert 0.01 <= low < slow <= high, (slow_p99, slow)


def _last(prometheus: Prometheus, series: str, selector: str, by: str) -> dict[str, float]:
    """The last value of each `by` label of a series, summed over workers and instances."""
    expression = f"sum by ({by}) (last_over_time({series}{{{selector}}}[5m]))"
    return {
        str(item["metric"][by]): float(item["value"][1])  # type: ignore[index]
        for item in prometheus.query(expression)
    }


def test_checks_custom_metrics_and_groups_reach_prometheus_as_result_json_counts_them(
    prometheus: Prometheus, exported: ExportedRun
) -> None:
    selector = exported.selector
    summary = exported.result.final_summary
    answered, says_no = summary.checks["answered 200"], summary.checks["says no"]
    passes = _last(prometheus, "loadforge_checks_total", f'{selector},outcome="pass"', "check")
    fails = _last(prometheus, "loadforge_checks_total", f'{selector},outcome="fail"', "check")
    counters = _last(prometheus, "loadforge_custom_counter_total", selector, "metric")
    trends = _last(prometheus, "loadforge_custom_trend_seconds_count", selector, "metric")
    trend_sums = _last(prometheus, "loadforge_custom_trend_seconds_sum", selector, "metric")
    groups = _last(prometheus, "loadforge_group_duration_seconds_count", selector, "group")

    assert answered.passes > 20
    assert passes == {"answered 200": answered.passes, "says no": 0}
    assert fails == {"answered 200": 0, "says no": says_no.fails}
    assert says_no.fails == answered.passes
    assert counters == {"hits": summary.metrics["hits"].count}
    assert summary.metrics["hits"].count == 2 * answered.passes
    # `connecting`, the built-in trend of connections opened, rides the same family.
    assert trends == {
        "wait_ms": summary.metrics["wait_ms"].count,
        "connecting": summary.metrics["connecting"].count,
    }
    assert trends["connecting"] > 0
    # The sum comes from the HDR histogram, exact to its 3 significant digits.
    assert trend_sums["wait_ms"] == pytest.approx(0.0075 * trends["wait_ms"], rel=1e-3)
    assert groups == {"flow": summary.groups["flow"].count}
    assert summary.groups["flow"].count == answered.passes


def test_errors_by_class_and_run_info(prometheus: Prometheus, exported: ExportedRun) -> None:
    selector = exported.selector
    classes = prometheus.query(
        "sum by (status_class) (last_over_time("
        f"loadforge_request_errors_by_class_total{{{selector}}}[5m]))"
    )
    info = prometheus.query(f"last_over_time(loadforge_run_info{{{selector}}}[5m])")

    assert [(item["metric"], float(item["value"][1])) for item in classes] == [  # type: ignore[index]
        ({"status_class": "5xx"}, exported.result.final_summary.errors)
    ]
    assert [item["metric"]["run_id"] for item in info] == [  # type: ignore[index]
        exported.run.results_dir.name
    ]


def test_result_json_says_what_each_export_did(scraped: ExportedRun, pushed: ExportedRun) -> None:
    scrape = json.loads((scraped.run.results_dir / "result.json").read_text())["exports"]
    push = json.loads((pushed.run.results_dir / "result.json").read_text())["exports"]

    assert scrape["prometheus"]["scrapes"] >= 2
    report = push["prometheus_remote_write"]
    assert report["sent"] == report["batches"] >= 3
    assert report["dropped"] == 0


def test_a_receiver_that_is_down_drops_batches_and_leaves_the_load_unchanged(
    target: Target, tmp_path: Path
) -> None:
    scenario = write_scenario(tmp_path, target)
    # A rate far below what the machine sustains, so only the export could slow it.
    common = ["run", str(scenario), "-u", "5", "-d", "3s", "-w", "1", "--rps", "50",
              "--no-report", "-q"]  # fmt: skip
    down = f"http://127.0.0.1:{free_port()}/api/v1/write"

    without = invoke([*common, "-o", str(tmp_path / "without")])
    with_down = invoke([*common, "-o", str(tmp_path / "down"), "--prometheus-remote-write", down])

    assert without.exit_code == with_down.exit_code == 0, with_down.output
    planned = 50 * 3
    counts = [run.result().final_summary.requests for run in (without, with_down)]
    assert all(abs(count - planned) <= 4 for count in counts), counts
    report = with_down.result().exports["prometheus_remote_write"]
    assert isinstance(report, dict)
    assert report["sent"] == 0
    assert report["dropped"] == report["batches"] >= 2
    assert "NewConnectionError" in str(report["last_error"]) or "refused" in str(
        report["last_error"]
    )


DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "loadforge-dashboard.json"


def _dashboard_expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def test_every_dashboard_expression_runs_and_returns_data(
    prometheus: Prometheus, scraped: ExportedRun, pushed: ExportedRun
) -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    variable = dashboard["templating"]["list"][1]["query"]["query"]
    assert variable == "label_values(loadforge_run_info, instance)"
    instances = prometheus.api("label/instance/values", **{"match[]": "loadforge_run_info"})
    assert isinstance(instances, list)
    assert pushed.run.results_dir.name in instances
    start = min(r.result.start_time for r in (scraped, pushed)).timestamp()
    end = max(r.result.end_time for r in (scraped, pushed)).timestamp() + 2

    empty = []
    for expression in _dashboard_expressions():
        query = expression.replace("$instance", ".+").replace("$__rate_interval", "4s")
        data = prometheus.api("query_range", query=query, start=str(start), end=str(end), step="1")
        assert isinstance(data, dict)
        values = [v for series in data["result"] for _, v in series["values"] if v != "NaN"]
        if not values:
            empty.append(expression)

    assert len(_dashboard_expressions()) >= 10
    assert empty == []
