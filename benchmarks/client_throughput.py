"""How many requests per second one core of LoadForge's HTTP client can make.

The load generator must not be what a load test measures, so this is the
number to compare with wrk on the same core against a server that does
nothing (see benchmarks/nginx.conf):

    mkdir -p /tmp/loadforge-nginx
    taskset -c 0 nginx -p /tmp/loadforge-nginx -c "$PWD/benchmarks/nginx.conf"
    taskset -c 1 wrk -t1 -c50 -d8s http://127.0.0.1:8080/
    uv run --frozen python benchmarks/client_throughput.py --cpu 1 --users 50 --duration 8
    nginx -p /tmp/loadforge-nginx -c "$PWD/benchmarks/nginx.conf" -s stop

Each of `--users` coroutines loops `await client.get(path)` with its own
client, as virtual users do, all sharing one pool; the recorder only counts.

`--transport fake` leaves the network out: every connection answers each
request with nginx's canned response on the next loop iteration. That
measures the client's own CPU cost per request, steadily enough to compare
hot-path changes (a shared machine makes the TCP figure wobble by 30 %).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
from dataclasses import dataclass
from time import perf_counter
from typing import Protocol
from urllib.parse import urlsplit

from loadforge.eventloop import new_event_loop, uses_uvloop
from loadforge.http import ConnectionPool, HttpClient
from loadforge.http._connection import HttpConnection
from loadforge.http._urls import Origin

# What benchmarks/nginx.conf answers, byte for byte.
NGINX_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 09:13:06 GMT\r\n"
    b"Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"
)


class CountingRecorder:
    """A recorder that only counts, so the benchmark measures the client alone."""

    def __init__(self) -> None:
        self.requests = 0
        self.errors: dict[str, int] = {}

    def record(
        self,
        name: str,
        method: str,
        status: int,
        latency_us: int,
        nbytes: int,
        error: str | None,
    ) -> None:
        """Count one request (and its error type, if any)."""
        self.requests += 1
        if error is not None:
            self.errors[error] = self.errors.get(error, 0) + 1

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Count a success turned failure."""
        self.errors[error] = self.errors.get(error, 0) + 1

    def count_iterations(self, count: int) -> None:
        """Calls are not counted here."""

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """Count a task exception."""
        error = type(exc).__name__
        self.errors[error] = self.errors.get(error, 0) + 1

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """The benchmark's scenario makes no checks."""

    def record_group(self, group: str, duration_us: int) -> None:
        """The benchmark's scenario uses no groups."""

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """The benchmark counts only requests."""

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """The benchmark counts only requests."""


class Receiver(Protocol):
    """What a canned transport answers: a protocol's `data_received`."""

    def data_received(self, data: bytes) -> None:
        """Take bytes from the transport."""


class CannedTransport(asyncio.Transport):
    """Answers every write with `NGINX_RESPONSE` on the next loop iteration."""

    def __init__(self, protocol: Receiver) -> None:
        super().__init__()
        self._protocol = protocol
        self._loop = asyncio.get_running_loop()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Pretend to send; schedule the answer."""
        self._loop.call_soon(self._protocol.data_received, NGINX_RESPONSE)

    def close(self) -> None:
        """Nothing to close."""

    def abort(self) -> None:
        """Nothing to abort."""


class CannedConnection(HttpConnection):
    """A connection that 'connects' to a `CannedTransport` instead of a socket."""

    transport_type: type[CannedTransport] = CannedTransport

    async def connect(self, time_limit: float) -> None:
        """Attach the canned transport."""
        self.connection_made(self.transport_type(self))


class CannedPool(ConnectionPool):
    """A pool whose connections never touch the network."""

    connection_type: type[CannedConnection] = CannedConnection

    def _new_connection(self, origin: Origin) -> HttpConnection:
        return self.connection_type(
            origin,
            ssl_context=self.tls_context,
            keepalive_expiry=60.0,
            on_closed=self._connection_closed,
        )


@dataclass(frozen=True, slots=True)
class Result:
    """What one benchmark run measured."""

    requests: int
    seconds: float
    errors: dict[str, int]

    @property
    def per_second(self) -> float:
        """Requests completed per second of wall time."""
        return self.requests / self.seconds


async def _user(client: HttpClient, path: str, stop_at: float) -> None:
    while perf_counter() < stop_at:
        await client.get(path)


async def measure(url: str, users: int, duration: float, *, fake: bool = False) -> Result:
    """Run `users` looping virtual users against `url` for `duration` seconds."""
    parts = urlsplit(url)
    base_url = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    recorder = CountingRecorder()
    pool = CannedPool(max_connections=users) if fake else ConnectionPool(max_connections=users)
    clients = [HttpClient(base_url=base_url, pool=pool, recorder=recorder) for _ in range(users)]
    # Warm up: open the connections and fill the caches before the clock runs.
    await asyncio.gather(*(_user(client, path, perf_counter() + 0.5) for client in clients))
    recorder.requests = 0
    started = perf_counter()
    await asyncio.gather(*(_user(client, path, started + duration) for client in clients))
    seconds = perf_counter() - started
    await pool.aclose()
    return Result(recorder.requests, seconds, recorder.errors)


def main() -> None:
    """Parse the command line, pin the CPU, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this core")
    parser.add_argument("--transport", choices=["tcp", "fake"], default="tcp")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    loop = new_event_loop()
    try:
        result = loop.run_until_complete(
            measure(args.url, args.users, args.duration, fake=args.transport == "fake")
        )
    finally:
        loop.close()
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"loop: {'uvloop' if uses_uvloop(loop) else 'asyncio'}, users: {args.users}")
    print(f"requests: {result.requests} in {result.seconds:.2f} s")
    print(f"requests/s: {result.per_second:,.0f} ({1e6 / result.per_second:.2f} us/request)")
    if result.errors:
        print("errors:", result.errors)


if __name__ == "__main__":
    main()
