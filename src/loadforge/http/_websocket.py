"""A virtual user's WebSocket conversations, recorded in the run's metrics.

Built on the `websockets` library's asyncio implementation (RFC 6455 framing,
masking, fragmentation, ping/pong and the closing handshake are its job, and
it is the best-kept WebSocket library for asyncio). LoadForge adds what a load
test needs around it: the user's headers and cookies on the handshake, the
run's target allowlist (checked by name and by resolved address, redirects
never followed), and measurements.

What is recorded, per conversation name (default ``WS /path``), as requests of
method ``WS`` so that thresholds, reports and exports see them like any other:
- the conversation itself under its name: the handshake's latency, and its
  error when the handshake fails (``connection_refused``, ``timeout``,
  ``http_403``...) or when the peer later closes it with a code other than
  1000 or 1001 (``ws_closed_1011``);
- each timed exchange (`request`) under ``NAME round trip``, and each `ping`
  under ``NAME ping``, with its latency, or ``timeout``.
Messages and bytes sent and received are counted on the `WebSocket` and, when
the conversation ends, added to the run-wide custom metrics k6 users know:
the counters ``ws_msgs_sent``, ``ws_msgs_received``, ``ws_bytes_sent`` and
``ws_bytes_received``, and the trend ``ws_session_duration`` (how long each
conversation was open, in ms), with the same merges, outputs and thresholds
as a scenario's own metrics.

`benchmarks/websocket_echo.py` measures the cost per round trip beside k6:
most of it is the library's (see benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping
from time import perf_counter
from types import TracebackType
from typing import NoReturn

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from loadforge.http._cookies import UserCookieJar
from loadforge.http._errors import WebSocketClosed, WebSocketError, error_type_of
from loadforge.http._target_policy import TargetPolicy
from loadforge.http._urls import Target
from loadforge.http._websocket_metrics import (
    BYTES_RECEIVED,
    BYTES_SENT,
    MESSAGES_RECEIVED,
    MESSAGES_SENT,
    SESSION_DURATION,
)
from loadforge.metrics.recorder import RequestRecorder

__all__ = ["WebSocket", "ws_url"]


# Peer close codes that end a conversation normally (RFC 6455 section 7.4.1).
_NORMAL_CLOSE_CODES = frozenset({1000, 1001})
_SWITCHING_PROTOCOLS = 101


def ws_url(target: Target) -> str:
    """The ws:// or wss:// URL for an http(s) target."""
    scheme = "wss" if target.origin.is_tls else "ws"
    return f"{scheme}{target.url[target.url.index(':') :]}"


class _Connect(connect):
    """`websockets`' connect, never following a redirect (the allowlist checks one URL)."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        """Refuse every redirect: a 3xx handshake is the conversation's error."""
        return exc


class WebSocket:
    """One WebSocket conversation: `send`, `receive`, `request`, `ping`, `close`.

    Made by `HttpClient.websocket` and used as ``async with``: the handshake
    happens on entering, the closing handshake on leaving.
    """

    __slots__ = (
        "_connection",
        "_cookies",
        "_failed",
        "_headers",
        "_opened_at",
        "_policy",
        "_recorder",
        "_subprotocols",
        "_target",
        "_timeout",
        "_tls",
        "bytes_received",
        "bytes_sent",
        "close_code",
        "messages_received",
        "messages_sent",
        "name",
        "url",
    )

    def __init__(
        self,
        target: Target,
        name: str,
        *,
        recorder: RequestRecorder,
        cookies: UserCookieJar,
        headers: Mapping[str, str],
        timeout: float,
        policy: TargetPolicy | None,
        tls: object,
        subprotocols: list[str] | None = None,
    ) -> None:
        # Lifetime: the conversation's settings.
        self.url = ws_url(target)
        self.name = name
        self._target = target
        self._recorder = recorder
        self._cookies = cookies
        self._headers = headers
        self._timeout = timeout
        self._policy = policy
        self._tls = tls
        self._subprotocols = subprotocols
        # Lifetime: the open connection.
        self._connection: ClientConnection | None = None
        self._opened_at = 0.0
        self._failed = False
        self.close_code: int | None = None  # once closed, by either side
        self.messages_sent = 0
        self.messages_received = 0
        self.bytes_sent = 0
        self.bytes_received = 0

    def __repr__(self) -> str:
        state = "open" if self._connection is not None else f"closed={self.close_code}"
        return f"<WebSocket {self.name!r} {self.url} {state}>"

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        return None if self._connection is None else self._connection.subprotocol

    # -- Opening and closing ---------------------------------------------------------

    async def __aenter__(self) -> WebSocket:
        """Open the conversation (the handshake, timed and recorded)."""
        await self._open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the conversation (a normal closing handshake) and count it."""
        await self.close()

    async def _open(self) -> None:
        started = perf_counter()
        try:
            connection = await asyncio.wait_for(self._connect(), self._timeout)
        except InvalidStatus as exc:
            status = exc.response.status_code
            self._handshake_failed(started, status, f"http_{status}")
        except InvalidHandshake:
            self._handshake_failed(started, 0, "ws_handshake_error")
        except _Refused:
            self._handshake_failed(started, 0, "target_refused")
        except (OSError, TimeoutError) as exc:
            self._handshake_failed(started, 0, error_type_of(exc))
        self._connection = connection
        self._opened_at = now = perf_counter()
        self._recorder.record(
            self.name, "WS", _SWITCHING_PROTOCOLS, round((now - started) * 1e6), 0, None
        )
        response = connection.response
        if response is not None:
            set_cookies = response.headers.get_all("Set-Cookie")
            if set_cookies:
                self._cookies.store(self._target.url, set_cookies)

    async def _connect(self) -> ClientConnection:
        headers = dict(self._headers)
        cookie = self._cookies.header_for(self._target.url)
        if cookie is not None:
            headers["Cookie"] = cookie
        origin = self._target.origin
        policy = self._policy
        address = origin.host if policy is None else await self._allowed_address(policy)
        opening = _Connect(
            self.url,
            additional_headers=headers,
            user_agent_header=None,
            subprotocols=self._subprotocols,  # type: ignore[arg-type]
            proxy=None,
            open_timeout=None,
            compression=None,
            ssl=self._tls if origin.is_tls else None,
            host=address,
            port=origin.port,
            server_hostname=origin.host if origin.is_tls else None,
        )
        return await opening

    async def _allowed_address(self, policy: TargetPolicy) -> str:
        """An address of the host that the allowlist allows (the name resolved once, here)."""
        origin = self._target.origin
        if not policy.allows(origin.host, origin.port):
            raise _Refused
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(origin.host, origin.port, type=socket.SOCK_STREAM)
        for info in infos:
            address = str(info[4][0])
            if policy.allows_address(origin.host, address, origin.port):
                return address
        raise _Refused

    def _handshake_failed(self, started: float, status: int, error: str) -> NoReturn:
        self._failed = True
        latency = round((perf_counter() - started) * 1e6)
        self._recorder.record(self.name, "WS", status, latency, 0, error)
        raise WebSocketError(f"The WebSocket handshake with {self.url} failed: {error}", error)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the conversation (idempotent) and count its messages and duration."""
        connection = self._connection
        if connection is None:
            return
        await connection.close(code, reason)
        self.close_code = code
        self._ended()

    def _ended(self) -> None:
        """Forget the connection and add the conversation's counts to the run's metrics."""
        self._connection = None
        MESSAGES_SENT.add(self.messages_sent)
        MESSAGES_RECEIVED.add(self.messages_received)
        BYTES_SENT.add(self.bytes_sent)
        BYTES_RECEIVED.add(self.bytes_received)
        SESSION_DURATION.record((perf_counter() - self._opened_at) * 1000.0)

    # -- The conversation --------------------------------------------------------------

    async def send(self, message: str | bytes) -> None:
        """Send one message: text for `str`, binary for `bytes`."""
        connection = self._open_connection()
        try:
            await connection.send(message)
        except ConnectionClosed as exc:
            self._closed_by_peer(exc)
        self.messages_sent += 1
        self.bytes_sent += _payload_size(message)

    async def receive(self, timeout: float | None = None) -> str | bytes:  # noqa: ASYNC109 - per-call limits, as the HTTP calls take
        """The next message (text as `str`, binary as `bytes`), waiting up to `timeout` seconds.

        Raises `WebSocketClosed` when the peer closes, TimeoutError past the
        timeout (default: the client's).
        """
        connection = self._open_connection()
        try:
            async with asyncio.timeout(self._timeout if timeout is None else timeout):
                message = await connection.recv()
        except ConnectionClosed as exc:
            self._closed_by_peer(exc)
        self.messages_received += 1
        self.bytes_received += _payload_size(message)
        return message

    async def request(self, message: str | bytes, timeout: float | None = None) -> str | bytes:  # noqa: ASYNC109 - per-call limits, as the HTTP calls take
        """Send `message` and wait for the next message: one round trip, timed and recorded.

        Recorded under ``NAME round trip``; a reply that does not come within
        `timeout` is recorded as ``timeout`` and raises TimeoutError.
        """
        started = perf_counter()
        try:
            await self.send(message)
            reply = await self.receive(timeout)
        except TimeoutError:
            self._record_exchange("round trip", started, 0, "timeout")
            raise
        self._record_exchange("round trip", started, _payload_size(reply), None)
        return reply

    async def ping(self, timeout: float | None = None) -> float:  # noqa: ASYNC109 - per-call limits, as the HTTP calls take
        """Send a ping and wait for its pong; return the round trip in milliseconds.

        Recorded under ``NAME ping`` (``timeout`` past `timeout` seconds).
        """
        connection = self._open_connection()
        started = perf_counter()
        try:
            pong = await connection.ping()
            async with asyncio.timeout(self._timeout if timeout is None else timeout):
                latency = await pong
        except TimeoutError:
            self._record_exchange("ping", started, 0, "timeout")
            raise
        except ConnectionClosed as exc:
            self._closed_by_peer(exc)
        self._record_exchange("ping", started, 0, None)
        return latency * 1000.0

    # -- Internals -------------------------------------------------------------------------

    def _open_connection(self) -> ClientConnection:
        if self._connection is None:
            raise WebSocketClosed(
                f"The WebSocket {self.name!r} is closed (code {self.close_code}).",
                "ws_closed",
                self.close_code,
            )
        return self._connection

    def _closed_by_peer(self, exc: ConnectionClosed) -> NoReturn:
        """Count a close the task did not ask for, end the conversation, and raise."""
        frame = exc.rcvd
        code = 1006 if frame is None else frame.code
        error = f"ws_closed_{code}"
        if code not in _NORMAL_CLOSE_CODES and not self._failed:
            self._failed = True
            self._recorder.mark_failed(self.name, _SWITCHING_PROTOCOLS, error)
        self.close_code = code
        self._ended()
        reason = "" if frame is None or not frame.reason else f": {frame.reason}"
        raise WebSocketClosed(
            f"The peer closed the WebSocket {self.name!r} with code {code}{reason}.", error, code
        ) from exc

    def _record_exchange(self, what: str, started: float, nbytes: int, error: str | None) -> None:
        latency = round((perf_counter() - started) * 1e6)
        self._recorder.record(
            f"{self.name} {what}", "WS", _SWITCHING_PROTOCOLS, latency, nbytes, error
        )


def _payload_size(message: str | bytes) -> int:
    """A message's payload bytes: text as UTF-8, as it goes on the wire."""
    return len(message.encode() if isinstance(message, str) else message)


class _Refused(Exception):
    """The allowlist refuses the conversation's host or every address it resolves to."""
