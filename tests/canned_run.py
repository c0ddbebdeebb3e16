"""A short run against canned responses, on a counting clock, printed as JSON.

`python tests/canned_run.py REQUESTS` runs virtual users (no think time)
through the HTTP client and the metrics collector, against connections that
answer from a fixed cycle of responses (200, chunked, gzip, 404, 503 and
a check that fails one), and prints what the collector counted. Every
`time.perf_counter` call returns the next tick of a counter, so latencies,
and with them the histograms, come out the same in every run: the request
path tests run it once per path and compare the output.
"""

from __future__ import annotations

import asyncio
import gzip
import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

_ticks = itertools.count()
# Before loadforge is imported: its modules bind perf_counter at import.
time.perf_counter = lambda: next(_ticks) * 0.000_137

from loadforge import extensions  # noqa: E402
from loadforge.dsl import load_scenarios, resolve_scenario  # noqa: E402
from loadforge.dsl.current_user import UserInfo  # noqa: E402
from loadforge.engine.user import VirtualUser  # noqa: E402
from loadforge.http import ConnectionPool, HttpClient  # noqa: E402
from loadforge.http._connection import HttpConnection  # noqa: E402
from loadforge.http._urls import Origin  # noqa: E402
from loadforge.metrics.collector import MetricsCollector  # noqa: E402

USERS = 5
SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="canned", base_url="http://127.0.0.1:8080", think_time=0)
class Canned:
    @task(3)
    async def home(self, client: HttpClient) -> None:
        resp = await client.get("/", name="home")
        resp.check("body is short", len(await resp.read()) < 5, fail=True)

    @task
    async def item(self, client: HttpClient) -> None:
        await client.get("/item", name="item")
"""
_GZIPPED = gzip.compress(b"zipped", mtime=0)
ANSWERS = (
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s"
    % (len(_GZIPPED), _GZIPPED),
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy",
)


_answers = itertools.cycle(ANSWERS)


class CannedTransport(asyncio.Transport):
    """Answers each write with the next response of `ANSWERS`, on the next loop iteration."""

    def __init__(self, protocol: HttpConnection) -> None:
        super().__init__()
        self._protocol = protocol

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Schedule the next answer."""
        asyncio.get_running_loop().call_soon(self._protocol.data_received, next(_answers))

    def close(self) -> None:
        """Nothing to close."""

    def abort(self) -> None:
        """Nothing to abort."""


class CannedConnection(HttpConnection):
    """A connection that 'connects' to a `CannedTransport` instead of a socket."""

    async def connect(self, time_limit: float) -> None:
        """Attach the canned transport."""
        self.connection_made(CannedTransport(self))


class CannedPool(ConnectionPool):
    """A pool whose connections never touch the network."""

    def _new_connection(self, origin: Origin) -> HttpConnection:
        return CannedConnection(
            origin, ssl_context=self.tls_context, keepalive_expiry=60.0,
            on_closed=self._connection_closed,
        )  # fmt: skip


class Counting(MetricsCollector):
    """The worker's collector, stopping every user after `total` requests."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
        self.requests = 0
        self.users: list[VirtualUser] = []

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        """Count as the collector does; stop the users at `total`."""
        super().record(name, method, status, latency_us, nbytes, error)
        self.requests += 1
        if self.requests >= self.total:
            for user in self.users:
                user.stop()


async def _run(total: int, scenario_file: Path) -> dict[str, object]:
    (definition,) = load_scenarios(scenario_file)
    resolved = resolve_scenario(definition, {})
    recorder = Counting(total)
    pool = CannedPool(max_connections=USERS)
    for user_id in range(USERS):
        client = HttpClient(base_url=resolved.base_url, pool=pool, recorder=recorder)
        user = VirtualUser(
            UserInfo(user_id, user_id, 0, 1), definition, client, recorder, random.Random(user_id)
        )
        recorder.users.append(user)
    await asyncio.gather(*(user.run() for user in recorder.users))
    await pool.aclose()
    taken = recorder.take_interval()
    return {
        "path": extensions.PATH.describe(),
        "iterations": taken.iterations,
        "endpoints": {name: e.to_dict() for name, e in sorted(taken.endpoints.items())},
        "distribution": {
            name: e.latency.distribution_ms() for name, e in sorted(taken.endpoints.items())
        },
        "checks": {name: repr(counts) for name, counts in taken.scenario.checks.items()},
    }


def main() -> None:
    """Run the number of requests the first argument names; print the counts as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        scenario_file = Path(tmp) / "canned_scenario.py"
        scenario_file.write_text(SCENARIO)
        print(json.dumps(asyncio.run(_run(int(sys.argv[1]), scenario_file)), indent=1))


if __name__ == "__main__":
    main()
