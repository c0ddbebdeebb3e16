"""After a run: finish_outputs checks, writes and says what it found, printing nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from loadforge.cli.outcomes import print_finished
from loadforge.runs.options import RunOptions
from loadforge.runs.outputs import FinishedOutputs, finish_outputs, plan_outputs
from sample_runs import normal_run


def test_it_returns_the_outcomes_and_the_files_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_outputs(
        RunOptions(thresholds=("p95<10s", "error_rate<1%"), junit=tmp_path / "junit.xml")
    )

    finished = finish_outputs(normal_run(), tmp_path, plan)

    assert [(o.expression, o.passed) for o in finished.outcomes] == [
        ("p95<10s", True),
        ("error_rate<1%", False),
    ]
    assert not finished.passed
    assert {path.name for path in finished.written} == {
        "result.json",
        "report.html",
        "snapshots.csv",
        "endpoints.csv",
    }
    assert all(path.is_file() for path in finished.written)
    assert (tmp_path / "junit.xml").is_file()
    stored = json.loads((tmp_path / "result.json").read_text())
    assert [t["expression"] for t in stored["thresholds"]] == ["p95<10s", "error_rate<1%"]
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("formats", "files"),
    [
        (("json",), {"result.json"}),
        (("csv",), {"result.json", "snapshots.csv", "endpoints.csv"}),
        (("html", "json"), {"result.json", "report.html"}),
    ],
)
def test_format_decides_the_files_and_result_json_is_always_written(
    tmp_path: Path, formats: tuple[str, ...], files: set[str]
) -> None:
    finished = finish_outputs(normal_run(), tmp_path, plan_outputs(RunOptions(formats=formats)))
    assert {path.name for path in finished.written} == files
    assert {path.name for path in tmp_path.iterdir()} == files


def test_without_thresholds_it_passes() -> None:
    assert FinishedOutputs((), ()).passed


def test_the_cli_prints_the_table_the_report_and_each_failure(tmp_path: Path) -> None:
    plan = plan_outputs(RunOptions(thresholds=("p95<10s", "error_rate<1%")))
    finished = finish_outputs(normal_run(), tmp_path, plan)
    shown, quiet = io.StringIO(), io.StringIO()

    print_finished(Console(file=shown, width=200), finished, quiet=False)
    print_finished(Console(file=quiet, width=200), finished, quiet=True)

    assert "Thresholds" in shown.getvalue()
    assert f"Report: {tmp_path / 'report.html'}" in shown.getvalue()
    assert "FAILED: threshold error_rate<1% (--threshold)" in shown.getvalue()
    assert quiet.getvalue().startswith("FAILED: threshold error_rate<1%")
    assert "Report:" not in quiet.getvalue()
