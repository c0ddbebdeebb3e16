"""Writing a run's outputs in the formats asked for: report.html, result.json, CSV, report.pdf."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from loadforge.errors import ConfigError
from loadforge.metrics.models import TestResult
from loadforge.reports.pdf import PDF_FILE, print_to_pdf
from loadforge.reports.plotly_source import PlotlySource
from loadforge.reports.run_report import render_run_report
from loadforge.results.writer import RESULT_FILE, write_atomically, write_csv_files
from loadforge.thresholds import ThresholdOutcome, write_result_json

REPORT_FILE = "report.html"


class OutputFormat(enum.Enum):
    """A kind of output a run can be written as."""

    HTML = "html"
    JSON = "json"
    CSV = "csv"
    PDF = "pdf"

    @classmethod
    def parse_all(cls, texts: Iterable[str], *, where: str = "--format") -> frozenset[OutputFormat]:
        """Formats by name (`html`, `json`, `csv`, `pdf`, or comma-separated); else ConfigError."""
        formats = set()
        for text in texts:
            for name in text.split(","):
                try:
                    formats.add(cls(name.strip().lower()))
                except ValueError:
                    known = ", ".join(f.value for f in cls)
                    raise ConfigError(f"{where}: unknown format {name!r}; use {known}.") from None
        return frozenset(formats)


def write_outputs(
    directory: Path,
    result: TestResult,
    outcomes: Sequence[ThresholdOutcome],
    formats: Collection[OutputFormat],
    plotly: PlotlySource = PlotlySource.INLINE,
) -> list[Path]:
    """Write each format into the run's directory and return the files written."""
    written: list[Path] = []
    if OutputFormat.JSON in formats:
        write_result_json(directory, result, outcomes)
        written.append(directory / RESULT_FILE)
    if OutputFormat.CSV in formats:
        written.extend(write_csv_files(directory, result))
    if OutputFormat.HTML in formats:
        path = directory / REPORT_FILE
        write_atomically(path, render_run_report(result, outcomes, plotly))
        written.append(path)
    if OutputFormat.PDF in formats:
        # Printed with plotly inline whatever `plotly` says: the browser fetches nothing.
        page = render_run_report(result, outcomes, PlotlySource.INLINE, printed=True)
        written.append(print_to_pdf(page, directory / PDF_FILE))
    return written
