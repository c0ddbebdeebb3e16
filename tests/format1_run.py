"""The results directory a run of format 1 wrote, committed under tests/fixtures/format1_run.

LoadForge 0.1 wrote it before the run figures got one name each (result.json
`result_format: 1`, snapshots with `total_requests`, `requests_per_second`,
`total_errors`): `loadforge run` of `scenario.py.txt` there, 2 users for 3 s at
8 requests/s against `loadforge target`, with two thresholds. Tests read it
(or a copy) to check that every reader still opens such files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FORMAT1_RUN = Path(__file__).parent / "fixtures" / "format1_run"
SERVER_ROWS = Path(__file__).parent / "fixtures" / "server_v0001_rows.json"

REQUESTS = 25
ERRORS = 6
SECONDS = 3


def format1_document() -> dict[str, object]:
    """The fixture's result.json, decoded."""
    document = json.loads((FORMAT1_RUN / "result.json").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def copy_format1_run(destination: Path) -> Path:
    """A writable copy of the fixture's directory, at `destination`."""
    shutil.copytree(FORMAT1_RUN, destination)
    return destination
