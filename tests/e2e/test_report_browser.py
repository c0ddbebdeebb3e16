"""The HTML reports in headless Chromium: every chart draws, no errors, no network, dark mode.

Uses Debian's /usr/bin/chromium through Playwright (`make browser` installs
it). Every request that is not a file: URL is aborted and counted, so a
report that tried to reach the network fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from chromium import CHROMIUM_ARGS, chromium_executable
from cli_harness import EXAMPLES, Target, run_process
from loadforge.metrics.models import TestResult
from loadforge.reports import render_run_report
from loadforge.reports.compare_report import render_comparison
from loadforge.reports.comparison import compare_results
from sample_runs import empty_run, failing_run, normal_run, one_second_run

ALL_DRAWN = """() => {
  const charts = document.querySelectorAll('.chart');
  return charts.length > 0 && [...charts].every(c => c.getAttribute('data-drawn') === 'true');
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, driven by Playwright."""
    executable = chromium_executable()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class OpenedPage:
    """A report opened in the browser, with what it logged and what it tried to fetch."""

    page: Page
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def open_report(browser: Browser, path: Path) -> OpenedPage:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    opened = OpenedPage(page)

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            opened.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on("requestfailed", lambda r: opened.blocked.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function(ALL_DRAWN, timeout=30_000)
    return opened


def assert_every_chart_drew(opened: OpenedPage) -> int:
    page = opened.page
    charts = page.locator(".chart")
    count = charts.count()
    assert count > 0
    for index in range(count):
        chart = charts.nth(index)
        assert chart.locator("svg.main-svg").count() >= 1, chart.get_attribute("id")
    assert opened.errors == []
    assert opened.blocked == []
    return count


SAMPLES: dict[str, Callable[[], TestResult]] = {
    "normal": normal_run,
    "empty": empty_run,
    "one-second": one_second_run,
    "all-failed": failing_run,
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_reports_draw_every_chart_offline(
    browser: Browser, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_run_report(SAMPLES[name]()), encoding="utf-8")
    opened = open_report(browser, path)
    assert assert_every_chart_drew(opened) == 7
    opened.page.close()


def test_report_of_a_real_run_and_dark_mode(
    browser: Browser, target: Target, tmp_path: Path
) -> None:
    # A separate process: sync Playwright keeps an event loop running in this thread.
    run = run_process(["run", str(EXAMPLES / "rest_api.py"), "--base-url", target.url,
                       "-o", str(tmp_path), "-u", "3", "-d", "2s", "-q"])  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    (report,) = tmp_path.glob("*/report.html")
    opened = open_report(browser, report)
    page = opened.page
    assert_every_chart_drew(opened)
    assert page.locator("#endpoints-table td", has_text="List Items").count() == 1

    light_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("localStorage.getItem('loadforge-theme')") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_background
    font = "document.getElementById('chart-throughput').layout.font.color"
    page.wait_for_function(f"{font} === '#e5e7eb'")

    page.reload()  # the choice is remembered
    page.wait_for_function(ALL_DRAWN, timeout=30_000)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(font) == "#e5e7eb"
    page.click("#theme-toggle")
    assert page.evaluate("localStorage.getItem('loadforge-theme')") == "light"
    assert opened.errors == []
    assert opened.blocked == []
    page.close()


def test_comparison_page_draws_offline(browser: Browser, tmp_path: Path) -> None:
    baseline, candidate = normal_run(), failing_run()
    comparison = compare_results(baseline, candidate)
    path = tmp_path / "compare.html"
    path.write_text(
        render_comparison(comparison, baseline, candidate, regression_limit=0.1),
        encoding="utf-8",
    )
    opened = open_report(browser, path)
    assert assert_every_chart_drew(opened) == 4
    assert opened.page.locator("#comparison-table tr").count() == 1 + len(comparison.rows)
    opened.page.close()


def test_an_open_model_report_draws_rates_and_corrected_latency(
    browser: Browser, target: Target, tmp_path: Path
) -> None:
    run = run_process(["run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url,
                       "-o", str(tmp_path), "--arrival-rate", "20", "-d", "2s", "-w", "1",
                       "-q"])  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    (report,) = tmp_path.glob("*/report.html")
    opened = open_report(browser, report)
    page = opened.page
    assert assert_every_chart_drew(opened) == 8
    names = page.evaluate(
        "document.getElementById('chart-throughput').data.map(trace => trace.name)"
    )
    assert names == ["requests/s", "iterations started/s", "target iterations/s"]
    target_line = page.evaluate("document.getElementById('chart-throughput').data[2].y")
    assert target_line[:2] == [20, 20]
    assert page.locator("#chart-corrected .legendtext", has_text="corrected p99").count() == 1
    for label in ("Corrected p50", "Corrected p95", "Corrected p99", "Target rate"):
        assert page.locator(".tile .label", has_text=label).count() == 1, label
    assert page.locator(".tile", has_text="Target rate").locator(".value").inner_text() == "20/s"
    legends = page.evaluate(
        "Array.from(document.querySelectorAll('.legendtext')).map(text => text.textContent)"
    )
    assert legends
    assert not any("e+" in text for text in legends), legends
    page.close()
