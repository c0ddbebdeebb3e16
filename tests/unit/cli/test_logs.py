"""JSON logs: each logging record and each progress second is one object on one line."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from rich.console import Console

from loadforge.cli.live_view import JsonView
from loadforge.cli.logs import JsonFormatter, LogFormat
from loadforge.errors import ConfigError
from sample_runs import normal_run


def _record(message: str, exc_info: object = None) -> logging.LogRecord:
    record = logging.LogRecord("loadforge.engine", logging.WARNING, "f.py", 1, message, (), None)
    if exc_info is not None:
        record.exc_info = exc_info  # type: ignore[assignment]
    record.created = 1_700_000_000.25
    return record


def test_a_record_is_one_object_with_time_level_logger_and_message() -> None:
    line = JsonFormatter().format(_record("worker 1 lost"))
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2023-11-14T22:13:20.250Z",
        "level": "warning",
        "logger": "loadforge.engine",
        "message": "worker 1 lost",
    }


def test_an_exception_travels_inside_the_object() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        line = JsonFormatter().format(_record("failed", sys.exc_info()))
    entry = json.loads(line)
    assert "ValueError: bad" in entry["exception"]
    assert len(line.splitlines()) == 1


def test_each_second_is_one_object_with_the_figures_under_their_names() -> None:
    console = Console(file=io.StringIO(), width=40)
    view = JsonView(console, duration=3)
    for snapshot in normal_run().snapshots:
        view.on_snapshot(snapshot)
    view.notice("SIGTERM: stopping gracefully")
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    entries = [json.loads(line) for line in lines]
    assert [entry["logger"] for entry in entries] == ["loadforge.progress"] * 3 + ["loadforge.run"]
    last = entries[2]
    assert (last["requests"], last["errors"], last["total_requests"]) == (12, 2, 33)
    assert last["target_users"] == 2
    assert last["message"].startswith("[0:03/0:03] users 2/2")
    assert entries[3]["level"] == "warning"
    assert entries[3]["message"] == "SIGTERM: stopping gracefully"


def test_an_unknown_log_format_is_a_config_error() -> None:
    assert LogFormat.parse("JSON") is LogFormat.JSON
    with pytest.raises(ConfigError, match="'text' or 'json'"):
        LogFormat.parse("xml")
