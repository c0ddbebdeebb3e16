"""The dashboard in headless Chromium over a real run against the demo API."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_executable
from cli_harness import EXAMPLES, Target
from dashboard_harness import dashboard_process
from loadforge.results import ResultsWriter
from sample_runs import START, Request, build_result, normal_run

pytestmark = pytest.mark.slow


def test_the_dashboard_shows_a_live_run_and_stops_it(target: Target, tmp_path: Path) -> None:
    args = [
        "run", str(EXAMPLES / "rest_api.py"), "--base-url", target.url, "-o", str(tmp_path),
        "-u", "5", "-d", "60s", "--rps", "100", "--dashboard", "--dashboard-port", "0",
        "--record-timings",
    ]  # fmt: skip
    executable = chromium_executable()
    with dashboard_process(args) as run, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(run.url)
            expect(page.get_by_test_id("connection")).to_have_text("Connected", timeout=15_000)
            expect(page.get_by_test_id("scenario")).to_contain_text("REST API")
            expect(page.get_by_test_id("run-status")).to_have_text("running")
            # Three snapshots so every chart has a line, not a dot.
            for second in ("1", "2", "3"):
                expect(page.locator(".recharts-xAxis").first).to_contain_text(
                    second, timeout=15_000
                )
            for card in ("users", "rps", "p95", "p99", "errors"):
                expect(page.get_by_test_id(f"card-{card}-value")).not_to_have_text("–")
            expect(page.get_by_test_id("card-users-value")).to_have_text("5")
            for chart in ("throughput", "latency", "users", "errors"):
                expect(
                    page.get_by_test_id(f"chart-{chart}").locator("svg.recharts-surface").first
                ).to_be_visible()
                curves = page.get_by_test_id(f"chart-{chart}").locator(
                    ".recharts-line-curve, .recharts-area-curve"
                )
                expect(curves.first).to_be_attached()
            expect(page.locator(".recharts-line-curve").first).to_be_visible()
            # List, Get and Create run every second; login and logout only at start and end.
            table = page.get_by_test_id("endpoint-table")
            expect(table.locator("tbody tr").nth(2)).to_be_visible()
            # --record-timings: each endpoint's time to first byte, live.
            expect(table.locator("thead")).to_contain_text("TTFB p95")
            expect(table.locator('[data-timing="ttfb"]').first).to_have_text(re.compile(r"ms$"))
            expect(table.locator('[data-timing="ttfb"]').first).to_have_attribute(
                "title", re.compile(r"TTFB: p50 .*\nReceive: p50 ")
            )
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

            page.get_by_test_id("stop-button").click()
            # Stop ends the run gracefully, as its operator wanted: completed.
            expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=20_000)
            expect(page.get_by_test_id("stop-button")).to_be_disabled()
        finally:
            browser.close()
        assert run.wait(30) == 0
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    assert (run.results_dir / "result.json").exists()


def test_a_replayed_run_shades_its_drain_on_every_chart(tmp_path: Path) -> None:
    run = normal_run()  # seconds 1, 2 and 3; the third is after the planned end
    snapshots = [dataclasses.replace(s, drain=s.elapsed_seconds > 2) for s in run.snapshots]
    with ResultsWriter.create(tmp_path, run.scenario_name, START) as writer:
        for snapshot in snapshots:
            writer.append_snapshot(snapshot)
        writer.finish(dataclasses.replace(run, snapshots=snapshots))
    executable = chromium_executable()
    replay_args = ["dashboard", str(writer.directory), "--port", "0"]
    with dashboard_process(replay_args) as replay, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(replay.url)
            expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=15_000)
            for chart in ("throughput", "latency", "users", "errors"):
                panel = page.get_by_test_id(f"chart-{chart}")
                expect(panel.get_by_test_id("drain-legend")).to_have_text(
                    "drain (after planned end)"
                )
                area = panel.locator(".recharts-reference-area-rect")
                expect(area).to_have_count(1)
                box = area.bounding_box()
                assert box is not None, chart
                assert box["width"] > 50, (chart, box)
            page.screenshot(path=str(tmp_path / "drain.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "drain.png").stat().st_size > 10_000


def test_a_run_of_several_scenarios_has_a_scenarios_table_of_counts(tmp_path: Path) -> None:
    second = [
        *(Request("Browse › List", 1000) for _ in range(6)),
        Request("Browse › Item", 2000, status=503, error="http_503"),
        *(Request("Buy › Pay", 3000) for _ in range(2)),
    ]
    run = build_result([second, second], scenario="Browse + Buy")
    with ResultsWriter.create(tmp_path, run.scenario_name, START) as writer:
        for snapshot in run.snapshots:
            writer.append_snapshot(snapshot)
        writer.finish(run)
    executable = chromium_executable()
    replay_args = ["dashboard", str(writer.directory), "--port", "0"]
    with dashboard_process(replay_args) as replay, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(replay.url)
            expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=15_000)
            rows = page.get_by_test_id("scenario-mix-table").locator("tbody tr")
            expect(rows).to_have_count(2)
            # Scenario, requests, rps, errors, error rate: the endpoints added up.
            expect(rows.nth(0).locator("td")).to_have_text(["Browse", "7", "7.0", "1", "14.29%"])
            expect(rows.nth(1).locator("td")).to_have_text(["Buy", "2", "2.0", "0", "0.00%"])
        finally:
            browser.close()
