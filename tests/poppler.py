"""Where the PDF tests find poppler's pdftoppm and pdftotext (`make poppler` installs them).

Missing, the PDF tests skip on a developer's machine and fail under CI, where
a skip would hide that nothing was checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def poppler_tool(name: str) -> str:
    """The path of a poppler tool; skips the test (fails it under CI) when it is missing."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is missing; `make poppler` installs Debian's poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def first_page_png(pdf: Path, directory: Path) -> Path:
    """Render the PDF's first page with pdftoppm; the PNG it wrote."""
    prefix = directory / "page"
    subprocess.run(
        [poppler_tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
         str(pdf), str(prefix)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return prefix.with_suffix(".png")


def pdf_text(pdf: Path) -> str:
    """The PDF's text, as pdftotext reads it."""
    finished = subprocess.run(
        [poppler_tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return finished.stdout
