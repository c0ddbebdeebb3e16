"""How failures below HTTP become error types in the metrics.

A failed request is data, not an exception: the client turns every
transport failure into a short, stable error type (``timeout``,
``connection_refused``...) that the metrics count and the report shows.
This module is the one place where exceptions from asyncio, the socket
layer, ssl and httptools are translated. The few errors that do reach
scenario code derive from `LoadForgeError`.
"""

from __future__ import annotations

import errno
import socket
import ssl

from loadforge.errors import LoadForgeError

__all__ = [
    "InvalidJSONError",
    "PoolClosedError",
    "TransportFailure",
    "WebSocketClosed",
    "WebSocketError",
    "error_type_of",
]


class TransportFailure(Exception):
    """A request that got no complete response; `kind` is its error type in the metrics.

    `retryable` is set when a reused keep-alive connection closed before any
    byte of the response arrived: the server dropped an idle connection just
    as the request went out, and an idempotent request may safely be sent
    again on a fresh connection.
    """

    def __init__(self, kind: str, *, retryable: bool = False) -> None:
        super().__init__(kind)
        self.kind = kind
        self.retryable = retryable


class InvalidJSONError(LoadForgeError, ValueError):
    """`Response.json()` was called on a body that is not JSON."""


class PoolClosedError(LoadForgeError):
    """A request was started on a connection pool that was already closed."""


class WebSocketError(LoadForgeError):
    """A WebSocket conversation could not go on: its handshake failed or it is closed.

    The cause is already counted in the metrics (under the conversation's
    name); the exception ends the task's iteration, as any exception does.
    """

    def __init__(self, message: str, error: str) -> None:
        super().__init__(message)
        self.error = error


class WebSocketClosed(WebSocketError):
    """The conversation is closed: by the peer (with `code`), or by the task itself."""

    def __init__(self, message: str, error: str, code: int | None) -> None:
        super().__init__(message, error)
        self.code = code


def error_type_of(exc: BaseException) -> str:
    """The metrics error type for an exception raised while connecting or exchanging."""
    if isinstance(exc, TransportFailure):
        return exc.kind
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ssl.SSLError):
        return "tls_error"
    if isinstance(exc, socket.gaierror):
        return "dns_error"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return "connection_reset"
    if isinstance(exc, OSError):
        return _os_error_type(exc)
    return type(exc).__name__


def _os_error_type(exc: OSError) -> str:
    if exc.errno == errno.ECONNREFUSED:
        return "connection_refused"
    if exc.errno in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED):
        return "connection_reset"
    if exc.errno in (errno.ETIMEDOUT,):
        return "timeout"
    # asyncio reports a host whose every address refused as one OSError
    # without errno: "Multiple exceptions: [Errno 111] Connect call failed ...".
    message = str(exc)
    if message.startswith("Multiple exceptions") and f"[Errno {errno.ECONNREFUSED}]" in message:
        return "connection_refused"
    return "connection_error"
