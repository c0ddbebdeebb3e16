"""The asyncio side of the pool, without sockets: connections are handed out unconnected."""

from __future__ import annotations

import asyncio
import ssl

import pytest

from loadforge.http import ConnectionPool, PoolClosedError
from loadforge.http._urls import Origin

A = Origin("http", "a.test", 80)
B = Origin("http", "b.test", 80)


async def test_at_the_limit_a_request_waits_until_a_connection_is_given_back() -> None:
    pool = ConnectionPool(max_connections=1)
    first = pool.checkout(A, 0.0)
    assert first is not None
    assert pool.checkout(A, 0.0) is None
    waiting = asyncio.ensure_future(pool.acquire(A, 5.0))
    await asyncio.sleep(0)
    assert pool.stats().waiting == 1
    first.close()
    pool.release(first)
    second = await waiting
    assert second is not first
    assert pool.stats().open == 1
    await pool.aclose()


async def test_waiting_too_long_raises_timeout_and_leaves_the_queue() -> None:
    pool = ConnectionPool(max_connections=1)
    assert pool.checkout(A, 0.0) is not None
    with pytest.raises(TimeoutError):
        await pool.acquire(A, 0.01)
    assert pool.stats().waiting == 0
    await pool.aclose()


async def test_a_connection_granted_as_its_waiter_gives_up_is_given_back() -> None:
    pool = ConnectionPool(max_connections=1)
    first = pool.checkout(A, 0.0)
    assert first is not None
    waiting = asyncio.ensure_future(pool.acquire(A, 5.0))
    await asyncio.sleep(0)
    first.close()
    pool.release(first)  # grants a new connection to the waiter...
    waiting.cancel()  # ...which is cancelled before it could take it
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert pool.stats().open == 0
    await pool.aclose()


async def test_closing_fails_waiting_requests_and_refuses_new_ones() -> None:
    pool = ConnectionPool(max_connections=1)
    assert pool.checkout(A, 0.0) is not None
    waiting = asyncio.ensure_future(pool.acquire(A, 5.0))
    await asyncio.sleep(0)
    await pool.aclose()
    with pytest.raises(PoolClosedError, match="after its worker's connection pool was closed"):
        await waiting
    assert pool.checkout(A, 0.0) is None
    with pytest.raises(PoolClosedError):
        await pool.acquire(A, 1.0)


async def test_at_the_limit_an_idle_connection_to_another_origin_is_closed_for_a_waiter() -> None:
    pool = ConnectionPool(max_connections=1)
    idle = pool.checkout(A, 0.0)
    assert idle is not None
    idle.connection_made(_NullTransport())
    pool.release(idle)
    assert pool.stats().idle == 1
    other = await pool.acquire(B, 1.0)
    assert other.origin == B
    assert idle.is_closed()
    await pool.aclose()


async def test_an_expired_idle_connection_is_closed_when_found() -> None:
    pool = ConnectionPool(max_connections=2, keepalive_expiry=1.0)
    stale = pool.checkout(A, 0.0)
    assert stale is not None
    stale.connection_made(_NullTransport())
    pool.release(stale)
    fresh = pool.checkout(A, stale.idle_since + 2.0)
    assert fresh is not None
    assert fresh is not stale
    pool.release(fresh)  # hands the dropped connection over to be closed
    assert stale.is_closed()
    await pool.aclose()


async def test_a_connection_closing_after_shutdown_is_ignored() -> None:
    pool = ConnectionPool()
    connection = pool.checkout(A, 0.0)
    assert connection is not None
    connection.connection_made(_NullTransport())
    await pool.aclose()
    connection.connection_lost(None)
    assert pool.stats().open == 0


async def test_tls_settings() -> None:
    verified = ConnectionPool()
    context = verified.tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert verified.tls_context() is context
    unverified = ConnectionPool(verify=False).tls_context()
    assert unverified.verify_mode == ssl.CERT_NONE
    own = ssl.create_default_context()
    assert ConnectionPool(ssl_context=own).tls_context() is own
    assert ConnectionPool(connect_timeout=2.5).connect_timeout == 2.5


class _NullTransport(asyncio.Transport):
    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Discard."""

    def close(self) -> None:
        """Nothing to close."""

    def abort(self) -> None:
        """Nothing to abort."""
