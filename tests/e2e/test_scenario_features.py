"""Checks, custom metrics and groups end to end: `loadforge run` on two workers, every output."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_harness import EXAMPLES, CliRun, Target, invoke, run_process
from junit_schema import validate_junit


def run_example(target: Target, out: Path, example: str, *flags: str) -> CliRun:
    """An example on two worker processes against the demo API, results in `out`."""
    scenario = str(EXAMPLES / example)
    return invoke([
        "run", scenario, "--base-url", target.url, "-o", str(out), "-u", "4", "-d", "2s",
        "-w", "2", "--plotly", "cdn", *flags,
    ])  # fmt: skip


def rows(path: Path) -> list[dict[str, str]]:
    with path.open() as stream:
        return list(csv.DictReader(stream))


def test_checks_are_counted_across_workers_and_gate_the_run(
    fresh_target: Target, tmp_path: Path
) -> None:
    junit = tmp_path / "junit.xml"
    run = run_example(
        fresh_target, tmp_path, "checks.py",
        "--threshold", "checks>99%", "--threshold", '"lists items": checks>99.9%',
        "--threshold", '"status is 201": checks>50%', "--junit", str(junit),
    )  # fmt: skip

    assert run.exit_code == 1, run.output
    result = run.result()
    checks = result.final_summary.checks
    assert set(checks) == {"logged in", "status is 200", "lists items", "has a content type"}
    assert checks["status is 200"].fails == 0
    requests = result.final_summary.endpoints
    assert checks["status is 200"].passes == requests["List Items"].requests + (
        requests["Get Item"].requests
    )
    assert checks["status is 200"].endpoint_passes == {
        "List Items": requests["List Items"].requests,
        "Get Item": requests["Get Item"].requests,
    }
    assert sum(s.checks["lists items"].passes for s in result.snapshots if s.checks) == (
        checks["lists items"].passes
    )
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert set(stored["final_summary"]["checks"]["lists items"]) >= {"passes", "fails"}
    assert [o["passed"] for o in stored["thresholds"]] == [True, True, False]
    assert "check 'status is 201' never ran" in stored["thresholds"][2]["message"]
    table = {(row["check"], row["endpoint"]): row for row in rows(run.results_dir / "checks.csv")}
    assert table["lists items", ""]["passes"] == str(checks["lists items"].passes)
    assert table["lists items", "List Items"]["fails"] == "0"
    html = (run.results_dir / "report.html").read_text()
    assert 'id="checks-table"' in html
    assert "lists items" in html
    suite = validate_junit(junit.read_text()).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")


def test_custom_metrics_merge_across_workers_and_have_thresholds_by_name(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = run_example(
        fresh_target, tmp_path, "custom_metrics.py",
        "--threshold", "items_created>0", "--threshold", "found>=100%",
        "--threshold", "create_to_read_ms: p95<30s", "--threshold", "last_item_id>0",
    )  # fmt: skip

    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    created = summary.endpoints["Create Item"].requests
    assert summary.metrics["items_created"].count == created
    assert summary.metrics["found"].count == summary.endpoints["Get Item"].requests
    assert summary.metrics["create_to_read_ms"].count == created
    stored = json.loads((run.results_dir / "result.json").read_text())
    assert stored["final_summary"]["metrics"]["items_created"]["count"] == created
    assert stored["trend_histograms"]["create_to_read_ms"]
    names = {row["metric"]: row for row in rows(run.results_dir / "metrics.csv")}
    assert names["items_created"]["type"] == "counter"
    assert 'id="metrics-table"' in (run.results_dir / "report.html").read_text()


def test_groups_are_timed_nest_and_name_their_requests(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = run_example(
        fresh_target, tmp_path, "groups.py",
        "--threshold", '"browse": p95<30s', "--threshold", '"browse › item": max<1ms',
    )  # fmt: skip

    assert run.exit_code == 1, run.output
    result = run.result()
    summary = result.final_summary
    assert set(summary.groups) == {"browse", "browse › item"}
    assert summary.groups["browse › item"].count == 2 * summary.groups["browse"].count
    assert summary.endpoints["browse › item › Get Item"].requests == (
        summary.groups["browse › item"].count
    )
    assert "browse › List Items" in summary.endpoints
    assert summary.requests == fresh_target.served()
    assert set(result.group_histograms) == {"browse", "browse › item"}
    assert {row["group"] for row in rows(run.results_dir / "groups.csv")} == set(summary.groups)
    html = (run.results_dir / "report.html").read_text()
    assert 'id="groups-table"' in html


def test_a_custom_metric_with_a_built_in_name_stops_before_any_traffic(
    fresh_target: Target, tmp_path: Path
) -> None:
    scenario = tmp_path / "clash.py"
    scenario.write_text(
        "from loadforge import metrics, scenario, task\n"
        'errors = metrics.counter("errors")\n'
        '@scenario(name="clash", base_url="http://127.0.0.1:9")\n'
        "class Clash:\n"
        "    @task\n"
        "    async def t(self, client):\n"
        '        await client.get("/")\n'
    )
    run = run_process(["run", str(scenario), "--base-url", fresh_target.url, "-o", str(tmp_path)])

    assert run.returncode == 2, run.stderr
    assert "'errors' is a built-in metric name" in " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr
    assert fresh_target.served() == 0


def test_a_threshold_on_an_undeclared_metric_stops_before_any_traffic(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = run_process([
        "run", str(EXAMPLES / "custom_metrics.py"), "--base-url", fresh_target.url,
        "-o", str(tmp_path), "--threshold", "items_made>1",
    ])  # fmt: skip

    assert run.returncode == 2, run.stderr
    assert "unknown metric 'items_made'" in " ".join(run.stderr.split())
    assert fresh_target.served() == 0
