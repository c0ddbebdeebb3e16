"""A run's report as a PDF: the HTML report printed by headless Chromium.

The PDF has the HTML report's sections, laid out for print
(`render_run_report(printed=True)`: static charts, the per-second table
open), with plotly inline so that nothing is fetched. Chromium draws the
charts and prints the page to PDF; the charts come out as vector images.

The browser is LOADFORGE_CHROMIUM when set, else the first of CHROMIUM_NAMES
on the PATH. It runs with a throwaway profile and none of its background
connections; as root it needs --no-sandbox, since its sandbox refuses to
start there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from loadforge.errors import BrowserMissingError, ReportError

__all__ = ["CHROMIUM_NAMES", "PDF_FILE", "find_chromium", "print_to_pdf"]

PDF_FILE = "report.pdf"

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

PRINT_SECONDS = 120.0
"""How long Chromium may take to draw and print a report before it is given up."""

# The page is laid out at this width, which fits an A4 or Letter page's
# printable width, so that the charts drawn at it are not cut at the margin.
_WINDOW = "--window-size=760,1100"
_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    # Time for plotly to draw every chart before the page is printed.
    "--virtual-time-budget=20000",
    _WINDOW,
)

MISSING = (
    "A PDF report is printed by headless Chromium, and none was found: install Chromium"
    " (Debian or Ubuntu: `apt-get install chromium`, which `make browser` runs; macOS:"
    " `brew install --cask chromium`), or set LOADFORGE_CHROMIUM to the path of a"
    " Chromium-based browser such as Google Chrome."
)


def find_chromium() -> str:
    """The browser that prints PDFs; BrowserMissingError (exit 2) naming what to install."""
    named = os.environ.get("LOADFORGE_CHROMIUM")
    if named:
        if Path(named).is_file() and os.access(named, os.X_OK):
            return named
        raise BrowserMissingError(
            f"LOADFORGE_CHROMIUM is {named!r}, which is not a program. {MISSING}"
        )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise BrowserMissingError(MISSING)


def print_to_pdf(html: str, pdf: Path, *, chromium: str | None = None) -> Path:
    """Print an HTML page to `pdf` with headless Chromium; ReportError when it fails."""
    browser = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="loadforge-pdf-") as scratch:
        page = Path(scratch) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(scratch) / PDF_FILE
        command = [
            browser,
            *_FLAGS,
            *(("--no-sandbox",) if _is_root() else ()),
            f"--user-data-dir={Path(scratch) / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, timeout=PRINT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"{browser} did not print the report within {PRINT_SECONDS:.0f} s."
            ) from None
        except OSError as exc:
            raise BrowserMissingError(f"{browser} cannot be started ({exc}). {MISSING}") from None
        if not _is_pdf(printed):
            tail = "\n".join(finished.stderr.strip().splitlines()[-5:])
            raise ReportError(
                f"{browser} exited {finished.returncode} without printing the report to PDF"
                + (f":\n{tail}" if tail else ".")
            )
        pdf.parent.mkdir(parents=True, exist_ok=True)
        partial = pdf.with_name(pdf.name + ".partial")
        shutil.move(printed, partial)
        os.replace(partial, pdf)
    return pdf


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
