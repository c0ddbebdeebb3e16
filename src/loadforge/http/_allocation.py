"""Which request gets which connection: the pool's decisions, without any I/O.

Kept apart from the asyncio side (as httpcore does) so every allocation rule
can be tested with fake connections and plain objects as waiters:

* idle connections are reused last-in first-out, so the warmest one serves
  next and surplus ones age out;
* expired or closed idle connections are dropped, never handed out;
* below the limit a missing connection is created at once; at the limit an
  idle connection to another origin is evicted to make room, else the
  request waits;
* waiters are served first-in first-out, and nobody overtakes a waiter.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from loadforge import extensions
from loadforge.http._urls import Origin

__all__ = ["PoolState", "PoolStats", "PooledConnection", "Waiter"]


class PooledConnection(Protocol):
    """What the pool may ask a connection: only yes/no questions."""

    @property
    def origin(self) -> Origin:
        """Where the connection goes."""

    def is_available(self) -> bool:
        """Connected, with no request in flight: ready for one."""

    def is_reusable(self, now: float) -> bool:
        """Available, and idle for no longer than the keep-alive expiry."""

    def is_closed(self) -> bool:
        """Closed for good."""


class Waiter(Protocol):
    """A request waiting for a connection (an asyncio future in production)."""

    def done(self) -> bool:
        """True once the waiter was served or gave up."""


@dataclass(frozen=True, slots=True)
class PoolStats:
    """What the pool looks like right now, for the live display and the report."""

    max_connections: int
    open: int  # counted against the limit: connecting, busy or idle
    idle: int
    waiting: int
    opened_total: int

    @property
    def busy(self) -> int:
        """Connections opening or carrying a request."""
        return self.open - self.idle


class PoolState:
    """The pool's books: every open connection, the idle ones per origin, the waiters.

    Not generic over its connection and waiter types: the compiled build makes
    it an extension type (C fields, and C calls for `checkout` and `release`,
    1,500 instructions a request less: benchmarks/README.md), which cannot
    derive from `typing.Generic`. The asyncio side (`ConnectionPool`) narrows
    what it gets back to its own types.
    """

    def __init__(
        self,
        *,
        max_connections: int,
        new_connection: Callable[[Origin], PooledConnection],
        on_work: Callable[[], None] = lambda: None,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.max_connections = max_connections
        self._new_connection = new_connection
        # Called when a release leaves work for the I/O side: waiters that
        # `assign` may now serve, or connections in `to_close`.
        self._on_work = on_work
        self._connections: set[PooledConnection] = set()
        self._idle: dict[Origin, list[PooledConnection]] = {}
        self._waiters: deque[tuple[Origin, bool, Waiter]] = deque()
        self.opened_total = 0
        self.to_close: list[PooledConnection] = []
        """Connections the pool dropped and the caller must close; drained by the caller."""

    @property
    def has_waiters(self) -> bool:
        """Whether any request is queued for a connection."""
        return bool(self._waiters)

    def checkout(self, origin: Origin, now: float) -> PooledConnection | None:
        """A connection for `origin` at once (maybe a new, unconnected one), or None to wait."""
        if self._waiters:
            return None
        stack = self._idle.get(origin)
        if stack:
            # The common case inline: the warmest idle connection is fine.
            connection = stack[-1]
            if connection.is_reusable(now):
                return stack.pop()
        return self._take(origin, now, fresh=False)

    def enqueue(self, origin: Origin, waiter: Waiter, *, fresh: bool = False) -> None:
        """Queue a request for a connection; `fresh` ones skip idle connections."""
        self._waiters.append((origin, fresh, waiter))

    def withdraw(self, waiter: Waiter) -> bool:
        """Take a waiter out of the queue; False when it was not queued (already served)."""
        for entry in self._waiters:
            if entry[2] is waiter:
                self._waiters.remove(entry)
                return True
        return False

    def assign(self, now: float) -> list[tuple[Waiter, PooledConnection]]:
        """Serve waiters in order for as long as connections can be found for them."""
        grants: list[tuple[Waiter, PooledConnection]] = []
        while self._waiters:
            origin, fresh, waiter = self._waiters[0]
            if waiter.done():
                self._waiters.popleft()
                continue
            connection = self._take(origin, now, fresh=fresh)
            if connection is None:
                break
            self._waiters.popleft()
            grants.append((waiter, connection))
        return grants

    def release(self, connection: PooledConnection) -> None:
        """Take a connection back after a request: kept if reusable, forgotten if not."""
        if connection.is_available() and connection in self._connections:
            stack = self._idle.get(connection.origin)
            if stack is None:
                self._idle[connection.origin] = [connection]
            else:
                stack.append(connection)
        else:
            self._connections.discard(connection)
        if self._waiters or self.to_close:
            self._on_work()

    def forget(self, connection: PooledConnection) -> None:
        """Drop a connection that closed, wherever it is."""
        self._connections.discard(connection)
        stack = self._idle.get(connection.origin)
        if stack and connection in stack:
            stack.remove(connection)

    def close_all(self) -> tuple[list[PooledConnection], list[Waiter]]:
        """Empty the books for shutdown: every connection and every waiter."""
        connections = [*self._connections, *self.to_close]
        waiters = [waiter for _, _, waiter in self._waiters]
        self._connections.clear()
        self._idle.clear()
        self._waiters.clear()
        self.to_close = []
        return connections, waiters

    def stats(self) -> PoolStats:
        """Counts for display."""
        return PoolStats(
            max_connections=self.max_connections,
            open=len(self._connections),
            idle=sum(len(stack) for stack in self._idle.values()),
            waiting=sum(1 for _, _, waiter in self._waiters if not waiter.done()),
            opened_total=self.opened_total,
        )

    def _take(self, origin: Origin, now: float, *, fresh: bool) -> PooledConnection | None:
        if not fresh:
            stack = self._idle.get(origin)
            while stack:
                connection = stack.pop()
                if connection.is_reusable(now):
                    return connection
                self._drop(connection)
        if len(self._connections) >= self.max_connections and not self._evict_one():
            return None
        connection = self._new_connection(origin)
        self._connections.add(connection)
        self.opened_total += 1
        return connection

    def _evict_one(self) -> bool:
        # The oldest idle connection of the first origin that has one: at the
        # limit, a connection nobody uses is worth less than a waiting request.
        for stack in self._idle.values():
            if stack:
                self._drop(stack.pop(0))
                return True
        return False

    def _drop(self, connection: PooledConnection) -> None:
        self._connections.discard(connection)
        if not connection.is_closed():
            self.to_close.append(connection)


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
