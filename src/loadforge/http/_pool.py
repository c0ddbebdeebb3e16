"""The connections of one worker process, shared by all its virtual users.

`ConnectionPool` is the asyncio side of the pool: it holds the TLS settings,
turns the decisions of `PoolState` into futures resolved and connections
closed, and makes a request wait (first come, first served) when the
connection limit is reached. The client asks for a connection with the
synchronous `checkout` first, so a request that finds an idle connection
never allocates a future or suspends here.
"""

from __future__ import annotations

import asyncio
import ssl
from time import perf_counter
from typing import Protocol, cast

from loadforge.http._allocation import PoolState, PoolStats
from loadforge.http._connection import HttpConnection
from loadforge.http._errors import PoolClosedError
from loadforge.http._target_policy import TargetPolicy
from loadforge.http._urls import Origin

__all__ = ["ConnectionPool"]

_CLOSED_MESSAGE = (
    "A request was started after its worker's connection pool was closed; requests can only "
    "run while the test runs."
)


class ConnectionBooks(Protocol):
    """The two steps of `PoolState` that each request takes, on this pool's connections."""

    def checkout(self, origin: Origin, now: float) -> HttpConnection | None:
        """A connection for `origin` at once (maybe new and unconnected), or None to wait."""

    def release(self, connection: HttpConnection) -> None:
        """Take a connection back after a request, whatever state it is in."""


class ConnectionPool:
    """Keep-alive connections keyed by (scheme, host, port), at most `max_connections` open.

    One per worker process. `verify=False` turns TLS certificate checks off
    (self-signed staging servers); `ssl_context` replaces the default context
    entirely (e.g. to trust a private CA). `connect_timeout` bounds opening a
    connection, by default the request's own timeout. Idle connections older
    than `keepalive_expiry` seconds are not reused: servers drop idle
    connections on their own schedule and a stale one costs a retry.
    `target_policy` (the server's allowlist) is asked before each connection
    opens and before each redirect hop; None, the default, checks nothing.
    """

    def __init__(
        self,
        *,
        max_connections: int = 100,
        verify: bool = True,
        connect_timeout: float | None = None,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_expiry: float = 60.0,
        target_policy: TargetPolicy | None = None,
    ) -> None:
        self._verify = verify
        self.target_policy = target_policy
        self._ssl_context = ssl_context
        self._connect_timeout = connect_timeout
        self._keepalive_expiry = keepalive_expiry
        # The books hold this pool's connections and waiters only, so what they hand
        # back is narrowed to those types (`PoolState` is not generic; see there).
        self._state = PoolState(
            max_connections=max_connections,
            new_connection=self._new_connection,
            on_work=self._assign,
        )
        self._closed = False
        self.books = cast(ConnectionBooks, self._state)
        """The books themselves, for `Sender`, whose checkouts and releases are then C
        calls on the compiled path."""
        # The pure steps themselves, not wrappers around them: one Python
        # call less twice per request. A closed pool has a limit of zero, so
        # `checkout` finds nothing and `acquire` reports the closure.
        self.checkout = self.books.checkout
        """A connection at once (idle, or new and not yet connected), or None: call `acquire`.

        The second argument is the current `time.perf_counter()`, which the
        caller reads anyway to time the request.
        """
        self.release = self.books.release
        """Give a connection back after a request, whatever state it is in."""

    def __repr__(self) -> str:
        stats = self.stats()
        return f"<ConnectionPool open={stats.open}/{stats.max_connections} idle={stats.idle}>"

    @property
    def connect_timeout(self) -> float | None:
        """The limit on opening one connection, None to use the request's timeout."""
        return self._connect_timeout

    def stats(self) -> PoolStats:
        """Open, idle and waiting counts right now, for the live display."""
        return self._state.stats()

    async def acquire(
        self, origin: Origin, wait_limit: float, *, fresh: bool = False
    ) -> HttpConnection:
        """Wait up to `wait_limit` seconds for a connection; `fresh` never reuses an idle one.

        Raises TimeoutError when none frees up in time.
        """
        if self._closed:
            raise PoolClosedError(_CLOSED_MESSAGE)
        waiter: asyncio.Future[HttpConnection] = asyncio.get_running_loop().create_future()
        self._state.enqueue(origin, waiter, fresh=fresh)
        self._assign()
        try:
            async with asyncio.timeout(wait_limit):
                return await waiter
        except BaseException:
            if not self._state.withdraw(waiter) and _granted(waiter):
                # Served at the very moment we gave up: hand the connection back.
                self._state.release(waiter.result())
            raise

    async def aclose(self) -> None:
        """Close every connection and fail every waiting request."""
        self._closed = True
        connections, waiters = cast(
            tuple[list[HttpConnection], list[asyncio.Future[HttpConnection]]],
            self._state.close_all(),
        )
        self._state.max_connections = 0
        for connection in connections:
            connection.close()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(PoolClosedError(_CLOSED_MESSAGE))
        # Let the transports run their close callbacks before the loop goes away.
        await asyncio.sleep(0)

    def _new_connection(self, origin: Origin) -> HttpConnection:
        return HttpConnection(
            origin,
            ssl_context=self.tls_context,
            keepalive_expiry=self._keepalive_expiry,
            on_closed=self._connection_closed,
            target_policy=self.target_policy,
        )

    def tls_context(self) -> ssl.SSLContext:
        """The TLS settings of this pool's connections (verification as the pool was told)."""
        if self._ssl_context is None:
            context = ssl.create_default_context()
            if not self._verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["http/1.1"])
            self._ssl_context = context
        return self._ssl_context

    def _connection_closed(self, connection: HttpConnection) -> None:
        if self._closed:
            return
        self._state.forget(connection)
        self._assign()

    def _assign(self) -> None:
        state = self._state
        if state.to_close:
            self._close_dropped()
        grants = cast(
            list[tuple[asyncio.Future[HttpConnection], HttpConnection]],
            state.assign(perf_counter()),
        )
        for waiter, connection in grants:
            waiter.set_result(connection)
        if state.to_close:
            self._close_dropped()

    def _close_dropped(self) -> None:
        dropped = cast(list[HttpConnection], self._state.to_close)
        self._state.to_close = []
        for connection in dropped:
            connection.close()


def _granted(waiter: asyncio.Future[HttpConnection]) -> bool:
    return waiter.done() and not waiter.cancelled() and waiter.exception() is None
