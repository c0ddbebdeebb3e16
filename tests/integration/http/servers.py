"""Raw servers on 127.0.0.1 for the HTTP client's integration tests.

Plain `asyncio.start_server` handlers, so each test controls the bytes on
the wire exactly (chunk boundaries, a close mid-body, a reset) and can count
what the client did (connections opened, requests sent).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class ListRecorder:
    """A RequestRecorder that keeps every call, for assertions."""

    records: list[tuple[str, str, int, int, int, str | None]] = field(default_factory=list)
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    checks: list[tuple[str, str, bool, str | None]] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)
    timings: list[tuple[str, int, int]] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)
    handshakes: list[tuple[int | None, int | None]] = field(default_factory=list)

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        """Keep one request."""
        self.records.append((name, method, status, latency_us, nbytes, error))

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Keep one success turned failure."""
        self.failures.append((name, status, error))

    def count_iterations(self, count: int) -> None:
        """Calls are not counted here."""

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """No test expects one."""
        raise AssertionError(f"unexpected task error {task}: {exc!r}")

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """Keep one check's outcome."""
        self.checks.append((check, endpoint, passed, error))

    def record_group(self, group: str, duration_us: int) -> None:
        """Keep one group block's path and duration."""
        self.groups.append((group, duration_us))

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Keep one response's time to first byte and receiving time."""
        self.timings.append((name, waiting_us, receiving_us))

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Keep one connection's opening time, and its DNS and TLS times apart."""
        self.connections.append((name, connecting_us))
        self.handshakes.append((dns_us, tls_us))

    @property
    def errors(self) -> list[str | None]:
        """The error type of every recorded request, in order."""
        return [record[5] for record in self.records]


@dataclass(frozen=True)
class Request:
    """A request as the server received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class Peer:
    """The server's side of one accepted connection."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, log: list[Request]
    ) -> None:
        self.reader = reader
        self.writer = writer
        self._log = log

    async def read_request(self) -> Request | None:
        """The next request, or None when the client closed the connection."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        line, *fields = head.decode("latin-1").split("\r\n")[:-2]
        method, target, _ = line.split(" ")
        headers: dict[str, str] = {}
        for each in fields:
            name, _, value = each.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        request = Request(method, target, headers, body)
        self._log.append(request)
        return request

    async def send(self, data: bytes) -> None:
        """Write bytes and wait until they are handed to the kernel."""
        self.writer.write(data)
        await self.writer.drain()

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Handler = Callable[[Peer], Awaitable[None]]


@dataclass
class RawServer:
    """A listening server: its URL, and what it saw."""

    port: int
    connections: int = 0
    requests: list[Request] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"


Serve = Callable[..., Awaitable[RawServer]]
"""`await serve(handler, ssl=None)`: start a server; it is closed after the test."""
Answer = Callable[[Request], bytes]


def answering(answer: Answer) -> Handler:
    """A handler that answers each request on a connection with `answer(request)`."""

    async def handle(peer: Peer) -> None:
        while (request := await peer.read_request()) is not None:
            await peer.send(answer(request))

    return handle


@dataclass
class ServerSet:
    """The servers a test started, closed together at its end."""

    servers: list[asyncio.Server] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def start(self, handler: Handler, *, ssl: ssl.SSLContext | None = None) -> RawServer:
        """Listen on 127.0.0.1 with a port the kernel picks."""
        info = RawServer(0)

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            info.connections += 1
            self.writers.append(writer)
            try:
                await handler(Peer(reader, writer, info.requests))
            except ConnectionError:
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(on_connect, "127.0.0.1", 0, ssl=ssl)
        self.servers.append(server)
        info.port = server.sockets[0].getsockname()[1]
        return info

    async def close(self) -> None:
        """Close every connection and listener."""
        for writer in self.writers:
            writer.close()
        for server in self.servers:
            server.close()
            await server.wait_closed()
        await asyncio.sleep(0)
