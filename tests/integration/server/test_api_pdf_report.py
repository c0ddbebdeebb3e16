"""`GET /api/runs/{id}/report.pdf`: a finished run's report printed to PDF, or why it cannot be."""

from __future__ import annotations

from pathlib import Path

import pytest

from chromium import chromium_executable
from integration.server.harness import Served, spec_body
from loadforge.reports import OutputFormat, write_outputs
from loadforge.server.contract import RunState
from poppler import first_page_png, pdf_text
from sample_runs import normal_run


def _finished_run(served: Served, results: Path) -> int:
    """A run the fake executor ended COMPLETED with a real result.json in `results`."""
    spec = served.client.post("/api/specs", json=spec_body()).json()
    run_id: int = served.client.post(f"/api/runs/{spec['id']}").json()["id"]
    assert served.client.get(f"/api/runs/{run_id}/report.pdf").status_code == 409
    results.mkdir()
    write_outputs(results, normal_run(), (), {OutputFormat.JSON})
    served.call(served.executor.finish, run_id, RunState.COMPLETED, results)
    return run_id


def test_a_finished_run_offers_its_report_as_pdf(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOADFORGE_CHROMIUM", chromium_executable())
    run_id = _finished_run(served, tmp_path / "results")
    answer = served.client.get(f"/api/runs/{run_id}/report.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert "attachment" in answer.headers["content-disposition"]
    pdf = tmp_path / "downloaded.pdf"
    pdf.write_bytes(answer.content)
    assert first_page_png(pdf, tmp_path).stat().st_size > 1_000
    assert f"{normal_run().final_summary.requests:,}" in pdf_text(pdf)
    # Printed once, then served from the results directory.
    assert (tmp_path / "results" / "report.pdf").read_bytes() == answer.content


def test_without_a_browser_the_pdf_is_a_503_that_says_what_to_install(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOADFORGE_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-browsers-here"))
    run_id = _finished_run(served, tmp_path / "results")
    answer = served.client.get(f"/api/runs/{run_id}/report.pdf")
    assert answer.status_code == 503
    assert "apt-get install chromium" in answer.json()["detail"]
    assert served.client.get("/api/runs/999/report.pdf").status_code == 404
