"""LoadForge's requests/s with 1, 2, 4 ... worker processes beside wrk, and the snapshot delay.

For each worker count N, `loadforge run --workers N` (closed model, no think
time, `--users-per-worker` users per worker, every metric on) hammers one URL,
then `wrk -tN -c<same connections>` does the same. Both generators are pinned
to `--cpus`; `--nginx` starts nginx from benchmarks/nginx.conf pinned to
`--target-cpu`. The run goes through the library, so an observer can time
each snapshot: the delay is from the end of a second (the snapshot's own
timestamp) to the moment the coordinator published it.

`--delay-workers 16` adds a light run (one user per worker) with that many
workers, only to measure the publish delay with many workers on few cores.

    uv run python benchmarks/scaling.py --nginx --workers 1 --duration 10
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loadforge.engine.session import RunObservers, RunRequest, run_session
from loadforge.engine.settings import LoadSettings
from loadforge.metrics.models import MetricSnapshot
from loadforge.patterns import ConstantPattern
from nginx_target import running_nginx

HERE = Path(__file__).resolve().parent

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="bench", base_url="{base}", think_time={think})
class Bench:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("{path}", name="bench")
"""


@dataclass(frozen=True)
class Measured:
    """One LoadForge run: its rate and its snapshots' publish delays in ms."""

    workers: int
    users: int
    rps: float
    delays_ms: list[float]


def main() -> None:
    """Run every worker count (and wrk beside it) and print the table."""
    args = _parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    os.sched_setaffinity(0, _cpu_set(args.cpus))
    wrk = shutil.which("wrk")
    with running_nginx(args.target_cpu) if args.nginx else nullcontext():
        for workers in args.workers:
            users = workers * args.users_per_worker
            ours = measure(args, workers, users, think=0.0)
            line = f"workers {workers:>2}  users {users:>4}  loadforge {_rate(ours)}"
            if wrk:
                theirs = run_wrk(args, wrk, workers, users)
                ratio = ours.rps / theirs
                line += f"  wrk {theirs:>10,.0f}/s  ratio {ratio:.1%}"
            print(line + f"  publish delay {_delays(ours.delays_ms)}")
        if args.delay_workers:
            light = measure(args, args.delay_workers, args.delay_workers, think=0.5)
            print(
                f"publish delay with {args.delay_workers} workers (1 user each, light load): "
                + _delays(light.delays_ms)
            )


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument(
        "--workers",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1],
        help="comma-separated worker counts, e.g. 1,2,4,8",
    )
    parser.add_argument("--users-per-worker", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--cpus", default="1", help="core(s) for the generators, e.g. 8-15")
    parser.add_argument("--nginx", action="store_true", help="start nginx (benchmarks/nginx.conf)")
    parser.add_argument("--target-cpu", default="0", help="core(s) for nginx")
    parser.add_argument("--delay-workers", type=int, default=0)
    return parser.parse_args()


def _cpu_set(text: str) -> set[int]:
    cpus: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def measure(args: argparse.Namespace, workers: int, users: int, *, think: float) -> Measured:
    """One `loadforge run` through the library, timing each snapshot's publication."""
    parts = urlsplit(args.url)
    delays: list[float] = []

    def on_snapshot(snapshot: MetricSnapshot) -> None:
        delays.append((time.time() - snapshot.timestamp) * 1000.0)

    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench_scenario.py"
        scenario.write_text(
            SCENARIO.format(
                base=f"{parts.scheme}://{parts.netloc}", path=parts.path or "/", think=think
            )
        )
        settings = LoadSettings(
            pattern=ConstantPattern(users), duration=float(args.duration), workers=workers
        )
        request = RunRequest(scenario_path=scenario, load=settings, output_root=Path(tmp))
        outcome = run_session(request, RunObservers(on_snapshot=(on_snapshot,)))
    # The last snapshot covers the drain after the run's end, not a second.
    per_second = delays[:-1]
    return Measured(workers, users, outcome.result.final_summary.rps, per_second)


def run_wrk(args: argparse.Namespace, wrk: str, threads: int, connections: int) -> float:
    """wrk with as many threads as workers and as many connections as users; requests/s."""
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{args.duration}s", args.url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    match = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return float(match.group(1))


def _rate(measured: Measured) -> str:
    return f"{measured.rps:>10,.0f}/s"


def _delays(delays_ms: list[float]) -> str:
    if not delays_ms:
        return "n/a"
    return (
        f"median {statistics.median(delays_ms):.1f} ms, max {max(delays_ms):.1f} ms"
        f" over {len(delays_ms)} snapshots"
    )


if __name__ == "__main__":
    main()
