"""Figures carry their chart data into plotly JSON, and say so when there is none."""

from __future__ import annotations

import colorsys
import dataclasses
import json
import re

import pytest

from loadforge import formatting
from loadforge.metrics.models import TestResult
from loadforge.reports._canvas import P99_COLOR, error_colors
from loadforge.reports.run_report import run_charts
from sample_runs import (
    Request,
    build_result,
    empty_run,
    failing_run,
    normal_run,
    one_second_run,
    open_model_run,
)

KEYS = [
    "throughput",
    "latency-bands",
    "distribution",
    "endpoints",
    "errors",
    "error-totals",
    "users",
]


def figures(run_name: str) -> dict[str, dict[str, object]]:
    run = {"normal": normal_run, "empty": empty_run, "one": one_second_run,
           "failing": failing_run}[run_name]()  # fmt: skip
    charts = run_charts(run)
    assert [c.key for c in charts] == KEYS
    assert all(c.title and c.explanation for c in charts)
    return {c.key: json.loads(c.figure_json) for c in charts}


def trace_names(figure: dict[str, object]) -> list[str]:
    data = figure["data"]
    assert isinstance(data, list)
    return [trace["name"] for trace in data]


def test_normal_run_figures_hold_the_data() -> None:
    found = figures("normal")
    throughput = found["throughput"]
    assert trace_names(throughput) == ["requests/s", "target users"]
    data = throughput["data"]
    assert isinstance(data, list)
    assert data[0]["y"] == [10.0, 11.0, 12.0]
    assert data[1]["line"]["dash"] == "dash"
    assert data[1]["yaxis"] == "y2"
    assert trace_names(found["latency-bands"]) == ["p50", "p95", "p99"]
    names = trace_names(found["distribution"])
    assert names[0] == "requests"
    assert [n.split()[0] for n in names[1:]] == ["p50", "p95", "p99"]
    assert found["distribution"]["layout"]["xaxis"]["type"] == "log"  # type: ignore[index]
    assert trace_names(found["endpoints"]) == ["p50", "p95", "p99"]
    assert trace_names(found["errors"]) == ["5xx", "timeout"]
    assert found["errors"]["layout"]["barmode"] == "stack"  # type: ignore[index]
    assert trace_names(found["users"]) == ["active users", "target users"]
    pie = found["error-totals"]["data"][0]  # type: ignore[index]
    assert pie["type"] == "pie"
    assert pie["labels"] == ["http_503", "timeout"]
    assert pie["values"] == [1, 1]


@pytest.mark.parametrize("run_name", ["empty"])
def test_an_empty_run_gets_explaining_figures(run_name: str) -> None:
    for key, figure in figures(run_name).items():
        if key == "users":
            assert trace_names(figure) == ["active users", "target users"]
            continue
        assert figure["data"] == [], key
        annotations = figure["layout"]["annotations"]  # type: ignore[index]
        assert annotations[0]["text"], key
        assert "succeeded" not in annotations[0]["text"]


def test_one_second_run_draws_markers() -> None:
    found = figures("one")
    data = found["throughput"]["data"]
    assert isinstance(data, list)
    assert data[0]["mode"] == "lines+markers"
    assert data[0]["x"] == [1.0]
    assert "No errors" in found["errors"]["layout"]["annotations"][0]["text"]  # type: ignore[index]


def test_all_failed_run_still_has_latency_and_errors() -> None:
    found = figures("failing")
    assert trace_names(found["errors"]) == ["5xx", "connection_refused"]
    pie = found["error-totals"]["data"][0]  # type: ignore[index]
    assert pie["labels"] == ["connection_refused", "http_500"]
    assert found["distribution"]["data"]


def test_an_rps_cap_is_drawn_as_a_line() -> None:
    run = dataclasses.replace(normal_run(), config={"rps": 11})
    throughput = json.loads(run_charts(run)[0].figure_json)
    (shape,) = throughput["layout"]["shapes"]
    assert (shape["y0"], shape["y1"]) == (11, 11)
    assert shape["line"]["dash"] == "dot"


def test_the_drain_is_shaded_with_a_legend_entry_on_every_chart_over_time() -> None:
    run = normal_run()
    snapshots = [dataclasses.replace(s, drain=s.elapsed_seconds > 2) for s in run.snapshots]
    found = {
        c.key: json.loads(c.figure_json)
        for c in run_charts(dataclasses.replace(run, snapshots=snapshots))
    }
    for key in ("throughput", "latency-bands", "errors", "users"):
        (shape,) = found[key]["layout"]["shapes"]
        assert (shape["type"], shape["x0"], shape["x1"]) == ("rect", 2.0, 3.0), key
        assert (shape["name"], shape["showlegend"]) == ("drain (after planned end)", True), key
        assert shape["layer"] == "below"
    for key in ("distribution", "endpoints", "error-totals"):
        assert "shapes" not in found[key]["layout"], key


def test_a_run_without_a_drain_shades_nothing() -> None:
    for key, figure in figures("normal").items():
        layout = figure["layout"]
        assert isinstance(layout, dict)
        assert "shapes" not in layout, key


def _strings(value: object) -> list[str]:
    """Every string in a decoded figure: names, texts, hover templates, tick labels."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def slow_run() -> TestResult:
    """Latencies from 200 ms to 2.4 s, some over a second, and errors of four kinds."""
    second = [Request("Search", 200_000 * (i + 1)) for i in range(12)]
    errors = [
        Request("Search", 1_000, status=404, error="http_404"),
        Request("Search", 1_000, status=503, error="http_503"),
        Request("Search", 1_000, status=0, error="timeout"),
        Request("Search", 1_000, status=0, error="connection_refused"),
    ]
    return build_result([second, [*second, *errors]])


def test_figures_write_latencies_as_the_terminal_does() -> None:
    run = slow_run()
    found = {c.key: json.loads(c.figure_json) for c in run_charts(run)}
    summary = run.final_summary
    markers = trace_names(found["distribution"])[1:]
    expected = [summary.latency_p50, summary.latency_p95, summary.latency_p99]
    assert markers == [
        f"{label} {formatting.ms(value, ' ')}"
        for label, value in zip(("p50", "p95", "p99"), expected, strict=True)
    ]
    assert markers[-1].endswith(" s")  # "p99 2.40 s", never "p99 2.4e+03 ms"
    for key, figure in found.items():
        for text in _strings(figure):
            assert not re.search(r"\de[+-]\d", text), (key, text)
    ticks = found["distribution"]["layout"]["xaxis"]["ticktext"]
    assert "1.00 s" in ticks
    bands = found["latency-bands"]["data"][2]
    assert bands["text"] == [formatting.ms(v, " ") for v in bands["y"]]


def _hue(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(red, green, blue)[0] * 360


def test_errors_are_never_drawn_in_a_green() -> None:
    found = {c.key: json.loads(c.figure_json) for c in run_charts(slow_run())}
    bars = found["errors"]["data"]
    assert isinstance(bars, list)
    colors = {bar["name"]: bar["marker"]["color"] for bar in bars}
    assert set(colors) == {"4xx", "5xx", "timeout", "connection_refused"}
    pie = found["error-totals"]["data"][0]
    many = error_colors([f"kind_{i}" for i in range(20)])
    for color in [*colors.values(), *pie["marker"]["colors"], *many]:
        assert not 70 <= _hue(color) <= 170, color  # greens, the colour of success
    assert colors["5xx"] == P99_COLOR  # a server failure is red
    assert len(set(colors.values())) == len(colors)


def test_the_open_model_charts_show_rates_and_corrected_latency() -> None:
    charts = run_charts(open_model_run())
    assert [c.key for c in charts] == [KEYS[0], "corrected", *KEYS[1:]]
    found = {c.key: json.loads(c.figure_json) for c in charts}
    assert trace_names(found["throughput"]) == [
        "requests/s",
        "iterations started/s",
        "target iterations/s",
    ]
    assert "target users" not in json.dumps(found)
    assert trace_names(found["corrected"]) == [
        "p50",
        "p95",
        "p99",
        "corrected p50",
        "corrected p95",
        "corrected p99",
    ]
    assert [t["line"]["dash"] for t in found["corrected"]["data"]] == ["solid"] * 3 + ["dash"] * 3
    assert trace_names(found["users"]) == ["busy users", "most users (--max-users)"]
