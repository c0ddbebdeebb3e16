"""The ceiling for a Python load generator: a bare uvloop+httptools client with no metrics.

N connections each loop "write a GET, wait for the whole response" as fast
as the server answers, with nothing else: no virtual users, no response
objects, no pool, no timing, no histograms. This is the "bare uvloop+httptools
Python client" of issue 3's figures (89k requests/s on one core of the
16-core machine, 72 % of wrk's 124k): what any Python generator on this
event loop and parser could reach at best, so that LoadForge's figure can be
split into what the loop and the kernel cost and what LoadForge itself adds.
`loadforge_vs_wrk.py` runs it beside LoadForge and wrk.

    taskset -c 1 uv run python benchmarks/bare_client.py --url http://127.0.0.1:8080/ \
        --connections 50 --duration 10
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from time import perf_counter
from urllib.parse import urlsplit

import httptools
import uvloop


class _Connection(asyncio.Protocol):
    """One keep-alive connection that resolves a future per complete response."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[None] | None = None
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport to write requests on."""
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        """Feed the parser; it calls `on_message_complete` at the end of a response."""
        self._parser.feed_data(data)

    def on_message_complete(self) -> None:
        """The response is complete: wake the sender."""
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter.set_result(None)

    def exchange(self, request: bytes) -> asyncio.Future[None]:
        """Write `request`; the future resolves when its response is complete."""
        waiter = self._waiter = self._loop.create_future()
        assert self._transport is not None
        self._transport.write(request)
        return waiter


async def _drive(host: str, port: int, request: bytes, stop_at: float) -> int:
    loop = asyncio.get_running_loop()
    _, connection = await loop.create_connection(_Connection, host, port)
    done = 0
    while perf_counter() < stop_at:
        await connection.exchange(request)
        done += 1
    return done


async def measure(url: str, connections: int, duration: float) -> tuple[int, float]:
    """Requests completed by `connections` looping connections in `duration` seconds."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode("ascii")
    started = perf_counter()
    counts = await asyncio.gather(
        *(_drive(host, port, request, started + duration) for _ in range(connections))
    )
    return sum(counts), perf_counter() - started


def main() -> None:
    """Run and print `requests N` and the rate (machine-readable for loadforge_vs_wrk.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    print("command:", shlex.join([sys.executable, *sys.argv]))
    requests, seconds = uvloop.run(measure(args.url, args.connections, args.duration))
    print(f"requests {requests} in {seconds:.2f} s")
    print(f"requests/s {requests / seconds:.1f}")


if __name__ == "__main__":
    main()
