"""Failures below HTTP against real sockets: each comes back as data, recorded once."""

from __future__ import annotations

import asyncio
import socket

from integration.http.servers import ListRecorder, Peer, Serve, answering
from loadforge.http import ConnectionPool, HttpClient

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_a_refused_connection(pool: ConnectionPool, recorder: ListRecorder) -> None:
    client = HttpClient(base_url=f"http://127.0.0.1:{closed_port()}", pool=pool, recorder=recorder)
    response = await client.get("/")
    assert (response.status, response.error) == (0, "connection_refused")
    assert recorder.errors == ["connection_refused"]
    assert pool.stats().open == 0


async def test_a_server_slower_than_the_timeout(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def silent(peer: Peer) -> None:
        await peer.read_request()
        await asyncio.sleep(5)

    server = await serve(silent)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder, timeout=0.1)
    response = await client.get("/slow")
    assert (response.status, response.error) == (0, "timeout")
    assert response.elapsed_ms >= 90
    assert recorder.records[0][3] >= 90_000
    faster = await client.get("/slow", timeout=0.02)
    assert faster.error == "timeout"


async def test_a_reset_in_the_middle_of_the_body(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def cut(peer: Peer) -> None:
        await peer.read_request()
        await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
        await asyncio.sleep(0.01)
        peer.reset()

    server = await serve(cut)
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")
    assert (response.status, response.error) == (0, "connection_reset")
    assert recorder.errors == ["connection_reset"]


async def test_a_close_in_the_middle_of_the_body(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def cut(peer: Peer) -> None:
        await peer.read_request()
        await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")

    server = await serve(cut)
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")
    assert response.error == "connection_reset"


async def test_garbage_instead_of_http(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(lambda request: b"220 mail.example ESMTP ready\r\n\r\n"))
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")
    assert (response.status, response.error) == (0, "protocol_error")
    assert pool.stats().open == 0


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def close_after_one(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(OK)  # keep-alive promised, then closed while idle

    server = await serve(close_after_one)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    assert (await client.get("/")).ok
    await asyncio.sleep(0.02)
    assert pool.stats().open == 0, "the close was noticed while idle"
    assert (await client.get("/")).ok
    assert server.connections == 2
    assert recorder.errors == [None, None]


async def test_a_close_racing_the_next_request_is_retried_once_uncounted(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def drop_second(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(OK)
        await peer.read_request()  # the second request arrives; close without answering

    server = await serve(drop_second)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    assert (await client.get("/")).ok
    retried = await client.get("/again")
    assert retried.ok
    assert server.connections == 2
    assert [request.target for request in server.requests] == ["/", "/again", "/again"]
    assert recorder.errors == [None, None]


async def test_a_post_is_not_sent_twice(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def drop_second(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(OK)
        await peer.read_request()

    server = await serve(drop_second)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    await client.post("/orders", json={"n": 1})
    response = await client.post("/orders", json={"n": 2})
    assert response.error == "connection_reset"
    assert len(server.requests) == 2


async def test_closing_the_pool_closes_its_connections(
    serve: Serve, recorder: ListRecorder
) -> None:
    closed = asyncio.Event()

    async def until_eof(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await peer.send(OK)
        closed.set()

    server = await serve(until_eof)
    pool = ConnectionPool()
    assert (await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")).ok
    assert pool.stats().idle == 1
    await pool.aclose()
    await asyncio.wait_for(closed.wait(), 1)
    assert pool.stats().open == 0
