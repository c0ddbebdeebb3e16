"""Where a request's time goes, against real servers on 127.0.0.1: connecting, ttfb, receiving."""

from __future__ import annotations

import asyncio

from integration.http.servers import ListRecorder, Peer, Serve
from loadforge.http import ConnectionPool, HttpClient

# The server pauses for PAUSE_S; a timing that holds the pause is at least half of it, since the
# client sees each send a little after the server makes it, and loop timers may fire a little early.
PAUSE_S = 0.1
HALF_PAUSE_US = 50_000


async def test_ttfb_holds_the_server_s_delay_before_its_first_byte(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def late(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await asyncio.sleep(PAUSE_S)
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    server = await serve(late)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    client.record_timings = True
    for _ in range(3):
        assert (await client.get("/", name="late")).ok
    waits = sorted(waiting for _, waiting, _ in recorder.timings)
    assert len(waits) == 3
    assert HALF_PAUSE_US <= waits[1] < 5 * HALF_PAUSE_US
    latencies = [record[3] for record in recorder.records]
    assert all(
        latency >= waiting
        for latency, (_, waiting, _) in zip(latencies, recorder.timings, strict=True)
    )
    assert [name for name, _ in recorder.connections] == ["late"]  # one connection, kept alive


async def test_receiving_holds_the_pause_between_head_and_body(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def halting(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")
            await asyncio.sleep(PAUSE_S)
            await peer.send(b"cd")

    server = await serve(halting)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    client.record_timings = True
    response = await client.get("/")
    assert await response.text() == "abcd"
    ((_, waiting, receiving),) = recorder.timings
    assert receiving >= HALF_PAUSE_US
    assert waiting < HALF_PAUSE_US


async def test_connecting_is_recorded_only_when_a_connection_opens(
    serve: Serve, recorder: ListRecorder
) -> None:
    async def closing(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    server = await serve(closing)
    pool = ConnectionPool(max_connections=1)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    for _ in range(2):
        assert (await client.get("/", name="each")).ok
    await pool.aclose()
    assert server.connections == 2
    assert len(recorder.connections) == 2
    assert all(0 < connecting < 1_000_000 for _, connecting in recorder.connections)


async def test_response_timings_are_off_by_default(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def quick(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    server = await serve(quick)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    assert (await client.get("/")).ok
    assert recorder.timings == []
    assert len(recorder.connections) == 1


async def test_an_address_needs_no_lookup_and_plain_http_no_handshake(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def quick(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    server = await serve(quick)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    assert (await client.get("/")).ok
    assert recorder.handshakes == [(None, None)]
