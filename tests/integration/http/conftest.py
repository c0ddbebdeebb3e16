"""Fixtures for the HTTP client's integration tests: real servers on 127.0.0.1.

Every test runs twice: on asyncio's loop and on uvloop, whose transports and
TLS implementation are separate code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping

import pytest
import uvloop

from integration.http.servers import ListRecorder, Serve, ServerSet
from loadforge.http import ConnectionPool


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Run every async test in this folder on both event loops."""
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start raw servers on 127.0.0.1 (port 0); all are closed when the test ends."""
    servers = ServerSet()
    yield servers.start
    await servers.close()


@pytest.fixture
def recorder() -> ListRecorder:
    """A fresh recorder that lists what it was told."""
    return ListRecorder()


@pytest.fixture
async def pool() -> AsyncIterator[ConnectionPool]:
    """A connection pool, closed after the test."""
    connections = ConnectionPool(max_connections=10)
    yield connections
    await connections.aclose()
