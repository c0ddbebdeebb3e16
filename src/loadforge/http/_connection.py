"""One HTTP/1.1 connection: an asyncio Protocol that parses responses with httptools.

This is the hot path. The protocol passes itself to `httptools.HttpResponseParser`
(as uvicorn's server protocol does), so llhttp calls straight back into the
parser callbacks below. There is no `on_header` callback: the head is kept
as the raw bytes that arrived (see `_response_head`). One future per request
is resolved in `on_message_complete`, which is also where the clock stops
(the last body byte).

The pool sees a connection only through yes/no questions (`is_available`,
`is_reusable`, `is_closed`); the client drives it with `connect`,
`send` and `abort`, and after the future resolves reads `status`,
`head_chunks`, `body_chunks`, `nbytes`, `first_byte_at` and `finished_at`,
which stay valid until the next `send`. `first_byte_at` (the first bytes of
a response, for time to first byte) is stamped only when the client set
`stamps_first_byte` for that request; `opening_s` (DNS, TCP, TLS) and
their sum `connecting_s` are stamped once, when the connection opens.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Callable
from enum import IntEnum
from time import perf_counter
from typing import cast

import httptools

from loadforge import extensions
from loadforge.http._errors import TransportFailure
from loadforge.http._response_head import final_head, parse_fields
from loadforge.http._target_policy import TargetPolicy
from loadforge.http._urls import Origin

__all__ = ["ACTIVE", "CLOSED", "IDLE", "NEW", "ConnectionState", "HttpConnection"]


class ConnectionState(IntEnum):
    """Where a connection is in its life."""

    NEW = 0  # created by the pool, not connected yet
    ACTIVE = 1  # a request is in flight
    IDLE = 2  # connected, ready for the next request
    CLOSED = 3  # closed by either side; never handed out again


# The members as module globals: reading `ConnectionState.IDLE` goes through
# the Enum class and costs 76 ns in CPython 3.11, a global 7 ns, and a
# request checks or sets the state six times (timeit).
NEW, ACTIVE, IDLE, CLOSED = ConnectionState


class HttpConnection:
    """A keep-alive HTTP/1.1 connection to one origin, one request at a time.

    An `asyncio.Protocol` without deriving from it, so that Cython can build it as an
    extension type with C fields (`_connection.pxd`); it supplies the three methods
    the base would (`eof_received`, `pause_writing`, `resume_writing`).
    """

    def __init__(
        self,
        origin: Origin,
        *,
        ssl_context: Callable[[], ssl.SSLContext],
        keepalive_expiry: float,
        on_closed: Callable[[HttpConnection], None],
        target_policy: TargetPolicy | None = None,
    ) -> None:
        # Lifetime: the connection.
        self.origin = origin
        self.state = NEW
        self.requests_sent = 0
        self.idle_since = 0.0
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._on_closed = on_closed
        self._target_policy = target_policy
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._parser_spent = False
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._deadline = 0.0
        self.connecting_s = 0.0  # how long `connect` took in all: DNS, TCP and TLS
        # Its parts: resolving the name (None for an address), the TCP connect,
        # the TLS handshake (None for http). One attribute, not three: at 30
        # attributes CPython 3.11 stops sharing the instance dict's keys, and
        # every request read the connection's attributes slower
        # (engine_instructions.py: +2,000 instructions a request).
        self.opening_s: tuple[float | None, float, float | None] = (None, 0.0, None)

        # Lifetime: one request/response exchange (reset by `send`).
        self._waiter: asyncio.Future[None] | None = None
        self._is_head = False
        self.head_chunks: list[bytes] = []  # the chunks received until the head was complete
        self.head_tail = 0  # body bytes at the end of the last of them
        self.interim = 0  # 1xx responses before the final one
        self.status = 0
        self.body_chunks: list[bytes] = []
        self.nbytes = 0
        self.first_byte_at = 0.0  # perf_counter time of the response's first bytes
        # Whether to stamp `first_byte_at`: set by the client before each send,
        # so a request that records no timings pays no clock call for it.
        self.stamps_first_byte = False
        self.finished_at = 0.0

    def __repr__(self) -> str:
        return f"<HttpConnection {self.origin} {self.state.name} requests={self.requests_sent}>"

    # -- What the pool asks ------------------------------------------------------

    def is_available(self) -> bool:
        """Whether the connection can take a request right now: connected, none in flight."""
        return self.state is IDLE

    def is_reusable(self, now: float) -> bool:
        """Whether it is available and sat idle no longer than the keep-alive expiry.

        One question for both, as the pool asks it on every checkout. `now`
        is a perf_counter time.
        """
        return self.state is IDLE and now - self.idle_since <= self._keepalive_expiry

    def is_closed(self) -> bool:
        """Whether it is closed for good."""
        return self.state is CLOSED

    # -- What the client does ----------------------------------------------------

    async def connect(self, time_limit: float) -> None:
        """Open the TCP (and TLS) connection; raises OSError, ssl.SSLError or TimeoutError."""
        context = self._ssl_context() if self.origin.is_tls else None
        started = perf_counter()
        try:
            await asyncio.wait_for(self._open(context), time_limit)
        except BaseException:
            self.state = CLOSED
            if self._transport is not None:
                self._transport.abort()
            raise
        self.connecting_s = perf_counter() - started

    async def _open(self, context: ssl.SSLContext | None) -> None:
        """Resolve, connect, then shake hands: three steps, each timed on its own.

        The name is resolved here, once, so that a target policy checks the
        very addresses connected to (no second lookup that a rebinding DNS
        server could answer differently), and the TLS handshake runs on the
        connected socket (`start_tls`) so that it is timed apart from the
        TCP connect. Only a new connection pays for the three clock readings.
        """
        host, port = self.origin.host, self.origin.port
        policy = self._target_policy
        if policy is not None and not policy.allows(host, port):
            raise TransportFailure("target_refused")
        addresses, dns = await self._resolve(host, port)
        if policy is not None:
            addresses = [a for a in addresses if policy.allows_address(host, a, port)]
            if not addresses:
                raise TransportFailure("target_refused")
        # The protocol interface without the base class (see the class docstring).
        protocol = cast(asyncio.Protocol, self)
        started = perf_counter()
        for address in addresses[:-1]:
            try:
                await self._loop.create_connection(lambda: protocol, address, port)
                break
            except OSError:
                continue
        else:
            await self._loop.create_connection(lambda: protocol, addresses[-1], port)
        connected = perf_counter()
        tls = None
        if context is not None:
            transport = await self._loop.start_tls(
                cast(asyncio.Transport, self._transport), protocol, context, server_hostname=host
            )
            # uvloop's transports implement asyncio.Transport without subclassing it.
            self._transport = cast(asyncio.Transport, transport)
            tls = perf_counter() - connected
        self.opening_s = (dns, connected - started, tls)

    async def _resolve(self, host: str, port: int) -> tuple[list[str], float | None]:
        """The addresses to try for `host` (itself when it is one, else DNS's answer), and the
        lookup's duration (None when there was none)."""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return [host], None
        started = perf_counter()
        infos = await self._loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        dns = perf_counter() - started
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise OSError(f"{host!r} resolved to no address")
        return addresses, dns

    def send(self, message: bytes, time_limit: float, is_head: bool) -> asyncio.Future[None]:
        """Write one request; the future resolves once its response is complete."""
        if self._parser_spent:
            self._parser = httptools.HttpResponseParser(self)
            self._parser_spent = False
        waiter = self._loop.create_future()
        self._waiter = waiter
        self._is_head = is_head
        self.head_chunks = []
        self.interim = 0
        self.status = 0
        self.body_chunks = []
        self.nbytes = 0
        self.state = ACTIVE
        self.requests_sent += 1
        # One timer per connection, re-armed only when it would fire too late
        # (a shorter per-call timeout), not a call_at/cancel pair per request:
        # that would cost 0.3 us, this a loop.time() call (timeit).
        deadline = self._loop.time() + time_limit
        self._deadline = deadline
        if self._timer is None or self._timer_at > deadline:
            self._arm_timer(deadline)
        self._transport.write(message)  # type: ignore[union-attr]
        return waiter

    def abort(self) -> None:
        """Drop the connection at once, abandoning any request in flight."""
        self._waiter = None
        self.state = CLOSED
        if self._transport is not None:
            self._transport.abort()

    def close(self) -> None:
        """Close the connection gracefully (pool shutdown, eviction)."""
        self.state = CLOSED
        if self._transport is not None:
            self._transport.close()

    # -- asyncio.Protocol ----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Connected: ready for the first request."""
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)
        self.state = IDLE

    def eof_received(self) -> bool | None:
        """The peer stopped sending: None lets the transport close itself."""
        return None

    def pause_writing(self) -> None:
        """The transport's buffer is full: nothing to do, one request is written at a time."""

    def resume_writing(self) -> None:
        """The transport's buffer drained."""

    def data_received(self, data: bytes) -> None:
        """Feed response bytes to the parser; keep those that carry the head."""
        if self._waiter is None:
            # Bytes nobody asked for (a late 408, garbage): the stream can no
            # longer be trusted to line up with our requests.
            self.close()
            return
        reading_head = self.status == 0
        if reading_head:
            if self.stamps_first_byte and not self.head_chunks:
                self.first_byte_at = perf_counter()
            self.head_chunks.append(data)
        body_before = self.nbytes
        try:
            self._parser.feed_data(data)
        except Exception:
            # Whatever the parser rejects (HttpParserError, an unexpected
            # upgrade), the stream cannot be trusted. Not matched by class:
            # imported under a tracer such as coverage, httptools' Cython
            # module raises copies of the classes its package exports.
            self._fail(TransportFailure("protocol_error"))
            self.abort()
            return
        if reading_head:
            self.head_tail = self.nbytes - body_before

    def connection_lost(self, exc: Exception | None) -> None:
        """Closed by either side: end or fail the exchange in flight, tell the pool."""
        self.state = CLOSED
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._waiter is not None:
            if self.status >= 200 and self._reads_until_eof():
                self._complete(False)
            else:
                retryable = not self.head_chunks and self.requests_sent > 1
                self._fail(TransportFailure("connection_reset", retryable=retryable))
        self._on_closed(self)

    # -- httptools parser callbacks ------------------------------------------------

    def on_headers_complete(self) -> None:
        """The head is in: note the status; a HEAD exchange ends here."""
        self.status = self._parser.get_status_code()
        if self._is_head and self.status >= 200:
            # httptools cannot be told that a HEAD response has no body: end
            # the exchange here and give the next request a fresh parser.
            self._parser_spent = True
            self._complete(self._parser.should_keep_alive())

    def on_body(self, body: bytes) -> None:
        """A piece of the body (chunked framing already removed)."""
        self.body_chunks.append(body)
        self.nbytes += len(body)

    def on_message_complete(self) -> None:
        """The last body byte: the exchange is complete (interim 1xx ones are skipped)."""
        if self.status < 200:
            # An interim 1xx response: forget it and wait for the final one.
            self.interim += 1
            self.status = 0
            return
        if self._waiter is not None:
            self._complete(self._parser.should_keep_alive())

    # -- Internals -------------------------------------------------------------------

    def _complete(self, keep_alive: bool) -> None:
        self.finished_at = now = perf_counter()
        waiter = self._waiter
        self._waiter = None
        if keep_alive:
            self.state = IDLE
            self.idle_since = now
        else:
            self.close()
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, failure: TransportFailure) -> None:
        waiter = self._waiter
        self._waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_exception(failure)

    def _reads_until_eof(self) -> bool:
        """Whether the response is delimited by the connection closing (no length, not chunked)."""
        if self._is_head or self.status in (204, 304):
            return False
        block = final_head(self.head_chunks, self.interim)
        framing = (b"content-length", b"transfer-encoding")
        return not any(name.lower() in framing for name, _ in parse_fields(block))

    def _arm_timer(self, deadline: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(deadline, self._on_timer)
        self._timer_at = deadline

    def _on_timer(self) -> None:
        self._timer = None
        if self._waiter is None:
            return
        if self._deadline > self._loop.time():
            self._arm_timer(self._deadline)
            return
        self._fail(TransportFailure("timeout"))
        self.abort()


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
