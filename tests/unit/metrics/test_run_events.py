"""Run events (a lost worker) round-trip through result.json; old results without them load."""

from __future__ import annotations

import dataclasses
import json

import pytest

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.models import RunEvent, TestResult
from unit.metrics.test_models import sample_result


def test_events_and_worker_count_round_trip() -> None:
    event = RunEvent(
        timestamp=1.5e9, elapsed_seconds=2.25, kind="worker_lost", worker_id=1, cause="killed"
    )
    result = dataclasses.replace(sample_result(), events=[event], workers=2)

    again = TestResult.from_dict(json.loads(json.dumps(result.to_dict())))

    assert again.events == [event]
    assert again.workers == 2


def test_results_written_before_events_existed_still_load() -> None:
    document = sample_result().to_dict()
    del document["events"]
    del document["workers"]

    again = TestResult.from_dict(document)

    assert again.events == []
    assert again.workers == 1


def test_malformed_events_are_format_errors() -> None:
    document = sample_result().to_dict()
    document["events"] = {"not": "a list"}
    with pytest.raises(ResultFormatError, match="'events' should be a list"):
        TestResult.from_dict(document)
