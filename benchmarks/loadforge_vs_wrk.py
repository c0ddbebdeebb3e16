"""LoadForge against wrk: the same closed-loop load, requests/s of each and their ratio.

N users with no think time hammer one URL, first with `loadforge run` (one
worker process, every metric on: HDR histograms per endpoint and per second,
snapshots written to disk), then with `wrk -t1 -cN`. On a 2-core machine pin
the target to one core and the generator to the other so the figure is per
core: `--nginx` starts nginx from benchmarks/nginx.conf pinned to
`--target-cpu`, and both generators run under `taskset -c --cpu`.

    uv run python benchmarks/loadforge_vs_wrk.py --nginx --users 50 --duration 10
"""

from __future__ import annotations

import argparse
import json
import re
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


def main() -> None:
    """Run both generators and print the comparison."""
    args = _parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    with _maybe_nginx(args):
        loadforge_rps, loadforge_cmd = run_loadforge(args)
        wrk = shutil.which("wrk")
        wrk_rps, wrk_cmd = run_wrk(args, wrk) if wrk else (None, "wrk not installed")
    print(f"loadforge: {loadforge_rps:,.0f} requests/s   ({loadforge_cmd})")
    if wrk_rps is None:
        print(f"wrk: skipped ({wrk_cmd})")
        return
    print(f"wrk:       {wrk_rps:,.0f} requests/s   ({wrk_cmd})")
    print(f"ratio:     {loadforge_rps / wrk_rps:.1%} of wrk")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8080/")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--cpu", default="1", help="core(s) for the generators (taskset -c)")
    parser.add_argument("--nginx", action="store_true", help="start nginx (benchmarks/nginx.conf)")
    parser.add_argument("--target-cpu", default="0", help="core(s) for nginx")
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


def run_loadforge(args: argparse.Namespace) -> tuple[float, str]:
    """Run `loadforge run` pinned to the generator core; return its requests/s."""
    parts = urlsplit(args.url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench_scenario.py"
        scenario.write_text(SCENARIO.format(base=base, path=path))
        cmd = [
            "taskset", "-c", args.cpu, sys.executable, "-m", "loadforge", "run", str(scenario),
            "--users", str(args.users), "--duration", f"{args.duration}s", "--quiet",
            "--output", str(Path(tmp) / "results"),
        ]  # fmt: skip
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        result_file = next((Path(tmp) / "results").glob("*/result.json"))
        summary = json.loads(result_file.read_text())["final_summary"]
    return float(summary["requests_per_second"]), shlex.join(cmd)


def run_wrk(args: argparse.Namespace, wrk: str) -> tuple[float, str]:
    """Run wrk with one thread and N connections; return its requests/s."""
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
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    match = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return float(match.group(1)), shlex.join(cmd)


if __name__ == "__main__":
    main()
