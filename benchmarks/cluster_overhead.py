"""The Ray path's cost per request against local worker processes, in alternating rounds.

The same one-GET scenario (no think time) runs against a counting asyncio
target on loopback, once with `-w N` local worker processes and once with
`--cluster` on N one-CPU Ray nodes (`netns_ray.py`: all in a network
namespace, at 127.0.0.1), N workers each way. A node of one worker runs
no merger actor; `--node-cpus C` makes the nodes C CPUs each (N / C of
them), so that each node's workers go through its merger. The rounds
alternate (ABBA), since this machine's speed drifts by a quarter within
minutes. Each round measures a steady window: from `--settle` seconds after
the first request for `--window` seconds, the target's own count and the
CPU seconds of every process of the run (the coordinator and its workers;
on the Ray side also every Ray process of the nodes: GCS, raylets, the
worker actors and any merger actors). The target runs on CPU 0 and
everything else on CPU 1 (`--no-pin` leaves placement to the kernel).
Prints requests/s and CPU per request for each round, the CPU per request
split by kind of process (the coordinator, local workers, worker actors,
node mergers, raylets, GCS, other Ray processes) and a worker process's CPU
split by thread (the busiest one, which runs the worker's event loop, and
the rest: on an actor, Ray's own threads), the medians, and Ray's ratio to
local.

    sudo uv run python benchmarks/cluster_overhead.py --rounds 3 --workers 2
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netns_ray import (
    ADDRESS,
    counting_target,
    cpu_by_process,
    cpu_by_thread,
    cpu_seconds,
    in_namespace,
    process_kind,
    ray_nodes,
    served,
)

TARGET_PORT = 28081
WORKER_KINDS = ("worker actor", "local worker")
SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="overhead", base_url="http://127.0.0.1:{port}", think_time=0)
class Overhead:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("/", name="get")
"""


@dataclass(frozen=True)
class Round:
    """One steady window of one arm: requests per second and CPU microseconds per request."""

    arm: str
    requests_per_second: float
    cpu_us_per_request: float
    idle_ray_cpu: float  # CPU seconds per second of the Ray processes while they were idle
    breakdown: dict[str, float]  # CPU microseconds per request, by kind of process
    threads: dict[str, float]  # a worker process's CPU µs/request: its loop's thread, the rest


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each arm (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="workers in each arm (default 2)")
    parser.add_argument("--users", type=int, default=20, help="virtual users (default 20)")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before the window")
    parser.add_argument("--window", type=float, default=6.0, help="seconds measured per round")
    parser.add_argument("--no-pin", action="store_true", help="leave CPU placement to the kernel")
    parser.add_argument(
        "--node-cpus",
        type=int,
        default=1,
        help="CPUs (so workers) per Ray node (default 1: no node merger; 2 or more: one per node)",
    )
    return parser.parse_args([a for a in sys.argv[1:] if not a.startswith("--inside")])


def _run_round(arm: str, options: argparse.Namespace, scenario: Path, nodes: list[int]) -> Round:
    """One run of `arm` ('local' or 'ray'), measured over its steady window."""
    pin = [] if options.no_pin else ["taskset", "-c", "1"]
    where = ["--cluster", ADDRESS] if arm == "ray" else []
    duration = options.settle + options.window + 3.0
    args = [
        *pin, sys.executable, "-m", "loadforge", "run", str(scenario), *where,
        "-w", str(options.workers), "-u", str(options.users), "-d", f"{duration:g}s",
        "-o", str(scenario.parent / "results"), "--format", "json", "--no-report", "-q",
    ]  # fmt: skip
    before_count = served(TARGET_PORT)
    errors = scenario.parent / f"{arm}.err"
    with errors.open("wb") as out:
        # From the scenario's directory: under `uv run`, Ray refuses a working_dir
        # without the pyproject.toml of the directory the driver started in.
        run = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=out, cwd=scenario.parent)
    try:
        deadline = time.monotonic() + 120.0
        while served(TARGET_PORT) == before_count:
            if run.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the {arm} run served nothing: {_tail(errors)}")
            time.sleep(0.1)
        time.sleep(options.settle)
        roots = [run.pid, *nodes] if arm == "ray" else [run.pid]
        workers = [p for p in cpu_by_process(roots) if process_kind(p, run.pid) in WORKER_KINDS]
        threads_before = {pid: cpu_by_thread(pid) for pid in workers}
        before, ray_cpu, count, start = (
            cpu_by_process(roots),
            cpu_seconds(nodes),
            served(TARGET_PORT),
            time.monotonic(),
        )
        time.sleep(options.window)
        after, ray_cpu, count, elapsed = (
            cpu_by_process(roots), cpu_seconds(nodes) - ray_cpu,
            served(TARGET_PORT) - count, time.monotonic() - start,
        )  # fmt: skip
        threads = _thread_split(threads_before, {pid: cpu_by_thread(pid) for pid in workers})
        breakdown: dict[str, float] = {}
        for pid, seconds in after.items():
            kind = process_kind(pid, run.pid)
            breakdown[kind] = breakdown.get(kind, 0.0) + seconds - before.get(pid, 0.0)
        cpu = sum(breakdown.values())
    finally:
        run.wait(timeout=120)
    if run.returncode != 0:
        raise SystemExit(f"the {arm} run failed ({run.returncode}): {_tail(errors)}")
    idle = ray_cpu / elapsed if arm == "local" else 0.0
    per_request = {kind: seconds / count * 1e6 for kind, seconds in sorted(breakdown.items())}
    per_thread = {part: seconds / count * 1e6 for part, seconds in threads.items()}
    return Round(arm, count / elapsed, cpu / count * 1e6, idle, per_request, per_thread)


def _thread_split(
    before: dict[int, dict[int, float]], after: dict[int, dict[int, float]]
) -> dict[str, float]:
    """CPU seconds of the worker processes' busiest threads (their loops), and of the rest."""
    split = {"loop thread": 0.0, "other threads": 0.0}
    for pid, now in after.items():
        used = sorted(seconds - before[pid].get(tid, 0.0) for tid, seconds in now.items())
        if used:
            split["loop thread"] += used[-1]
            split["other threads"] += sum(used[:-1])
    return split


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:]


def _report(rounds: list[Round], command: str) -> None:
    print(f"\ncommand: {command}")
    print("| round | arm | requests/s | CPU µs/request |")
    print("|---:|---|---:|---:|")
    for number, measured in enumerate(rounds, 1):
        row = f"{measured.requests_per_second:,.0f} | {measured.cpu_us_per_request:.1f}"
        print(f"| {number} | {measured.arm} | {row} |")
    medians = {}
    for arm in ("local", "ray"):
        mine = [r for r in rounds if r.arm == arm]
        medians[arm] = (
            statistics.median(r.requests_per_second for r in mine),
            statistics.median(r.cpu_us_per_request for r in mine),
        )
        print(
            f"median {arm}: {medians[arm][0]:,.0f} requests/s, {medians[arm][1]:.1f} µs CPU/request"
        )
    (local_rps, local_cpu), (ray_rps, ray_cpu) = medians["local"], medians["ray"]
    rps_ratio, cpu_ratio = ray_rps / local_rps, ray_cpu / local_cpu
    print(f"ray / local: requests/s x{rps_ratio:.3f}, CPU per request x{cpu_ratio:.3f}")
    for arm in ("local", "ray"):
        mine = [r for r in rounds if r.arm == arm]
        kinds = sorted({kind for r in mine for kind in r.breakdown})
        shares = ", ".join(
            f"{kind} {statistics.median(r.breakdown.get(kind, 0.0) for r in mine):.2f}"
            for kind in kinds
        )
        print(f"median µs CPU/request by process, {arm}: {shares}")
        parts = ", ".join(
            f"{part} {statistics.median(r.threads[part] for r in mine):.2f}"
            for part in ("loop thread", "other threads")
        )
        print(f"median µs CPU/request of the worker processes by thread, {arm}: {parts}")
    idle = statistics.median(r.idle_ray_cpu for r in rounds if r.arm == "local")
    print(f"the idle Ray nodes used {idle * 100:.1f} % of a CPU during the local rounds")


def main() -> None:
    """Start the namespace's cluster and target, run the alternating rounds, print the figures."""
    command = "sudo uv run python " + shlex.join(
        [a for a in sys.argv if not a.startswith("--inside")]
    )
    if not in_namespace(sys.argv):
        return
    options = _parse()
    pin = None if options.no_pin else "1"
    with (
        tempfile.TemporaryDirectory(prefix="loadforge-overhead-") as scratch,
        counting_target(TARGET_PORT, None if options.no_pin else "0"),
        ray_nodes(-(-options.workers // options.node_cpus), pin, options.node_cpus) as nodes,
    ):
        scenario = Path(scratch) / "overhead.py"
        scenario.write_text(SCENARIO.format(port=TARGET_PORT))
        rounds: list[Round] = []
        for index in range(options.rounds):
            order = ("local", "ray") if index % 2 == 0 else ("ray", "local")
            for arm in order:
                rounds.append(_run_round(arm, options, scenario, [n.pid for n in nodes]))
                last = rounds[-1]
                shares = ", ".join(
                    f"{k} {v:.2f}" for k, v in (*last.breakdown.items(), *last.threads.items())
                )
                print(f"{arm}: {last.requests_per_second:,.0f} requests/s,"
                      f" {last.cpu_us_per_request:.1f} µs CPU/request ({shares})",
                      flush=True)  # fmt: skip
    _report(rounds, command)


if __name__ == "__main__":
    main()
