"""Scripted connections for the client's unit tests: no sockets.

Each scripted connection answers a request with what the test's `server`
function returns for it: response bytes, or None to close the connection
without answering. Real servers are in tests/integration/http.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from loadforge.http import ConnectionPool, HttpClient
from loadforge.http._connection import HttpConnection
from loadforge.http._urls import Origin

Server = Callable[[bytes], bytes | None]
"""Answers a request (its bytes) with response bytes, or None to close instead."""


class Recorder(Protocol):
    """What tests read from the `recorder` fixture (a list-keeping RequestRecorder)."""

    records: list[tuple[str, str, int, int, int, str | None]]
    failures: list[tuple[str, int, str]]
    checks: list[tuple[str, str, bool, str | None]]
    groups: list[tuple[str, int]]

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        """Count one request."""

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Turn a success into a failure."""

    def count_iterations(self, count: int) -> None:
        """Calls are not counted here."""

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """Count a task exception."""

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """Count a check."""

    def record_group(self, group: str, duration_us: int) -> None:
        """Count a group block."""

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Timings are not asserted on here."""

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Timings are not asserted on here."""


def ok(body: bytes = b"ok", extra: bytes = b"") -> bytes:
    """A 200 response with `body` and `extra` header lines."""
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def redirect(status: int, location: bytes) -> bytes:
    """A redirect response to `location`."""
    return b"HTTP/1.1 %d Redirect\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % (status, location)


class ScriptedTransport(asyncio.Transport):
    """Hands each write to the pool's `server` and delivers its answer next iteration."""

    def __init__(self, connection: ScriptedConnection) -> None:
        super().__init__()
        self._connection = connection
        self._lost = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Hand the request to the pool's server and schedule its answer."""
        self._connection.pool.requests.append(bytes(data))
        answer = self._connection.pool.server(bytes(data))
        loop = asyncio.get_running_loop()
        if answer is None:
            self.close()
        else:
            loop.call_soon(self._connection.data_received, answer)

    def close(self) -> None:
        """Report the connection lost on the next iteration."""
        if not self._lost:
            self._lost = True
            asyncio.get_running_loop().call_soon(self._connection.connection_lost, None)

    def abort(self) -> None:
        """Same as close."""
        self.close()


class ScriptedConnection(HttpConnection):
    """A connection that 'connects' to a `ScriptedTransport`, or fails as told."""

    pool: ScriptedPool

    async def connect(self, time_limit: float) -> None:
        """Attach a scripted transport, or raise the pool's connect error."""
        self.pool.connects += 1
        if self.pool.connect_error is not None:
            self.state = self.state.CLOSED
            raise self.pool.connect_error
        self.connection_made(ScriptedTransport(self))


@dataclass(eq=False, repr=False)
class ScriptedPool(ConnectionPool):
    """A pool of scripted connections that counts connects and keeps every request."""

    server: Server = field(default=lambda request: ok())
    limit: int = 10
    connect_error: OSError | None = None
    requests: list[bytes] = field(default_factory=list)
    connects: int = 0

    def __post_init__(self) -> None:
        super().__init__(max_connections=self.limit)

    def _new_connection(self, origin: Origin) -> HttpConnection:
        connection = ScriptedConnection(
            origin,
            ssl_context=self.tls_context,
            keepalive_expiry=60.0,
            on_closed=self._connection_closed,
        )
        connection.pool = self
        return connection


def client_for(pool: ScriptedPool, recorder: Recorder, **kwargs: object) -> HttpClient:
    """A client for http://api.test/v1 on `pool`."""
    return HttpClient(base_url="http://api.test/v1", pool=pool, recorder=recorder, **kwargs)  # type: ignore[arg-type]
