"""Rendering pages: filters, escaping, plotly.js inline or from the CDN, output formats."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from loadforge.errors import ConfigError
from loadforge.metrics.errors import ResultFormatError
from loadforge.reports import OutputFormat, PlotlySource, render_run_report, write_outputs
from loadforge.reports.page import ms, optional, percent, script_json, signed_percent
from loadforge.reports.plotly_source import plotly_version
from loadforge.thresholds import evaluate_thresholds, parse_threshold, read_outcomes
from sample_runs import Request, build_result, empty_run, mixed_run, normal_run, open_model_run


def test_filters() -> None:
    assert [ms(0.5), ms(12.34), ms(250), ms(2500)] == ["0.50 ms", "12.3 ms", "250 ms", "2.50 s"]
    assert percent(0.0123) == "1.23 %"
    assert signed_percent(0.1) == "+10.0 %"
    assert signed_percent(None) == "—"
    assert [optional(None, "ms"), optional(2.0, "ms"), optional(0.5, "percent")] == [
        "—",
        "2.00 ms",
        "50.00 %",
    ]
    assert optional(3.14159, "%.1f") == "3.1"
    assert script_json('{"a": "</script><b>&"}') == (
        '{"a": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    )


def test_inline_report_is_self_contained() -> None:
    html = render_run_report(normal_run())
    assert "<script src=" not in html
    assert '<script src="https://cdn.plot.ly' not in html
    assert len(html) > 1_000_000  # plotly.js itself
    keys = ("throughput", "latency-bands", "distribution", "endpoints", "errors", "error-totals")
    for key in (*keys, "users"):
        assert f'id="chart-{key}"' in html
        assert f'id="figure-{key}"' in html
    assert "No thresholds were set" in html


def test_cdn_report_is_small() -> None:
    html = render_run_report(normal_run(), plotly=PlotlySource.CDN)
    assert f"https://cdn.plot.ly/plotly-{plotly_version()}.min.js" in html
    assert len(html) < 200_000


def test_names_from_the_scenario_are_escaped() -> None:
    run = build_result([[Request("<script>alert(1)</script>", 1000)]], scenario="A & <B>")
    html = render_run_report(run, plotly=PlotlySource.CDN)
    assert "<script>alert(1)" not in html
    assert "A &amp; &lt;B&gt;" in html


def test_thresholds_appear_with_their_verdict() -> None:
    run = normal_run()
    outcomes = evaluate_thresholds([parse_threshold("p95<1ms")], run)
    html = render_run_report(run, outcomes, PlotlySource.CDN)
    assert "FAILED" in html
    assert "p95&lt;1ms" in html


def test_empty_run_report_says_so() -> None:
    html = render_run_report(empty_run(), plotly=PlotlySource.CDN)
    assert "No requests were measured" in html
    assert "No endpoint was called" in html


def test_corrupt_histogram_is_a_result_format_error() -> None:
    run = normal_run()
    broken = dataclasses.replace(run, latency_histogram="not-a-histogram")
    with pytest.raises(ResultFormatError):
        render_run_report(broken)


def test_plotly_source_parsing() -> None:
    assert PlotlySource.parse(" CDN ") is PlotlySource.CDN
    with pytest.raises(ConfigError, match="'inline' or 'cdn'"):
        PlotlySource.parse("local")


def test_format_parsing() -> None:
    assert OutputFormat.parse_all(["html", "json,csv", "PDF"]) == set(OutputFormat)
    with pytest.raises(ConfigError, match="unknown format 'docx'; use html, json, csv, pdf"):
        OutputFormat.parse_all(["docx"])


def test_write_outputs_writes_each_format(tmp_path: Path) -> None:
    run = normal_run()
    outcomes = evaluate_thresholds([parse_threshold("p95<1s")], run)
    every = set(OutputFormat) - {OutputFormat.PDF}  # printed in tests/e2e/test_pdf_report.py
    written = write_outputs(tmp_path, run, outcomes, every, PlotlySource.CDN)
    assert sorted(p.name for p in written) == [
        "endpoints.csv", "report.html", "result.json", "snapshots.csv",
    ]  # fmt: skip
    assert json.loads((tmp_path / "result.json").read_text())["thresholds"][0]["passed"]
    assert read_outcomes(tmp_path) == outcomes
    with (tmp_path / "endpoints.csv").open() as rows:
        assert [row["name"] for row in csv.DictReader(rows)] == ["List Items", "Create Item"]
    assert write_outputs(tmp_path, run, (), set()) == []


def test_a_mixed_report_says_what_corrected_latency_covers_and_dashes_the_user_scenarios() -> None:
    html = render_run_report(mixed_run(), plotly=PlotlySource.CDN)

    assert "those on users looped on their own users" in html
    assert "Corrected latencies cover the arrival-rate scenarios' requests" in html
    assert '<div class="label">Target rate</div><div class="value">5/s</div>' in html
    browse = html[html.index("<td>Browse › list</td>") :]
    buy = html[html.index("<td>Buy › pay</td>") :]
    assert "<td>—</td>" in browse[: browse.index("</tr>")]
    assert "<td>—</td>" not in buy[: buy.index("</tr>")]


def test_an_open_model_report_shows_rates_and_corrected_latency() -> None:
    run = open_model_run()
    html = render_run_report(run, plotly=PlotlySource.CDN)
    summary = run.final_summary
    for label, value in [
        ("Corrected p50", summary.latency_corrected_p50),
        ("Corrected p95", summary.latency_corrected_p95),
        ("Corrected p99", summary.latency_corrected_p99),
    ]:
        assert f'<div class="label">{label}</div><div class="value">{ms(value)}</div>' in html
    assert '<div class="label">Target rate</div><div class="value">10/s</div>' in html
    assert '<div class="label">Achieved rate</div><div class="value">9/s</div>' in html
    assert "27 iterations started, 3 dropped" in html
    assert "at the rate the traffic pattern asked for (constant 10 iterations/s)" in html
    assert "concurrent users (constant" not in html
    assert 'id="chart-corrected"' in html
    assert "<th>corrected p99</th>" in html
    assert "<th>target rate</th><th>started</th><th>dropped</th>" in html
    closed = render_run_report(normal_run(), plotly=PlotlySource.CDN)
    assert "Corrected p95" not in closed
    assert "corrected p99" not in closed
