"""Translating exceptions from the layers below into metric error types."""

from __future__ import annotations

import errno
import socket
import ssl

import pytest

from loadforge.http._errors import TransportFailure, error_type_of


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (TransportFailure("protocol_error"), "protocol_error"),
        (TimeoutError(), "timeout"),
        (ssl.SSLCertVerificationError("bad cert"), "tls_error"),
        (ssl.SSLError("handshake"), "tls_error"),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "dns_error"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), "connection_refused"),
        (ConnectionResetError(), "connection_reset"),
        (BrokenPipeError(), "connection_reset"),
        (ConnectionAbortedError(), "connection_reset"),
        (OSError(errno.ECONNREFUSED, "refused"), "connection_refused"),
        (OSError(errno.ECONNRESET, "reset"), "connection_reset"),
        (OSError(errno.ETIMEDOUT, "timed out"), "timeout"),
        (
            OSError(
                "Multiple exceptions: [Errno 111] Connect call failed ('::1', 1), [Errno 111] x"
            ),
            "connection_refused",
        ),
        (OSError(errno.EHOSTUNREACH, "no route"), "connection_error"),
        (ValueError("odd"), "ValueError"),
    ],
)
def test_exceptions_map_to_stable_error_types(exc: BaseException, expected: str) -> None:
    assert error_type_of(exc) == expected


def test_a_transport_failure_says_whether_a_retry_is_safe() -> None:
    failure = TransportFailure("connection_reset", retryable=True)
    assert failure.retryable
    assert str(failure) == "connection_reset"
    assert not TransportFailure("timeout").retryable
