"""A run started through `loadforge serve`'s API: the rate it sustains and what the server costs.

Starts nginx (benchmarks/nginx.conf, `return 200` on 127.0.0.1:8080) unless
`--no-nginx`, then `loadforge serve` on a free loopback port with a fresh
data directory, saves a spec that GETs http://127.0.0.1:8080/anything with
`--rps` as the rate limit, starts it over the API and waits for its end. The
server process's own CPU time (user + system, from /proc, without its
children: the run's processes are separate) over the run's wall time is its
share of one core: the API, the database writes of a snapshot a second and
the WebSocket fan-out to `--watchers` clients. The run must end `completed`
with no worker lost.

    uv run python benchmarks/server_api.py --rps 10000 --duration 30
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


from nginx_target import running_nginx  # noqa: E402
from server_harness import ServeProcess, serve_process  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FINAL = {"completed", "stopped", "failed", "interrupted"}


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rps", type=float, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default="http://127.0.0.1:8080/anything")
    parser.add_argument("--watchers", type=int, default=1, help="WebSocket clients on the run")
    parser.add_argument("--no-nginx", action="store_true", help="the target is already running")
    return parser.parse_args()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process, without its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def measure(server: ServeProcess, args: argparse.Namespace) -> None:
    """Start the run over the API, sample the server's CPU, print the figures."""
    profile = {"users": args.users, "duration": args.duration, "rps": args.rps,
               "workers": args.workers}  # fmt: skip
    request = {"method": "GET", "url": args.url, "headers": {}, "body": None,
               "attachment_id": None, "body_mode": "raw"}  # fmt: skip
    spec = server.json("POST", "/api/specs", json={
        "name": "server benchmark", "request": request, "load_profile": profile, "thresholds": [],
    })  # fmt: skip
    pid = server.process.pid
    cpu_before, wall_before = process_cpu_seconds(pid), time.monotonic()
    run = server.json("POST", f"/api/runs/{spec['id']}")
    run_id = int(str(run["id"]))
    server.wait_for_run(run_id, ["running"])
    received: list[int] = []
    watchers = [
        threading.Thread(target=_watch, args=(server, run_id, received), daemon=True)
        for _ in range(args.watchers)
    ]
    for watcher in watchers:
        watcher.start()
    ended = server.wait_for_run(run_id, ["completed", "failed", "stopped"], args.duration + 60)
    cpu = process_cpu_seconds(pid) - cpu_before
    wall = time.monotonic() - wall_before
    for watcher in watchers:
        watcher.join(10)
    summary = ended["summary"]
    assert isinstance(summary, dict), ended
    print(f"status:          {ended['status']}  (error: {ended['error']})")
    print(f"requests:        {summary['requests']:,} in {summary['duration_seconds']:.1f} s")
    print(f"rate:            {summary['rps']:,.0f} requests/s (asked {args.rps:,.0f})")
    print(f"server CPU:      {cpu:.2f} s over {wall:.1f} s = {100 * cpu / wall:.1f} % of a core")
    print(
        f"WebSocket:       {len(received)} of {args.watchers} watcher(s) read to the end, "
        f"{sum(received)} messages received"
    )
    lost = [line for line in server.output.splitlines() if "lost" in line]
    print(f"workers lost:    {len(lost)}")


def _watch(server: ServeProcess, run_id: int, received: list[int]) -> None:
    """Read the run's WebSocket until its final status, as a browser on the run page does."""
    count = 0
    with server.websocket(f"/ws/runs/{run_id}") as socket_:
        for text in socket_:
            count += 1
            message = json.loads(text)
            if message["type"] == "status" and message["data"]["status"] in FINAL:
                break
    received.append(count)


def main() -> None:
    args = _parse_args()
    print("command: uv run python " + shlex.join(["benchmarks/server_api.py", *sys.argv[1:]]))
    with (
        running_nginx() if not args.no_nginx else nullcontext(),
        tempfile.TemporaryDirectory() as data,
        serve_process(Path(data)) as server,
    ):
        measure(server, args)


if __name__ == "__main__":
    main()
