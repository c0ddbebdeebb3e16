"""schemathesis against the served OpenAPI: no failure of any kind, and no 5xx on PostgreSQL.

`test_every_check_passes` runs schemathesis' own command line, `--checks all`
with a fixed seed and a bounded number of examples per operation (about 700
cases, some 15 s on two cores), against the app served by uvicorn on a
loopback port with a FakeExecutor: every phase (examples, coverage, fuzzing,
stateful) and every check, the schema's agreement with the server included.
`schemathesis.toml` beside this file holds its one tolerance and says why.

The other two drive the operations with hypothesis directly, over HTTP to
the same server (schemathesis' pytest plugin does not load under pytest 9):
valid inputs on SQLite and on
PostgreSQL, which refuses what SQLite lets through (NUL characters, ids past
its integer range), and invalid ones on SQLite, checking for server errors.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from integration.server.harness import FakeExecutor
from loadforge.server.api import create_app
from loadforge.server.contract import RunSink
from loadforge.server.settings import ServerSettings
from server_harness import free_port

EXAMPLES = 10
SEED = 20261202
CONFIG = Path(__file__).with_name("schemathesis.toml")
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


def _app(settings: ServerSettings) -> Any:
    def factory(sink: RunSink) -> FakeExecutor:
        return FakeExecutor(sink, max_concurrent=2)

    return create_app(settings, executor_factory=factory)


@contextmanager
def _served(settings: ServerSettings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread of this process."""
    port = free_port()
    config = uvicorn.Config(
        _app(settings), host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(20)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_check_passes(settings: ServerSettings, tmp_path: Path) -> None:
    with _served(settings) as url:
        assert httpx.get(f"{url}/openapi.json").status_code == 200
        done = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG),
             "--no-color", "run", f"{url}/openapi.json", "--checks", "all",
             "--seed", str(SEED), "--max-examples", str(EXAMPLES), "--workers", "1",
             "--report-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=300, check=False,
            cwd=tmp_path,  # its cache of found failures, .schemathesis/, starts empty each time
        )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-20_000:]
    assert "failure" not in output.split("SUMMARY")[-1], output[-5_000:]
    assert re.search(r"\d+ generated, \d+ passed", output), output[-5_000:]


def test_valid_inputs(settings: ServerSettings) -> None:
    with _served(settings) as url:
        _check_every_operation(schemathesis.openapi.from_url(f"{url}/openapi.json"), POSITIVE)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_invalid_inputs(settings: ServerSettings) -> None:
    with _served(settings) as url:
        _check_every_operation(schemathesis.openapi.from_url(f"{url}/openapi.json"), NEGATIVE)


def _check_every_operation(schema: schemathesis.BaseSchema, mode: GenerationMode) -> None:
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        check()
