"""How much CPU the server process spends on a run it executes at a high request rate.

The issue's target is a run started through the API that sustains 10 000
requests/s with the server process under 80 % of a core. The load itself
is driven by the run's child process (and its workers); what the server
does per run is read one progress line a second and pass it to the sink.
This measures exactly that part: it drives a run through
`ProcessRunExecutor` with a sink that only counts, and reports the CPU this
process used per second of the run, next to the rate the run achieved.

    mkdir -p /tmp/loadforge-nginx
    taskset -c 0 nginx -p /tmp/loadforge-nginx -c "$PWD/benchmarks/nginx.conf"
    taskset -c 1 uv run --frozen python benchmarks/server_api.py \\
        --url http://127.0.0.1:8080/ --rps 10000 --users 50 --duration 20
    nginx -p /tmp/loadforge-nginx -c "$PWD/benchmarks/nginx.conf" -s stop

The API process adds its database writes and WebSocket broadcasts of the
same one message a second; this figure is the executor's floor under them.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadforge.server.contract import JsonObject, RunEnding, RunJob, RunState
from loadforge.server.execution import ProcessRunExecutor


@dataclass
class CountingSink:
    """A RunSink that counts messages and notes the run's window."""

    progress: int = 0
    logs: list[str] = field(default_factory=list)
    started_at: float | None = None
    cpu_at_start: float | None = None
    ending: RunEnding | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def run_started(self, run_id: int, results_dir: Path) -> None:
        """Start the clocks."""
        self.started_at = time.perf_counter()
        self.cpu_at_start = time.process_time()

    async def run_progress(
        self, run_id: int, snapshot: JsonObject, elapsed_seconds: float, duration_seconds: float
    ) -> None:
        """Count."""
        self.progress += 1

    async def run_log(self, run_id: int, line: str) -> None:
        """Keep (worker losses are reported here)."""
        self.logs.append(line)

    async def run_finished(self, run_id: int, ending: RunEnding) -> None:
        """Stop waiting."""
        self.ending = ending
        self.done.set()


async def measure(args: argparse.Namespace) -> int:
    """Run once and print the figures; 1 when the run did not complete."""
    sink = CountingSink()
    executor = ProcessRunExecutor(sink)
    profile: dict[str, object] = {
        "users": args.users,
        "duration": args.duration,
        "rps": args.rps,
        "workers": args.workers,
    }
    with tempfile.TemporaryDirectory(prefix="loadforge-bench-") as results:
        spec = {"request": {"method": "GET", "url": args.url}, "load_profile": profile}
        await executor.submit(RunJob(run_id=1, spec=spec, results_root=Path(results)))
        await sink.done.wait()
        wall = time.perf_counter() - (sink.started_at or time.perf_counter())
        cpu = time.process_time() - (sink.cpu_at_start or time.process_time())
    ending = sink.ending
    assert ending is not None
    summary = ending.summary or {}
    lost = [line for line in sink.logs if " lost at " in line]
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"run: {ending.state.value}, {summary.get('rps', 0):.0f} requests/s achieved")
    print(f"requests: {summary.get('total_requests')}, failed: {summary.get('failed_requests')}")
    print(f"worker processes lost: {len(lost)}")
    print(f"server process CPU: {cpu:.3f} s over {wall:.1f} s = {100 * cpu / wall:.2f} % of a core")
    print(f"progress messages: {sink.progress} ({sink.progress / wall:.2f}/s)")
    return 0 if ending.state is RunState.COMPLETED and not lost else 1


def main() -> int:
    """Parse the flags and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument("--rps", type=float, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--workers", type=int, default=1)
    return asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
