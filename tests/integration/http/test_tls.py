"""https against a local server whose certificate comes from a throwaway trustme CA."""

from __future__ import annotations

import ssl

import pytest
import trustme

from integration.http.servers import ListRecorder, Request, Serve, answering
from loadforge.http import ConnectionPool, HttpClient


def ok(request: Request) -> bytes:
    """A fixed 200 answer."""
    return b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A throwaway certificate authority, shared by the module's tests."""
    return trustme.CA()


@pytest.fixture
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    """A server TLS context with a certificate for 127.0.0.1 and localhost."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    """A client TLS context that trusts the test CA."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_a_server_signed_by_a_trusted_ca(
    serve: Serve, server_context: ssl.SSLContext, ca: trustme.CA, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok), ssl=server_context)
    pool = ConnectionPool(ssl_context=client_context(ca))
    client = HttpClient(base_url=f"https://127.0.0.1:{server.port}", pool=pool, recorder=recorder)
    for _ in range(2):
        response = await client.get("/")
        assert await response.text() == "secure"
    await pool.aclose()
    assert server.connections == 1
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"
    assert recorder.errors == [None, None]


async def test_an_untrusted_certificate_is_a_tls_error(
    serve: Serve, server_context: ssl.SSLContext, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok), ssl=server_context)
    pool = ConnectionPool()
    client = HttpClient(base_url=f"https://127.0.0.1:{server.port}", pool=pool, recorder=recorder)
    response = await client.get("/")
    await pool.aclose()
    assert (response.status, response.error) == (0, "tls_error")
    assert recorder.errors == ["tls_error"]


async def test_verification_can_be_turned_off(
    serve: Serve, server_context: ssl.SSLContext, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok), ssl=server_context)
    pool = ConnectionPool(verify=False)
    client = HttpClient(base_url=f"https://localhost:{server.port}", pool=pool, recorder=recorder)
    response = await client.get("/")
    await pool.aclose()
    assert response.ok
    assert server.requests[0].headers["host"] == f"localhost:{server.port}"


async def test_the_tls_handshake_and_the_name_lookup_are_timed_apart_from_the_connect(
    serve: Serve, server_context: ssl.SSLContext, ca: trustme.CA, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok), ssl=server_context)
    pool = ConnectionPool(ssl_context=client_context(ca))
    client = HttpClient(base_url=f"https://localhost:{server.port}", pool=pool, recorder=recorder)
    for _ in range(2):
        assert (await client.get("/", name="secure")).ok
    await pool.aclose()
    assert server.connections == 1
    ((name, connecting),) = recorder.connections
    ((dns, tls),) = recorder.handshakes
    assert name == "secure"
    assert dns is not None
    assert 0 < dns < 5_000_000
    assert tls is not None
    assert 0 < tls < 5_000_000
    assert 0 < connecting < 5_000_000
