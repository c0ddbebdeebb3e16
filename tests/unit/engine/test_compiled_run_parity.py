"""A run on canned responses counts the same on the compiled and the pure-Python path.

`tests/canned_run.py` runs virtual users through the client and the
collector on a counting clock, so its counts, status classes, checks and
latency histograms are the same from run to run; here it runs once per
path and the two outputs must match.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from loadforge.extensions import NO_EXTENSIONS_VARIABLE

CANNED_RUN = Path(__file__).resolve().parents[2] / "canned_run.py"


def _run(pure: bool) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != NO_EXTENSIONS_VARIABLE}
    if pure:
        environ[NO_EXTENSIONS_VARIABLE] = "1"
    done = subprocess.run(
        [sys.executable, str(CANNED_RUN), "400"],
        capture_output=True, text=True, timeout=120, env=environ, check=True,
    )  # fmt: skip
    counted: dict[str, object] = json.loads(done.stdout)
    return counted


def test_both_paths_count_a_canned_run_alike() -> None:
    compiled, pure = _run(pure=False), _run(pure=True)

    assert compiled.pop("path") == "request path: compiled (Cython)"
    assert pure.pop("path") == "request path: pure Python (LOADFORGE_NO_EXTENSIONS=1)"
    assert compiled == pure
    endpoints = compiled["endpoints"]
    assert isinstance(endpoints, dict)
    assert endpoints["home"]["errors_by_status"].keys() == {"200", "404", "503"}
    assert sum(endpoint["requests"] for endpoint in endpoints.values()) >= 400
