"""LoadForge against wrk: the same closed-loop load, requests/s of each and their ratio.

N users with no think time hammer one URL, first with `loadforge run` (one
worker process, every metric on: HDR histograms per endpoint and per second,
snapshots written to disk), then with `wrk -t1 -cN`. On a 2-core machine pin
the target to one core and the generator to the other so the figure is per
core: `--nginx` starts nginx from benchmarks/nginx.conf pinned to
`--target-cpu`, and both generators run under `taskset -c --cpu`.

Requests/s alone is only a fair figure when the generator's core is the
bottleneck and nothing else runs on the machine. So the script also reports
each generator's CPU time per request (user + system, from the kernel's
accounting of the child process): the per-core cost, which a busy machine
or a slow target disturbs much less. LoadForge's figure includes its start
(imports, writing results), so it slightly overstates the per-request cost.

    uv run python benchmarks/loadforge_vs_wrk.py --nginx --users 50 --duration 10
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

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


def main() -> None:
    """Run both generators and print the comparison."""
    args = _parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    with _maybe_nginx(args):
        loadforge = run_loadforge(args)
        wrk_path = shutil.which("wrk")
        wrk = run_wrk(args, wrk_path) if wrk_path else None
        locust = run_locust(args, args.locust) if args.locust else None
    print(f"loadforge: {loadforge.describe()}   ({loadforge.command})")
    if locust is not None:
        print(f"locust:    {locust.describe()}   ({locust.command})")
    if locust is not None:
        print(f"vs locust: {loadforge.rps / locust.rps:.1f}x Locust's requests/s")
    if wrk is None:
        print("wrk:       skipped (wrk not installed)")
        return
    print(f"wrk:       {wrk.describe()}   ({wrk.command})")
    print(f"ratio:     {loadforge.rps / wrk.rps:.1%} of wrk's requests/s")
    per_core = wrk.cpu_us_per_request / loadforge.cpu_us_per_request
    print(f"           {per_core:.1%} of wrk's per-core rate (CPU time per request)")


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
    return parser.parse_args()


@contextmanager
def _maybe_nginx(args: argparse.Namespace) -> Iterator[None]:
    if not args.nginx:
        yield
        return
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = HERE / "nginx.conf"
    base = ["taskset", "-c", args.target_cpu, nginx, "-c", str(conf), "-p", "/tmp"]
    subprocess.run(base, check=True)
    time.sleep(0.5)
    try:
        yield
    finally:
        subprocess.run([*base, "-s", "stop"], check=False)


def run_loadforge(args: argparse.Namespace) -> Measured:
    """Run `loadforge run` pinned to the generator core and measure it."""
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
        cpu_before = _children_cpu_seconds()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        cpu = _children_cpu_seconds() - cpu_before
        result_file = next((Path(tmp) / "results").glob("*/result.json"))
        summary = json.loads(result_file.read_text())["final_summary"]
    rps = float(summary["requests_per_second"])
    return Measured(rps, int(summary["total_requests"]), cpu, shlex.join(cmd))


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
