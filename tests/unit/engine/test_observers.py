"""Telling observers: each one hears, and one that raises is logged without stopping the rest."""

from __future__ import annotations

import logging

import pytest

from loadforge.engine.lifecycle import RunPhase
from loadforge.engine.observers import FINAL_STATES, notify
from loadforge.metrics.models import RunStatus


def test_every_observer_hears_even_after_one_raised(caplog: pytest.LogCaptureFixture) -> None:
    heard: list[tuple[str, RunPhase]] = []

    def broken(state: RunPhase) -> None:
        raise RuntimeError("view gone")

    with caplog.at_level(logging.ERROR, logger="loadforge.engine.observers"):
        notify(
            [lambda s: heard.append(("first", s)), broken, lambda s: heard.append(("last", s))],
            RunPhase.RUNNING,
            "state",
        )

    assert heard == [("first", RunPhase.RUNNING), ("last", RunPhase.RUNNING)]
    [record] = caplog.records
    assert record.getMessage().startswith("state observer <function")
    assert record.exc_info is not None


def test_every_way_of_ending_has_its_final_state() -> None:
    assert {status: FINAL_STATES[status] for status in RunStatus} == {
        RunStatus.COMPLETED: RunPhase.COMPLETED,
        RunStatus.INTERRUPTED: RunPhase.INTERRUPTED,
        RunStatus.FAILED: RunPhase.FAILED,
    }
