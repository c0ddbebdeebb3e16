"""PDF reports end to end: `run --format pdf`, `report --format pdf`, and no browser at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from chromium import chromium_executable
from cli_harness import EXAMPLES, Target, invoke, run_process
from poppler import first_page_png, pdf_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _run(target: Target, out: Path, *flags: str) -> Path:
    run = invoke([
        "run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url, "-o", str(out),
        "-u", "2", "-d", "2s", *flags,
    ])  # fmt: skip
    assert run.exit_code == 0, run.output
    return run.results_dir


def _assert_pdf_of(pdf: Path, requests: int, scratch: Path) -> None:
    page = first_page_png(pdf, scratch)
    assert page.read_bytes().startswith(PNG_SIGNATURE)
    assert page.stat().st_size > 1_000  # a drawn page, not an empty one
    text = pdf_text(pdf)
    assert f"{requests:,}" in text
    for section in ("Summary", "Latency percentiles over time", "Endpoints", "Raw per-second data"):
        assert section in text, section


def test_run_with_format_pdf_writes_the_report_as_pdf(
    target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOADFORGE_CHROMIUM", chromium_executable())
    directory = _run(target, tmp_path / "results", "--format", "pdf", "--format", "json")
    assert (directory / "report.pdf").is_file()
    assert not (directory / "report.html").exists()
    requests = invoke_result_requests(directory)
    _assert_pdf_of(directory / "report.pdf", requests, tmp_path)


def test_report_with_format_pdf_rebuilds_it_from_result_json(
    target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _run(target, tmp_path / "results")
    monkeypatch.setenv("LOADFORGE_CHROMIUM", chromium_executable())
    rebuilt = invoke(["report", str(directory), "--format", "pdf"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "report.pdf" in rebuilt.output
    _assert_pdf_of(directory / "report.pdf", invoke_result_requests(directory), tmp_path)


def test_without_a_browser_the_error_names_what_to_install(target: Target, tmp_path: Path) -> None:
    directory = _run(target, tmp_path / "results", "--format", "json")
    bare = {"PATH": str(tmp_path / "no-browsers-here"), "LOADFORGE_CHROMIUM": ""}
    rebuilt = run_process(["report", str(directory), "--format", "pdf"], env=bare)
    assert rebuilt.returncode == 2, rebuilt.stderr
    assert "apt-get install chromium" in rebuilt.stderr
    assert "LOADFORGE_CHROMIUM" in rebuilt.stderr
    assert "Traceback" not in rebuilt.stderr
    assert not (directory / "report.pdf").exists()
    # `run` refuses before it sends any load.
    before = target.served()
    run = run_process([
        "run", str(EXAMPLES / "basic_get.py"), "--base-url", target.url, "-o",
        str(tmp_path / "more"), "-u", "2", "-d", "2s", "--format", "pdf",
    ], env=bare)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "apt-get install chromium" in run.stderr
    assert target.served() == before


def invoke_result_requests(directory: Path) -> int:
    """The run's request count as its result.json records it."""
    from loadforge.results import load_result

    return load_result(directory).final_summary.requests
