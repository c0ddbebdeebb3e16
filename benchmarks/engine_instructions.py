"""Instructions per request of one worker's whole request path, counted by valgrind.

On a shared machine requests/s and even CPU time per request move by ±25 %
from run to run, which hides hot-path changes of a few percent. Instructions
executed do not depend on what else runs. This script runs the engine's
per-request path with no network (virtual users with no think time ->
HttpClient -> MetricsCollector, one snapshot every 10,000 requests, the
connections answered by `client_throughput.py`'s canned transport) under
`valgrind --tool=cachegrind` twice, for a small and a large number of
requests, and divides the difference in instructions by the difference in
requests, so start-up and shut-down cancel out. Kernel and socket costs are
not in the figure: it measures only what Python and the C extensions do.
The requests are counted, and the snapshots taken, in the canned transport's
`write` (a Python call in place of uvloop's C one), so the worker's own
`MetricsCollector` records each request as it does in a run.

    uv run python benchmarks/engine_instructions.py               # the tree in src/
    uv run python benchmarks/engine_instructions.py --src /tmp/old/src   # another tree (A/B)
    uv run python benchmarks/engine_instructions.py --raw-log      # with `--raw-log` (CSV)
    uv run python benchmarks/engine_instructions.py --timings      # with client.record_timings
    uv run python benchmarks/engine_instructions.py --path pure    # one request path only
    uv run python benchmarks/engine_instructions.py --path bare    # bare_client.py's loop only

Both request paths are counted by default, the compiled one and the
pure-Python one (``LOADFORGE_NO_EXTENSIONS=1``), each line saying which path
the workload really ran (`loadforge.extensions`), and then, for scale, the
bare client: `bare_client.py`'s connections (uvloop and httptools, no
virtual users, no metrics) looping on the same canned transport.

`--run N` (internal) runs the workload itself for N requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
USERS = 50
SNAPSHOT_EVERY = 10_000
SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="bench", base_url="http://127.0.0.1:8080", think_time=0)
class Bench:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("/", name="bench")
"""


def _place(user_id: int) -> Any:
    """A user's place in the run, in the form the tree under test takes (--src may be older)."""
    try:
        from loadforge.dsl.current_user import UserInfo
    except ImportError:  # a tree from before current_user() numbers users with an int
        return user_id
    return UserInfo(user_id, user_id, 0, 1)


async def _workload(
    total: int, scenario_file: Path, raw_log: Path | None, timings: bool = False
) -> int:
    from client_throughput import NGINX_RESPONSE, CannedConnection, CannedPool, CannedTransport
    from loadforge.dsl import load_scenarios, resolve_scenario
    from loadforge.engine.user import VirtualUser
    from loadforge.http import HttpClient
    from loadforge.metrics.collector import MetricsCollector
    from loadforge.metrics.raw_log import RawLogCollector
    from loadforge.metrics.snapshots import SnapshotBuilder

    recorder = MetricsCollector() if raw_log is None else RawLogCollector(raw_log)
    builder = SnapshotBuilder()
    users: list[VirtualUser] = []
    sent = 0

    class CountingTransport(CannedTransport):
        """The canned transport, plus a snapshot every so often and a stop at `total`.

        The count is kept here, in a Python call every request makes anyway,
        so the worker's own collector (an extension type on the compiled path)
        records each request as in a run, with no override in front of it.
        """

        def write(self, data: bytes | bytearray | memoryview) -> None:
            nonlocal sent
            self._loop.call_soon(self._protocol.data_received, NGINX_RESPONSE)
            sent += 1
            if sent % SNAPSHOT_EVERY == 0:
                builder.add_interval(
                    recorder.take_interval(),
                    timestamp=0.0,
                    elapsed=1.0,
                    interval_seconds=1.0,
                    active_users=USERS,
                    target_users=USERS,
                )
            if sent >= total:
                for user in users:
                    user.stop()

    class CountingConnection(CannedConnection):
        """A canned connection on a counting transport."""

        transport_type = CountingTransport

    class CountingPool(CannedPool):
        """A canned pool of counting connections."""

        connection_type = CountingConnection

    (definition,) = load_scenarios(scenario_file)
    resolved = resolve_scenario(definition, {})
    pool = CountingPool(max_connections=USERS)
    for user_id in range(USERS):
        client = HttpClient(base_url=resolved.base_url, pool=pool, recorder=recorder)
        if timings:
            client.record_timings = True
        users.append(
            VirtualUser(_place(user_id), definition, client, recorder, random.Random(user_id))
        )
    await asyncio.gather(*(user.run() for user in users))
    await pool.aclose()
    recorder.close()
    return sent


async def _bare_workload(total: int) -> int:
    """`bare_client.py`'s loop on the canned transport: USERS connections, no metrics."""
    from bare_client import _Connection
    from client_throughput import CannedTransport

    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
    done = 0

    async def drive() -> None:
        nonlocal done
        connection = _Connection()
        connection.connection_made(CannedTransport(connection))
        while done < total:
            await connection.exchange(request)
            done += 1

    await asyncio.gather(*(drive() for _ in range(USERS)))
    return done


def _request_path() -> str:
    """The request path the workload runs, as `loadforge --version` names it."""
    import loadforge

    old = "request path: pure Python (no compiled path in this tree)"
    try:
        from loadforge import extensions
    except ImportError:  # a tree from before the compiled path
        return old
    # The editable install's finder supplies modules that a --src tree lacks: one found
    # outside that tree means the tree has no compiled path.
    if Path(extensions.__file__).parent != Path(loadforge.__file__).parent:
        return old
    return extensions.PATH.describe()


def _instructions(
    src: Path,
    requests: int,
    scenario_file: Path,
    raw_log: Path | None,
    timings: bool,
    path: str,
) -> tuple[int, str]:
    """Instructions valgrind counts for `requests` requests, and the request path they ran.

    `path` is "compiled", "pure" (`LOADFORGE_NO_EXTENSIONS=1`) or "bare" (`_bare_workload`).
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), str(HERE)]), PYTHONHASHSEED="0")
    env.pop("LOADFORGE_NO_EXTENSIONS", None)
    if path == "pure":
        env["LOADFORGE_NO_EXTENSIONS"] = "1"
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--run", str(requests), "--scenario", str(scenario_file),
    ] + (["--log", str(raw_log)] if raw_log is not None else []) + (
        ["--timings"] if timings else []
    ) + (["--bare"] if path == "bare" else [])  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    ran = re.search(r"^request path: .*$", done.stdout, re.MULTILINE)
    if match is None or ran is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", "")), ran.group(0)


def main() -> None:
    """Print instructions per request for the tree in --src (default: this checkout's src/)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--src", type=Path, default=HERE.parent / "src")
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--large", type=int, default=45_000)
    parser.add_argument("--raw-log", action="store_true", help="count with --raw-log's record")
    parser.add_argument("--timings", action="store_true", help="record ttfb and receiving")
    parser.add_argument(
        "--path",
        choices=("all", "both", "compiled", "pure", "bare"),
        default="all",
        help="what to count: all (both request paths, then the bare client), both, or one",
    )
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scenario", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run is not None:
        import uvloop

        if args.bare:
            print("request path: bare client (bare_client.py, no metrics)")
            print("requests", uvloop.run(_bare_workload(args.run)))
            return
        print(_request_path())
        done = uvloop.run(_workload(args.run, args.scenario, args.log, args.timings))
        print("requests", done)
        return
    paths = {
        "all": ("compiled", "pure", "bare"),
        "both": ("compiled", "pure"),
    }.get(args.path, (args.path,))
    with tempfile.TemporaryDirectory() as tmp:
        scenario_file = Path(tmp) / "bench_scenario.py"
        scenario_file.write_text(SCENARIO)
        raw_log = Path(tmp) / "raw.csv" if args.raw_log else None
        mode = (" with --raw-log" if args.raw_log else "") + (
            " with timings" if args.timings else ""
        )
        for path_asked in paths:
            counts = [
                _instructions(args.src, n, scenario_file, raw_log, args.timings, path_asked)
                for n in (args.small, args.large)
            ]
            (small, _), (large, path) = counts
            per_request = (large - small) / (args.large - args.small)
            print(f"{args.src}{mode}, {path}: {per_request:,.0f} instructions per request")


if __name__ == "__main__":
    main()
