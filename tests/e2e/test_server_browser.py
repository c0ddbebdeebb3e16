"""The server's pages in headless Chromium: write a spec, run it, watch it, stop it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_executable
from cli_harness import Target
from server_harness import serve_process

pytestmark = pytest.mark.slow


def test_a_spec_written_in_the_editor_runs_live_and_stops(target: Target, tmp_path: Path) -> None:
    executable = chromium_executable()
    with serve_process(tmp_path / "data") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url + "/specs/new")
            page.get_by_label("Name", exact=True).fill("browser spec")
            page.get_by_label("Method", exact=True).select_option("GET")
            page.get_by_label("URL", exact=True).fill(f"{target.url}/anything")
            page.get_by_label("Ramp up (s)").fill("1")
            page.get_by_label("Users", exact=True).fill("5")
            page.get_by_label("Steady (s)").fill("120")
            page.get_by_label("Ramp down (s)").fill("0")
            page.get_by_role("button", name="Save").click()

            page.goto(server.url + "/specs")
            row = page.get_by_role("row").filter(has_text="browser spec")
            expect(row).to_be_visible(timeout=10_000)
            row.get_by_role("button", name="Run").click()
            expect(page).to_have_url(server.url + "/runs/1", timeout=10_000)

            expect(page.get_by_text("running").first).to_be_visible(timeout=20_000)
            # Three seconds of snapshots so every chart has a line, not a dot.
            for second in ("1", "2", "3"):
                expect(page.locator(".recharts-xAxis").first).to_contain_text(
                    second, timeout=20_000
                )
            expect(page.locator(".recharts-line-curve, .recharts-area-curve").first).to_be_visible()
            # The dashboard's endpoint table, filled from the latest snapshot: the spec's request.
            endpoint_rows = page.get_by_test_id("endpoint-table").locator("tbody tr")
            expect(endpoint_rows).to_have_count(1)
            expect(endpoint_rows.first).to_contain_text("GET /anything")
            console = page.get_by_test_id("log-console")
            expect(console).to_contain_text("Started browser spec", timeout=10_000)
            page.screenshot(path=str(tmp_path / "run.png"), full_page=True)

            page.get_by_role("button", name="Stop").click()
            expect(page.get_by_text("stopped").first).to_be_visible(timeout=30_000)
            expect(page.get_by_role("link", name="CSV")).to_be_visible()
            pdf_link = page.get_by_role("link", name="PDF report")
            expect(pdf_link).to_have_attribute("href", "/api/runs/1/report.pdf")
            with page.expect_download(timeout=60_000) as download_info:
                pdf_link.click()  # the server prints it with headless Chromium on first request
            pdf = Path(download_info.value.path())
            assert download_info.value.suggested_filename == "run-1-report.pdf"
            assert pdf.read_bytes().startswith(b"%PDF-")
            assert errors == []
        finally:
            browser.close()
        run = server.json("GET", "/api/runs/1")
        assert run["status"] == "stopped"
    assert (tmp_path / "run.png").stat().st_size > 10_000
