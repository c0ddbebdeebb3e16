"""Reading a results directory back, for reports, comparisons and the server.

Every failure becomes a ResultFormatError naming the file, so a user who
points LoadForge at the wrong directory learns which file is missing or
broken instead of seeing a traceback.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object
from loadforge.metrics.format1 import is_format1_snapshot, snapshot_from_format1
from loadforge.metrics.models import MetricSnapshot, TestResult
from loadforge.results.writer import RESULT_FILE


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ResultFormatError(
            f"{path} does not exist, so {what} cannot be read; check that the directory is a"
            " LoadForge results directory and that the run got far enough to write it."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultFormatError(f"{path} cannot be read ({exc}).") from exc


def load_result(directory: Path) -> TestResult:
    """The TestResult stored in `directory`'s result.json."""
    path = directory / RESULT_FILE
    text = _read_text(path, "the run's result")
    try:
        return TestResult.from_dict(as_object(json.loads(text), "Result"))
    except json.JSONDecodeError as exc:
        raise ResultFormatError(f"{path} is not valid JSON ({exc}); the file is corrupt.") from exc
    except ResultFormatError as exc:
        raise ResultFormatError(f"{path} is not a valid LoadForge result: {exc}") from exc


def _parse_snapshot(line: str, path: Path, number: int) -> MetricSnapshot:
    try:
        source = as_object(json.loads(line), "Snapshot")
        if is_format1_snapshot(source):
            source = snapshot_from_format1(source)
        return MetricSnapshot.from_dict(source)
    except json.JSONDecodeError as exc:
        raise ResultFormatError(f"{path} line {number} is not valid JSON ({exc}).") from exc
    except ResultFormatError as exc:
        raise ResultFormatError(f"{path} line {number} is not a valid snapshot: {exc}") from exc


def read_snapshots_jsonl(path: Path) -> list[MetricSnapshot]:
    """Every snapshot in a snapshots.jsonl file, in order, whichever format wrote it.

    A final line without its newline is what a run killed mid-write leaves;
    it is dropped when it does not parse. Any other bad line is an error.
    """
    return list(iter_snapshots_jsonl(path))


def iter_snapshots_jsonl(path: Path) -> Iterator[MetricSnapshot]:
    """The snapshots of a snapshots.jsonl file one at a time, as `read_snapshots_jsonl` reads them.

    A 24-hour run's file holds 86,400 lines: read this way, only one of them
    is in memory at a time.
    """
    try:
        stream = path.open(encoding="utf-8", newline="\n")
    except FileNotFoundError:
        _read_text(path, "the run's snapshots")  # raises the error that names the file
        raise
    except OSError as exc:
        raise ResultFormatError(f"{path} cannot be read ({exc}).") from exc
    with stream:
        number = 0
        try:
            for line in stream:
                number += 1
                if not line.endswith("\n"):
                    # A bad unterminated line is the write the kill interrupted.
                    with contextlib.suppress(ResultFormatError):
                        yield _parse_snapshot(line, path, number)
                elif line.strip():
                    yield _parse_snapshot(line, path, number)
        except UnicodeDecodeError as exc:
            raise ResultFormatError(f"{path} cannot be read ({exc}).") from exc
