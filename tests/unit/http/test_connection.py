"""The connection protocol fed canned bytes through a fake transport: no sockets."""

from __future__ import annotations

import asyncio
import time

import pytest

from loadforge.http import ConnectionState
from loadforge.http._connection import HttpConnection
from loadforge.http._errors import TransportFailure
from loadforge.http._response_head import final_head
from loadforge.http._set_cookie import sets_cookies
from loadforge.http._urls import Origin

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\n\r\nhello"


class FakeTransport(asyncio.Transport):
    """Keeps what was written; closing reports connection_lost like a real one."""

    def __init__(self, protocol: HttpConnection) -> None:
        super().__init__()
        self.protocol = protocol
        self.written: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Keep the bytes."""
        self.written.append(bytes(data))

    def close(self) -> None:
        """Report a graceful close."""
        self._lose(aborted=False)

    def abort(self) -> None:
        """Report an abort."""
        self._lose(aborted=True)

    def _lose(self, *, aborted: bool) -> None:
        if not (self.closed or self.aborted):
            self.closed, self.aborted = not aborted, aborted
            asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)


class Harness:
    """A connected HttpConnection plus what it told its pool."""

    def __init__(self) -> None:
        self.lost: list[HttpConnection] = []
        self.connection = HttpConnection(
            Origin("http", "a.test", 80),
            ssl_context=lambda: pytest.fail("no TLS here"),
            keepalive_expiry=5.0,
            on_closed=self.lost.append,
        )
        self.transport = FakeTransport(self.connection)
        self.connection.connection_made(self.transport)

    def send(self, time_limit: float = 30.0, *, head: bool = False) -> asyncio.Future[None]:
        """Start an exchange with a minimal GET."""
        return self.connection.send(b"GET / HTTP/1.1\r\n\r\n", time_limit, head)

    def feed(self, *chunks: bytes) -> None:
        """Deliver chunks as the transport would."""
        for chunk in chunks:
            self.connection.data_received(chunk)


@pytest.fixture
async def harness() -> Harness:
    """A connected connection with a fake transport."""
    return Harness()


def body_of(connection: HttpConnection) -> bytes:
    """The body the connection collected."""
    return b"".join(connection.body_chunks)


async def test_a_response_with_a_length_completes_and_the_connection_goes_idle(
    harness: Harness,
) -> None:
    waiter = harness.send()
    assert harness.transport.written == [b"GET / HTTP/1.1\r\n\r\n"]
    assert harness.connection.state is ConnectionState.ACTIVE
    harness.feed(OK)
    assert waiter.done()
    assert waiter.result() is None
    connection = harness.connection
    assert (connection.status, body_of(connection), connection.nbytes) == (200, b"hello", 5)
    assert connection.head_chunks == [OK]
    assert connection.head_tail == 5
    assert sets_cookies(connection.head_chunks, connection.head_tail)
    assert connection.is_available()
    assert connection.state is ConnectionState.IDLE
    assert not connection.is_closed()
    assert connection.idle_since == connection.finished_at


async def test_a_response_split_into_single_bytes_parses_the_same(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(*(OK[i : i + 1] for i in range(len(OK))))
    assert waiter.done()
    connection = harness.connection
    assert body_of(connection) == b"hello"
    assert len(connection.head_chunks) == OK.index(b"\r\n\r\n") + 4
    assert final_head(connection.head_chunks, 0).endswith(b"Set-Cookie: a=1")
    assert sets_cookies(connection.head_chunks, connection.head_tail)


async def test_a_chunked_body_counts_payload_bytes_not_framing(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        b"6\r\n world\r\n0\r\n\r\n",
    )
    assert waiter.done()
    assert body_of(harness.connection) == b"hello world"
    assert harness.connection.nbytes == 11


async def test_a_head_response_ends_with_its_head_despite_a_length(harness: Harness) -> None:
    waiter = harness.send(head=True)
    harness.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
    assert waiter.done()
    assert harness.connection.nbytes == 0
    assert harness.connection.is_available()
    # The next exchange gets a parser that does not wait for those 100 bytes.
    second = harness.send()
    harness.feed(OK)
    assert second.done()
    assert body_of(harness.connection) == b"hello"


@pytest.mark.parametrize("status", [204, 304])
async def test_no_content_and_not_modified_have_no_body(harness: Harness, status: int) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.1 %d X\r\nContent-Type: text/plain\r\n\r\n" % status)
    assert waiter.done()
    assert harness.connection.status == status
    assert harness.connection.is_available()


async def test_interim_responses_are_skipped(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")
    assert not waiter.done()
    harness.feed(OK)
    assert waiter.done()
    connection = harness.connection
    assert (connection.status, connection.interim) == (200, 2)
    assert final_head(connection.head_chunks, connection.interim).startswith(b"HTTP/1.1 200 OK")


async def test_connection_close_from_the_server_closes_after_the_response(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
    assert waiter.done()
    assert harness.connection.is_closed()
    assert harness.transport.closed
    await asyncio.sleep(0)
    assert harness.lost == [harness.connection]


async def test_http_1_0_without_keep_alive_is_not_reused(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    assert waiter.done()
    assert harness.connection.is_closed()


async def test_a_body_without_length_is_read_until_the_server_closes(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ", b"part two")
    assert not waiter.done()
    harness.connection.connection_lost(None)
    assert waiter.done()
    assert waiter.exception() is None
    assert body_of(harness.connection) == b"part one, part two"
    assert harness.connection.is_closed()


async def test_a_close_mid_body_is_a_reset(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    harness.connection.connection_lost(ConnectionResetError())
    failure = waiter.exception()
    assert isinstance(failure, TransportFailure)
    assert (failure.kind, failure.retryable) == ("connection_reset", False)


async def test_a_close_before_any_byte_is_retryable_only_on_a_reused_connection(
    harness: Harness,
) -> None:
    first = harness.send()
    harness.connection.connection_lost(None)
    failure = first.exception()
    assert isinstance(failure, TransportFailure)
    assert not failure.retryable

    reused = Harness()
    warm = reused.send()
    reused.feed(OK)
    assert warm.done()
    second = reused.send()
    reused.connection.connection_lost(None)
    failure = second.exception()
    assert isinstance(failure, TransportFailure)
    assert failure.retryable


async def test_garbage_is_a_protocol_error_and_the_connection_is_dropped(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(b"SMTP ready\r\n\r\n")
    failure = waiter.exception()
    assert isinstance(failure, TransportFailure)
    assert failure.kind == "protocol_error"
    assert harness.transport.aborted
    assert harness.connection.is_closed()


async def test_bytes_nobody_asked_for_close_an_idle_connection(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(OK)
    assert waiter.done()
    harness.feed(b"HTTP/1.1 408 Request Timeout\r\n\r\n")
    assert harness.connection.is_closed()
    assert harness.transport.closed


async def test_a_server_closing_an_idle_connection_marks_it_closed(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(OK)
    assert waiter.done()
    harness.connection.connection_lost(None)
    assert harness.connection.is_closed()
    assert not harness.connection.is_available()
    assert harness.lost == [harness.connection]
    assert "CLOSED" in repr(harness.connection)


async def test_an_idle_connection_expires_after_the_keepalive_expiry(harness: Harness) -> None:
    waiter = harness.send()
    harness.feed(OK)
    assert waiter.done()
    since = harness.connection.idle_since
    assert harness.connection.is_reusable(since + 4.9)
    assert not harness.connection.is_reusable(since + 5.1)


async def test_a_response_slower_than_the_limit_times_out(harness: Harness) -> None:
    waiter = harness.send(time_limit=0.01)
    with pytest.raises(TransportFailure, match="timeout"):
        await waiter
    assert harness.transport.aborted


async def test_a_shorter_limit_rearms_the_timer_and_a_longer_one_waits(harness: Harness) -> None:
    slow = harness.send(time_limit=30.0)
    harness.feed(OK)
    assert slow.done()
    short = harness.send(time_limit=0.01)
    with pytest.raises(TransportFailure, match="timeout"):
        await short


async def test_the_timer_of_an_earlier_request_does_not_cut_a_later_one_short(
    harness: Harness,
) -> None:
    first = harness.send(time_limit=0.01)
    harness.feed(OK)
    assert first.done()
    second = harness.send(time_limit=0.05)
    await asyncio.sleep(0.02)  # the first request's timer fires and re-arms
    assert not second.done()
    harness.feed(OK)
    assert second.done()
    assert second.exception() is None


async def test_the_timer_of_an_idle_connection_fires_harmlessly(harness: Harness) -> None:
    waiter = harness.send(time_limit=0.01)
    harness.feed(OK)
    await asyncio.sleep(0.02)
    assert waiter.exception() is None
    assert harness.connection.is_available()


async def test_abort_abandons_the_request(harness: Harness) -> None:
    waiter = harness.send()
    harness.connection.abort()
    assert harness.transport.aborted
    await asyncio.sleep(0)
    assert not waiter.done()
    assert harness.connection.is_closed()


async def test_a_cancelled_waiter_is_not_resolved_again(harness: Harness) -> None:
    waiter = harness.send()
    waiter.cancel()
    harness.feed(OK)
    assert waiter.cancelled()
    assert harness.connection.is_available()


def test_closing_a_connection_that_never_connected_is_harmless() -> None:
    async def scenario() -> HttpConnection:
        connection = HttpConnection(
            Origin("http", "a.test", 80),
            ssl_context=lambda: pytest.fail("no TLS"),
            keepalive_expiry=1.0,
            on_closed=lambda _: None,
        )
        connection.close()
        connection.abort()
        return connection

    connection = asyncio.run(scenario())
    assert connection.is_closed()


async def test_the_first_bytes_of_a_response_stamp_its_first_byte_time(harness: Harness) -> None:
    connection = harness.connection
    connection.stamps_first_byte = True
    for _ in range(2):
        sent = time.perf_counter()
        waiter = harness.send()
        harness.feed(OK[:10])
        first = connection.first_byte_at
        assert sent <= first
        harness.feed(OK[10:])
        assert waiter.done()
        assert connection.first_byte_at == first <= connection.finished_at


async def test_a_request_that_records_no_timings_takes_no_first_byte_time(harness: Harness) -> None:
    connection = harness.connection
    waiter = harness.send()
    harness.feed(OK)

    assert waiter.done()
    assert connection.first_byte_at == 0.0
