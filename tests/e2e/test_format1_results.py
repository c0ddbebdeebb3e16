"""`loadforge report`, `compare` and `dashboard` open a run that format 1 wrote.

The run is the committed fixture (tests/fixtures/format1_run, see
`format1_run`), written before the snapshot figures were renamed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_harness import invoke
from dashboard_harness import Recorder, dashboard_process
from format1_run import ERRORS, REQUESTS, SECONDS, copy_format1_run
from loadforge.dashboard.schemas import HistoryMessage, Phase, RunInfo
from loadforge.results import load_result

pytestmark = pytest.mark.slow


def test_report_rebuilds_the_outputs_of_a_format_1_run(tmp_path: Path) -> None:
    directory = copy_format1_run(tmp_path / "old")

    run = invoke(["report", str(directory), "--format", "html", "--format", "json"])

    assert run.exit_code == 0, run.output
    html = (directory / "report.html").read_text(encoding="utf-8")
    assert "Format One" in html
    assert f"{REQUESTS}" in html
    document = json.loads((directory / "result.json").read_text(encoding="utf-8"))
    assert document["result_format"] == 2
    assert document["final_summary"]["requests"] == REQUESTS
    assert document["final_summary"]["errors"] == ERRORS
    assert [t["expression"] for t in document["thresholds"]] == ["p95<1s", "error_rate<1%"]


def test_compare_reads_a_format_1_baseline_against_a_format_2_candidate(tmp_path: Path) -> None:
    baseline = copy_format1_run(tmp_path / "old")
    candidate = copy_format1_run(tmp_path / "new")
    assert invoke(["report", str(candidate), "--format", "json"]).exit_code == 0
    page = tmp_path / "compare.html"

    run = invoke(
        ["compare", str(baseline), str(candidate), "--fail-on-regression", "1%", "-o", str(page)]
    )

    assert run.exit_code == 0, run.output
    assert "Anything" in run.output
    assert "Broken" in run.output
    assert page.is_file()
    assert load_result(baseline) == load_result(candidate)


def test_the_dashboard_replays_a_format_1_run(tmp_path: Path) -> None:
    directory = copy_format1_run(tmp_path / "old")

    with dashboard_process(["dashboard", str(directory), "--port", "0"]) as replay:
        info = RunInfo.model_validate(replay.get_json("api/run"))
        client = Recorder(replay.ws_url)
        client.wait_for('"type":"history"')
        client.close()

    assert info.scenario == "Format One"
    assert info.snapshots == SECONDS
    history = client.messages()[0]
    assert isinstance(history, HistoryMessage)
    snapshots = history.data.snapshots
    assert sum(s.requests for s in snapshots) == REQUESTS
    assert sum(s.errors for s in snapshots) == ERRORS
    assert {e.name for e in snapshots[-1].endpoints} == {"Anything", "Broken"}
    assert history.data.status is not None
    assert history.data.status.status is Phase.COMPLETED
