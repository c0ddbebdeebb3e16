"""The server's pages, /docs and a run's report in Chromium under their security headers.

Every answer carries a Content-Security-Policy; this checks that what the
pages, Swagger UI and the report need still loads and runs under it, with
no asset fetched from outside the server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Request, expect, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_executable
from cli_harness import Target
from server_harness import serve_process

pytestmark = pytest.mark.slow


def test_pages_docs_and_report_work_under_the_csp(target: Target, tmp_path: Path) -> None:
    executable = chromium_executable()
    with serve_process(tmp_path / "data") as server:
        spec = server.json("POST", "/api/specs", json={
            "name": "csp", "request": {"method": "GET", "url": f"{target.url}/anything"},
            "load_profile": {"users": 1, "duration": 2, "rps": 10}, "thresholds": [],
        })  # fmt: skip
        run = server.json("POST", f"/api/runs/{spec['id']}")
        server.wait_for_run(int(str(run["id"])), ["completed"])
        headers = server.client.get("/specs").headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                refused: list[str] = []
                outside: list[str] = []

                def on_console(message: ConsoleMessage) -> None:
                    if "Content Security Policy" in message.text or "Refused to" in message.text:
                        refused.append(message.text)

                def on_request(request: Request) -> None:
                    if not request.url.startswith((server.url, "data:", "blob:", "ws://127.0.0.1")):
                        outside.append(request.url)

                page.on("console", on_console)
                page.on("pageerror", lambda error: refused.append(str(error)))
                page.on("request", on_request)

                page.goto(f"{server.url}/runs/{run['id']}")
                expect(page.get_by_text("completed").first).to_be_visible(timeout=20_000)
                expect(
                    page.locator(".recharts-line-curve, .recharts-area-curve").first
                ).to_be_visible(timeout=20_000)
                page.goto(f"{server.url}/docs")
                expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
                page.goto(f"{server.url}/api/runs/{run['id']}/report")
                expect(page.locator(".main-svg").first).to_be_visible(timeout=30_000)
                page.screenshot(path=str(tmp_path / "report.png"))
                assert refused == []
                assert outside == []
            finally:
                browser.close()
