"""Threshold outcomes kept in result.json, next to the result they judged.

They go under a top-level `thresholds` key, which `TestResult.from_dict`
ignores, so result files stay readable by every LoadForge version that
reads their format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object
from loadforge.metrics.models import TestResult
from loadforge.results.writer import RESULT_FILE, write_atomically
from loadforge.thresholds.model import ThresholdOutcome

THRESHOLDS_KEY = "thresholds"


def result_document(result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> dict[str, object]:
    """result.json's content: the result plus its threshold outcomes."""
    return {**result.to_dict(), THRESHOLDS_KEY: [outcome.to_dict() for outcome in outcomes]}


def write_result_json(
    directory: Path, result: TestResult, outcomes: Sequence[ThresholdOutcome]
) -> None:
    """Rewrite result.json (atomically) with the threshold outcomes included."""
    text = json.dumps(result_document(result, outcomes), indent=2) + "\n"
    write_atomically(directory / RESULT_FILE, text)


def read_outcomes(directory: Path) -> tuple[ThresholdOutcome, ...]:
    """The threshold outcomes stored in a run's result.json (none when it has none)."""
    path = directory / RESULT_FILE
    try:
        document = as_object(json.loads(path.read_text(encoding="utf-8")), "Result")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultFormatError(f"{path} cannot be read ({exc}).") from exc
    stored = document.get(THRESHOLDS_KEY, [])
    if not isinstance(stored, list):
        raise ResultFormatError(f"{path} field '{THRESHOLDS_KEY}' should be a list.")
    try:
        return tuple(ThresholdOutcome.from_dict(as_object(item, "Threshold")) for item in stored)
    except ResultFormatError as exc:
        raise ResultFormatError(f"{path} is not a valid LoadForge result: {exc}") from exc
