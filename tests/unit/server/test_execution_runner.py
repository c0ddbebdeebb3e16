"""The child's side without a child: jobs that end before any load, and the console's end line."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from loadforge.server.contract import RunEnding, RunState
from loadforge.server.execution.protocol import Log, decode
from loadforge.server.execution.runner import Channel, LogForwarder, StopFlag, end_line, run_job
from loadforge.server.execution.spec_scenario import DESCRIPTION_VARIABLE
from server_runs import request_job, run_summary

URL = "http://127.0.0.1:9/anything"


def test_an_invalid_profile_fails_before_any_load(tmp_path: Path) -> None:
    job = request_job(1, tmp_path, URL, profile={"users": -1})
    ending = run_job(job, Channel(io.BytesIO()), StopFlag(), {})

    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "load_profile.users" in ending.error
    assert ending.summary is None


def test_a_stop_before_the_load_starts_ends_stopped_without_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_job exports the request description for its worker processes: undo it afterwards.
    monkeypatch.delenv(DESCRIPTION_VARIABLE, raising=False)
    stop = StopFlag()
    stop.requested = True
    ending = run_job(request_job(2, tmp_path, URL), Channel(io.BytesIO()), stop, {})

    assert ending == RunEnding(RunState.STOPPED)


def test_the_end_line_gives_numbers_or_the_reason() -> None:
    completed = RunEnding(RunState.COMPLETED, summary=run_summary(10, errors=1, rps=3.333))

    assert end_line(completed) == "Ended completed: 10 requests, 1 failed, 3.3 req/s"
    assert end_line(RunEnding(RunState.FAILED, error="boom")) == "Ended failed: boom"
    assert end_line(RunEnding(RunState.STOPPED)) == "Ended stopped"


def test_python_warnings_become_console_lines() -> None:
    stream = io.BytesIO()
    logger = logging.getLogger("loadforge.test.forwarding")
    handler = LogForwarder(Channel(stream))
    logger.addHandler(handler)
    try:
        logger.info("not shown")
        logger.warning("pool %s is full", "p1")
    finally:
        logger.removeHandler(handler)

    assert [decode(line) for line in stream.getvalue().splitlines(keepends=True)] == [
        Log("WARNING loadforge.test.forwarding: pool p1 is full")
    ]
