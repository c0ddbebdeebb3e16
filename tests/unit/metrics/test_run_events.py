"""Run events (a lost worker) round-trip through result.json; old results without them load."""

from __future__ import annotations

import dataclasses
import json

import pytest

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.models import RunEvent, RunEventKind, TestResult
from unit.metrics.test_models import sample_result


def test_events_and_worker_count_round_trip() -> None:
    event = RunEvent(
        timestamp=1.5e9,
        elapsed_seconds=2.25,
        kind=RunEventKind.WORKER_LOST,
        worker_id=1,
        cause="killed",
    )
    result = dataclasses.replace(sample_result(), events=[event], workers=2)

    document = json.loads(json.dumps(result.to_dict()))
    again = TestResult.from_dict(document)

    assert document["events"][0]["kind"] == "worker_lost"
    assert again.events == [event]
    assert again.events[0].kind is RunEventKind.WORKER_LOST
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


def test_an_unknown_event_kind_is_a_format_error() -> None:
    event = {"timestamp": 1.0, "elapsed_seconds": 1.0, "kind": "eclipse", "worker_id": 0}
    document = {**sample_result().to_dict(), "events": [{**event, "cause": "moon"}]}
    with pytest.raises(ResultFormatError, match="'kind' is 'eclipse'; expected one of worker_lost"):
        TestResult.from_dict(document)
