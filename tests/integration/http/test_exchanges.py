"""Requests and responses against real servers on 127.0.0.1: framing, reuse, bodies."""

from __future__ import annotations

import asyncio
import gzip
import json

from integration.http.servers import ListRecorder, Peer, Request, Serve, answering
from loadforge.http import USER_AGENT, ConnectionPool, HttpClient


def ok(body: bytes = b"ok", extra: bytes = b"") -> bytes:
    """A 200 with `body` and `extra` header lines."""
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def echo(request: Request) -> bytes:
    """Answer with the request's method and target as JSON."""
    return ok(json.dumps({"method": request.method, "target": request.target}).encode())


async def test_requests_reuse_one_kept_alive_connection(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(echo))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    for n in range(5):
        response = await client.get(f"/items/{n}", params={"v": n})
        assert await response.json() == {"method": "GET", "target": f"/items/{n}?v={n}"}
    assert server.connections == 1
    first = server.requests[0]
    assert first.headers["host"] == f"127.0.0.1:{server.port}"
    assert first.headers["user-agent"] == USER_AGENT
    assert first.headers["accept-encoding"] == "gzip, deflate"
    assert recorder.errors == [None] * 5
    assert [record[0] for record in recorder.records][:2] == ["GET /items/0", "GET /items/1"]


async def test_concurrent_users_share_the_pool_within_its_limit(
    serve: Serve, recorder: ListRecorder
) -> None:
    async def slow(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await asyncio.sleep(0.01)
            await peer.send(ok())

    server = await serve(slow)
    pool = ConnectionPool(max_connections=3)
    clients = [HttpClient(base_url=server.url, pool=pool, recorder=recorder) for _ in range(8)]
    responses = await asyncio.gather(*(client.get("/") for client in clients for _ in range(2)))
    await pool.aclose()
    assert all(response.ok for response in responses)
    assert server.connections == 3
    assert len(recorder.records) == 16


async def test_a_chunked_body_in_several_packets(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def chunked(peer: Peer) -> None:
        while await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for part in (b"5\r\nhello\r\n", b"1", b"\r\n \r\n", b"5\r\nworld\r\n0\r\n\r\n"):
                await asyncio.sleep(0.002)
                await peer.send(part)

    server = await serve(chunked)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    for _ in range(2):
        response = await client.get("/stream")
        assert await response.text() == "hello world"
        assert response.nbytes == 11
    assert server.connections == 1


async def test_gzip_bodies_are_decoded_and_counted_as_sent(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    packed = gzip.compress(b'{"items": [1, 2, 3]}')
    server = await serve(answering(lambda request: ok(packed, b"Content-Encoding: gzip\r\n")))
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")
    assert await response.json() == {"items": [1, 2, 3]}
    assert recorder.records[0][4] == len(packed)


async def test_head_and_no_content_responses_have_no_body(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    def answer(request: Request) -> bytes:
        if request.method == "HEAD":
            return b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
        if request.method == "DELETE":
            return b"HTTP/1.1 204 No Content\r\n\r\n"
        return ok(b"after")

    server = await serve(answering(answer))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    head = await client.head("/file")
    assert (head.status, head.headers["content-length"], await head.read()) == (200, "1234", b"")
    deleted = await client.delete("/file")
    assert (deleted.status, deleted.reason, await deleted.read()) == (204, "No Content", b"")
    after = await client.get("/file")
    assert await after.read() == b"after"
    assert server.connections == 1


async def test_connection_close_from_the_server_is_honoured(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def one_shot(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(ok(extra=b"Connection: close\r\n"))

    server = await serve(one_shot)
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    for _ in range(3):
        assert (await client.get("/")).ok
    assert server.connections == 3
    assert recorder.errors == [None, None, None]


async def test_a_body_without_length_is_read_until_the_server_closes(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async def until_close(peer: Peer) -> None:
        if await peer.read_request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ")
            await asyncio.sleep(0.005)
            await peer.send(b"last part")

    server = await serve(until_close)
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/")
    assert await response.text() == "first part, last part"
    assert recorder.errors == [None]


async def test_a_ten_megabyte_body_arrives_whole(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    payload = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    server = await serve(answering(lambda request: ok(payload)))
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/big")
    assert await response.read() == payload
    assert response.nbytes == len(payload)
    assert recorder.records[0][4] == 10 * 1024 * 1024


async def test_bodies_reach_the_server_as_encoded(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(lambda request: ok()))
    client = HttpClient(base_url=server.url + "/api", pool=pool, recorder=recorder)
    await client.post("/orders", json={"qty": 2, "sku": "é"})
    await client.put("/profile", data={"name": "Ann Lee"})
    await client.post("/upload", data={"title": "t"}, files={"file": ("a.txt", b"contents")})
    orders, profile, upload = server.requests
    assert (orders.target, orders.headers["content-type"]) == ("/api/orders", "application/json")
    assert json.loads(orders.body) == {"qty": 2, "sku": "é"}
    assert profile.body == b"name=Ann+Lee"
    boundary = upload.headers["content-type"].split("boundary=")[1]
    assert upload.body.startswith(f"--{boundary}\r\n".encode())
    assert b'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\ncontents\r\n' in upload.body
    assert int(upload.headers["content-length"]) == len(upload.body)


async def test_error_statuses_are_recorded_as_failures(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(
        answering(lambda request: b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    )
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    missing = await client.get("/missing")
    assert (missing.status, missing.ok, missing.error) == (404, False, "http_404")
    assert (await client.get("/missing", expect=404)).ok
    assert recorder.errors == ["http_404", None]


async def test_a_prepared_request_is_sent_again_by_other_clients(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(lambda _request: ok()))
    first = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    first.headers["X-User"] = "first"
    prepared = first.prepare(
        "POST", "/upload", data=b"x" * 100_000, headers={"Content-Type": "application/x-test"}
    )
    second = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    responses = [await first.send(prepared), await second.send(prepared, name="upload")]
    assert all(response.ok for response in responses)
    assert [request.body for request in server.requests] == [b"x" * 100_000] * 2
    assert {request.headers["content-type"] for request in server.requests} == {
        "application/x-test"
    }
    assert {request.headers["x-user"] for request in server.requests} == {"first"}
    assert [record[0] for record in recorder.records] == ["POST /upload", "upload"]
