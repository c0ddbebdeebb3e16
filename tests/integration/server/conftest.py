"""Fixtures for the server's API tests: the app on SQLite and on PostgreSQL, a fake executor.

`database_url` is parametrized: every test that uses it runs on a SQLite file
and on a fresh database of a PostgreSQL server started once per session
(tests/postgres.py). `serve` builds an app with a FakeExecutor and yields a
`Served` bundle: a TestClient (lifespan running) and the executor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from integration.server.harness import FakeExecutor, Serve, Served, TestClient
from loadforge.server.api import create_app
from loadforge.server.contract import RunSink
from loadforge.server.settings import ServerSettings
from postgres import PostgresServer, require_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session."""
    server = PostgresServer(require_postgres())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None (SQLite in the data directory) or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> ServerSettings:
    """Loopback settings over a temporary data directory."""
    return ServerSettings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def serve(settings: ServerSettings) -> Iterator[Serve]:
    """Start apps (with FakeExecutors) over `settings` changed by keyword; closed at the end."""
    stack: list[TestClient] = []

    def start(**changes: object) -> Served:
        chosen = replace(settings, **changes)  # type: ignore[arg-type]
        executors: list[FakeExecutor] = []

        def factory(sink: RunSink) -> FakeExecutor:
            executors.append(FakeExecutor(sink, chosen.max_concurrent_runs))
            return executors[0]

        client = TestClient(create_app(chosen, executor_factory=factory))
        client.__enter__()
        stack.append(client)
        return Served(client, executors[0], chosen)

    try:
        yield start
    finally:
        for client in reversed(stack):
            client.__exit__(None, None, None)


@pytest.fixture
def served(serve: Serve) -> Served:
    """The app with default settings."""
    return serve()
