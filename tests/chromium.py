"""Where the browser tests find Chromium, and the flags it needs on this kind of machine.

`make browser` installs Debian's /usr/bin/chromium; LOADFORGE_CHROMIUM names
another Chromium-based browser (the GitHub workflow points it at the
runner's Chrome). Missing, the browser tests skip on a developer's machine
and fail under CI, where a skip would hide that nothing was checked.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LOADFORGE_CHROMIUM", "/usr/bin/chromium")

# Headless as root (--no-sandbox), and none of the background connections
# that a machine without internet access refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_executable() -> str:
    """The browser to launch; skips the test (fails it under CI) when there is none."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        message = f"{CHROMIUM} is missing; `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return executable
