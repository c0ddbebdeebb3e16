"""Make the README's pictures from real runs: terminal summary, report, dashboard, server pages.

    uv run python scripts/readme_screenshots.py docs/images

Everything runs on loopback: the demo API (`loadforge target`'s app), a
`loadforge run` of `examples/rest_api.py` with its live dashboard, and a
`loadforge serve` with one spec run to completion. Pages are shot in headless
Chromium (`make browser`) through Playwright; the terminal summary is the
run's real coloured output turned into SVG by rich. Rerun it after a change
to any of those views, and commit the files it writes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from cli_harness import EXAMPLES  # noqa: E402
from dashboard_harness import dashboard_process  # noqa: E402
from loadforge.target.server import running_target  # noqa: E402
from server_harness import serve_process  # noqa: E402

VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
TERMINAL_COLUMNS = 110
# Each shot waits this long at most for its page to show what it should.
PAGE_TIMEOUT_MS = 30_000


def main() -> int:
    """Write terminal.svg, report.png, dashboard.png, server-run.png and server-specs.png."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write the pictures to")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_target() as target_url,
        sync_playwright() as playwright,
    ):
        work = Path(tmp)
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        try:
            results = shoot_dashboard_and_terminal(browser, target_url, work, out)
            shoot_report(browser, results / "report.html", out / "report.png")
            shoot_server(browser, target_url, work / "server", out)
        finally:
            browser.close()
    for path in sorted(out.iterdir()):
        print(f"{path}  {path.stat().st_size:,} bytes")
    print(f"command: uv run python scripts/readme_screenshots.py {out}")
    return 0


def shoot_dashboard_and_terminal(browser: Browser, target_url: str, work: Path, out: Path) -> Path:
    """Run the REST example for 8 s with its dashboard; shoot it live, then keep its summary."""
    run_args = [
        "run", str(EXAMPLES / "rest_api.py"), "--base-url", target_url, "-o", str(work / "run"),
        "-u", "20", "-d", "8s", "--rps", "400", "--dashboard", "--dashboard-port", "0",
    ]  # fmt: skip
    colour = {"FORCE_COLOR": "1", "COLUMNS": str(TERMINAL_COLUMNS), "TERM": "xterm-256color"}
    os.environ.update(colour)
    with dashboard_process(run_args) as run:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(run.url)
        expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=PAGE_TIMEOUT_MS)
        wait_for_seconds_on_chart(page, 5)
        page.screenshot(path=str(out / "dashboard.png"))
        page.close()
        code = run.wait(60)
        if code != 0:
            raise SystemExit(f"the run exited {code}:\n{run.output}")
    write_terminal_svg(run.output, out / "terminal.svg")
    return run.results_dir


def write_terminal_svg(output: str, path: Path) -> None:
    """The run's summary (from its `NAME — completed after …` line on), as an SVG terminal."""
    lines = output.splitlines()
    plain = [Text.from_ansi(line).plain for line in lines]
    start = next(i for i, line in enumerate(plain) if " — " in line and " after " in line)
    console = Console(record=True, width=TERMINAL_COLUMNS, file=io.StringIO(), force_terminal=True)
    console.print(Text.from_ansi("\n".join(lines[start:])))
    console.save_svg(str(path), title="loadforge run examples/rest_api.py -u 20 -d 8s --rps 400")


def shoot_report(browser: Browser, report: Path, path: Path) -> None:
    """The top of the run's self-contained HTML report, with its charts drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(report.as_uri())
    expect(page.locator(".main-svg").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.close()


def shoot_server(browser: Browser, target_url: str, data: Path, out: Path) -> None:
    """A spec on `loadforge serve` run to completion: the specs list and the run's page."""
    with serve_process(data) as server:
        spec = server.json("POST", "/api/specs", json={
            "name": "checkout API", "request": {"method": "GET", "url": f"{target_url}/anything"},
            "load_profile": {"users": 10, "duration": 6, "rps": 200},
            "thresholds": ["p95<200ms", "error_rate<1%"],
        })  # fmt: skip
        run = server.json("POST", f"/api/runs/{spec['id']}")
        server.wait_for_run(int(str(run["id"])), ["completed"], timeout=60)
        page = browser.new_page(viewport={"width": 1400, "height": 260})
        page.goto(f"{server.url}/specs")
        expect(page.get_by_role("row").filter(has_text="checkout API")).to_be_visible(
            timeout=PAGE_TIMEOUT_MS
        )
        page.screenshot(path=str(out / "server-specs.png"))
        page.set_viewport_size(VIEWPORT)
        page.goto(f"{server.url}/runs/{run['id']}")
        expect(page.get_by_text("completed").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        expect(page.locator(".recharts-line-curve, .recharts-area-curve").first).to_be_visible(
            timeout=PAGE_TIMEOUT_MS
        )
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "server-run.png"))
        page.close()


def wait_for_seconds_on_chart(page: Page, seconds: int) -> None:
    """Wait until the first chart's time axis reaches `seconds` (a bounded wait)."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    for second in range(1, seconds + 1):
        remaining_ms = max(1000.0, (deadline - time.monotonic()) * 1000)
        expect(page.locator(".recharts-xAxis").first).to_contain_text(
            str(second), timeout=remaining_ms
        )


if __name__ == "__main__":
    raise SystemExit(main())
