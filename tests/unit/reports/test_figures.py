"""Figures carry their chart data into plotly JSON, and say so when there is none."""

from __future__ import annotations

import dataclasses
import json

import pytest

from loadforge.reports.run_report import run_charts
from sample_runs import empty_run, failing_run, normal_run, one_second_run

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
