"""Request timings through the CLI: ttfb, receiving and connecting in result.json and thresholds."""

from __future__ import annotations

import json
from pathlib import Path

from cli_harness import Target, invoke
from junit_schema import validate_junit

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="timed", base_url="http://127.0.0.1:1", think_time=0.01)
class Timed:
    @task
    async def items(self, client: HttpClient) -> None:
        client.record_timings = True
        await client.get("/items", name="List Items")
"""


def test_timings_reach_result_json_and_gate_the_run(target: Target, tmp_path: Path) -> None:
    scenario = tmp_path / "timed.py"
    scenario.write_text(SCENARIO)
    junit = tmp_path / "junit.xml"
    run = invoke([
        "run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
        "-u", "2", "-d", "1s", "-w", "1", "--plotly", "cdn", "--junit", str(junit),
        "--threshold", "ttfb: p95<30s", "--threshold", "receiving: max<30s",
        "--threshold", "connecting: max<30s", "--threshold", "ttfb: min<0.001ms",
    ])  # fmt: skip

    assert run.exit_code == 1, run.output
    result = run.result()
    metrics = result.final_summary.metrics
    requests = result.final_summary.endpoints["List Items"].requests
    assert metrics["ttfb"].count == requests
    assert metrics["receiving"].count == requests
    assert 1 <= metrics["connecting"].count <= 2
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert set(stored["trend_histograms"]) == {"ttfb", "receiving", "connecting"}
    assert stored["final_summary"]["metrics"]["ttfb"]["type"] == "trend"
    assert [o["passed"] for o in stored["thresholds"]] == [True, True, True, False]
    metrics_csv = (run.results_dir / "metrics.csv").read_text()
    assert all(name in metrics_csv for name in ("ttfb", "receiving", "connecting"))
    assert 'id="metrics-table"' in (run.results_dir / "report.html").read_text()
    suite = validate_junit(junit.read_text()).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
