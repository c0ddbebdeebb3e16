"""WebSocket conversations against a real `websockets` server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from integration.http.servers import ListRecorder
from loadforge.http import (
    AllowList,
    BearerAuth,
    ConnectionPool,
    HttpClient,
    WebSocketClosed,
    WebSocketError,
)

Handler = Callable[[ServerConnection], Awaitable[None]]


async def echo(connection: ServerConnection) -> None:
    """Echo every message back; a text "close-1011" makes the server close with 1011."""
    try:
        async for message in connection:
            if message == "close-1011":
                await connection.close(1011, "boom")
                return
            if message == "silence":
                continue
            await connection.send(message)
    except ConnectionClosed:
        return


@asynccontextmanager
async def websocket_server(
    handler: Handler = echo,
    process_request: Callable[[ServerConnection, Request], Response | None] | None = None,
) -> AsyncIterator[str]:
    """A WebSocket server on a free loopback port; yields its http:// base URL."""
    async with serve(handler, "127.0.0.1", 0, process_request=process_request) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"http://127.0.0.1:{port}"


def client_for(base_url: str, pool: ConnectionPool, recorder: ListRecorder) -> HttpClient:
    """A client whose timeout keeps a test that goes wrong short."""
    return HttpClient(base_url=base_url, pool=pool, recorder=recorder, timeout=5.0)


async def test_a_conversation_is_recorded_by_its_name(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async with websocket_server() as base:
        client = client_for(base, pool, recorder)
        async with client.websocket("/echo") as ws:
            await ws.send("hello")
            assert await ws.receive() == "hello"
            await ws.send(b"\x00\x01")
            assert await ws.receive() == b"\x00\x01"
            assert await ws.request("ping?") == "ping?"
            assert await ws.ping() >= 0.0
        assert (ws.messages_sent, ws.messages_received) == (3, 3)
        assert (ws.bytes_sent, ws.bytes_received) == (12, 12)
        assert ws.close_code == 1000
    names = [
        (name, method, status, error) for name, method, status, _, _, error in recorder.records
    ]
    assert names == [
        ("WS /echo", "WS", 101, None),
        ("WS /echo round trip", "WS", 101, None),
        ("WS /echo ping", "WS", 101, None),
    ]
    assert recorder.failures == []


async def test_the_handshake_carries_the_users_headers_and_cookies(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    seen: list[Request] = []

    def keep(connection: ServerConnection, request: Request) -> None:
        seen.append(request)

    async with websocket_server(process_request=keep) as base:
        client = client_for(base, pool, recorder)
        client.headers["Authorization"] = "Bearer t0ken"
        client.cookies.store(f"{base}/", ["session=abc; Path=/"])
        async with client.websocket("/chat?room=1", headers={"X-Trace": "7"}, name="Chat"):
            pass
    (request,) = seen
    assert request.path == "/chat?room=1"
    assert request.headers["Authorization"] == "Bearer t0ken"
    assert request.headers["X-Trace"] == "7"
    assert request.headers["Cookie"] == "session=abc"
    assert request.headers["User-Agent"].startswith("loadforge/")
    assert recorder.records[0][0] == "Chat"


async def test_the_handshake_carries_the_users_auth_unless_a_header_wins(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    seen: list[Request] = []

    def keep(connection: ServerConnection, request: Request) -> None:
        seen.append(request)

    async with websocket_server(process_request=keep) as base:
        client = client_for(base, pool, recorder)
        client.auth = BearerAuth("t0ken")
        async with client.websocket("/chat"):
            pass
        async with client.websocket("/chat", headers={"authorization": "Token mine"}):
            pass
    assert [request.headers["Authorization"] for request in seen] == ["Bearer t0ken", "Token mine"]


async def test_a_refused_handshake_is_its_status(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    def forbid(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(HTTPStatus.FORBIDDEN, "no\n")

    async with websocket_server(process_request=forbid) as base:
        client = client_for(base, pool, recorder)
        with pytest.raises(WebSocketError, match="http_403") as raised:
            async with client.websocket("/chat"):
                pytest.fail("the conversation must not start")
    assert raised.value.error == "http_403"
    assert [(r[0], r[2], r[5]) for r in recorder.records] == [("WS /chat", 403, "http_403")]


async def test_a_close_by_the_peer_fails_the_conversation_with_its_code(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async with websocket_server() as base:
        client = client_for(base, pool, recorder)
        async with client.websocket("/echo") as ws:
            await ws.send("close-1011")
            with pytest.raises(WebSocketClosed, match="1011: boom") as raised:
                await ws.receive()
            with pytest.raises(WebSocketClosed):
                await ws.send("after")
    assert raised.value.code == 1011
    assert ws.close_code == 1011
    assert recorder.failures == [("WS /echo", 101, "ws_closed_1011")]


async def test_a_reply_that_never_comes_is_a_timed_out_round_trip(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async with websocket_server() as base:
        client = client_for(base, pool, recorder)
        async with client.websocket("/echo") as ws:
            with pytest.raises(TimeoutError):
                await ws.request("silence", timeout=0.2)
            assert await ws.request("still here") == "still here"
    assert [(r[0], r[5]) for r in recorder.records[1:]] == [
        ("WS /echo round trip", "timeout"),
        ("WS /echo round trip", None),
    ]


async def test_a_closed_port_is_connection_refused(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = client_for(f"http://127.0.0.1:{port}", pool, recorder)
    with pytest.raises(WebSocketError, match="connection_refused"):
        async with client.websocket("/chat"):
            pass
    assert recorder.errors == ["connection_refused"]


async def test_the_allowlist_holds_for_websockets(recorder: ListRecorder) -> None:
    async with websocket_server() as base:
        port = int(base.rsplit(":", 1)[1])
        allowed = ConnectionPool(target_policy=AllowList.parse([f"127.0.0.1:{port}"]))
        refused = ConnectionPool(target_policy=AllowList.parse([f"127.0.0.1:{port + 1}"]))
        try:
            async with client_for(base, allowed, recorder).websocket("/echo") as ws:
                assert await ws.request("in") == "in"
            with pytest.raises(WebSocketError, match="target_refused"):
                async with client_for(base, refused, recorder).websocket(f"ws://127.0.0.1:{port}/"):
                    pass
        finally:
            await allowed.aclose()
            await refused.aclose()
    assert recorder.errors == [None, None, "target_refused"]


async def test_a_redirected_handshake_is_not_followed(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    def redirect(connection: ServerConnection, request: Request) -> Response:
        response = connection.respond(HTTPStatus.FOUND, "")
        response.headers["Location"] = "ws://127.0.0.1:1/elsewhere"
        return response

    async with websocket_server(process_request=redirect) as base:
        with pytest.raises(WebSocketError, match="http_302"):
            async with client_for(base, pool, recorder).websocket("/chat"):
                pass


async def test_an_absolute_ws_url_and_a_closed_socket(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async with websocket_server() as base:
        client = client_for("http://127.0.0.1:1", pool, recorder)
        ws_base = base.replace("http://", "ws://")
        async with client.websocket(f"{ws_base}/abs", name="Abs") as ws:
            assert await ws.request("x") == "x"
        with pytest.raises(WebSocketClosed, match="closed"):
            await ws.receive()
        await ws.close()  # a second close does nothing
    await asyncio.sleep(0)
    assert recorder.records[0][0] == "Abs"


async def test_a_conversation_in_a_group_carries_the_group_in_its_name(
    pool: ConnectionPool, recorder: ListRecorder
) -> None:
    async with websocket_server() as base:
        client = client_for(base, pool, recorder)
        async with client.group("chat"), client.websocket("/echo") as ws:
            assert await ws.request("hi") == "hi"
    assert [r[0] for r in recorder.records] == ["chat › WS /echo", "chat › WS /echo round trip"]
