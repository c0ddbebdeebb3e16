"""The lines printed after a run: the report's size, and the smaller choice when it is inline."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from loadforge.cli.outcomes import file_size, print_finished, report_line
from loadforge.reports import PlotlySource
from loadforge.runs.options import RunOptions
from loadforge.runs.outputs import finish_outputs, plan_outputs
from sample_runs import normal_run


def test_file_sizes() -> None:
    assert [file_size(812), file_size(23_456), file_size(4_838_674)] == ["812 B", "23 KB", "4.8 MB"]


def test_an_inline_report_offers_the_smaller_cdn_one(tmp_path: Path) -> None:
    finished = finish_outputs(normal_run(), tmp_path, plan_outputs(RunOptions()))
    shown = io.StringIO()

    print_finished(Console(file=shown, width=300), finished, quiet=False)

    line = next(text for text in shown.getvalue().splitlines() if text.startswith("Report:"))
    path = tmp_path / "report.html"
    size = file_size(path.stat().st_size)
    assert size.endswith(" MB")
    assert line.startswith(f"Report: {path} ({size}, plotly.js inline;")
    assert "--plotly cdn makes it " in line
    assert line.endswith(" KB, loading plotly.js online)")


def test_a_cdn_report_only_says_its_size(tmp_path: Path) -> None:
    finished = finish_outputs(normal_run(), tmp_path, plan_outputs(RunOptions(plotly="cdn")))
    (path,) = (p for p in finished.written if p.suffix == ".html")

    line = report_line("Report:", path, PlotlySource.CDN)

    assert line == f"Report: {path} ({file_size(path.stat().st_size)})"
    assert "--plotly" not in line
