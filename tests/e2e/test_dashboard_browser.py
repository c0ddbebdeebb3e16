"""The dashboard in headless Chromium over a real run against the demo API."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_executable
from cli_harness import EXAMPLES, Target
from dashboard_harness import dashboard_process

pytestmark = pytest.mark.slow


def test_the_dashboard_shows_a_live_run_and_stops_it(target: Target, tmp_path: Path) -> None:
    args = [
        "run", str(EXAMPLES / "rest_api.py"), "--base-url", target.url, "-o", str(tmp_path),
        "-u", "5", "-d", "60s", "--rps", "100", "--dashboard", "--dashboard-port", "0",
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
            expect(page.get_by_test_id("endpoint-table").locator("tbody tr").nth(2)).to_be_visible()
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
