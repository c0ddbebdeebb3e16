"""What the live exports cost: CPU per request with `--prometheus` scraped every second, and
the CPU of each step of an export with 100 endpoints.

`rounds` (the default) runs `loadforge run -w 1` against a target in
alternating rounds, without and with `--prometheus` (a thread here scrapes
it every second), and reads the run's own CPU time from /proc between its
2nd and its last-but-one snapshot, so start-up and import time do not
count; requests come from the same snapshots. `steps` times, in this
process, each step an export makes with 100 endpoints: the per-second
totals and families (on the run's loop), one scrape in the text format and
in OpenMetrics, one remote-write body and one OTLP request.

    uv run python benchmarks/export_cost.py rounds --nginx --rounds 6 --seconds 12
    uv run python benchmarks/export_cost.py steps --endpoints 100
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from nginx_target import running_nginx

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="Export cost", base_url="{url}", think_time=0)
class ExportCost:
{tasks}
"""
TASK = """
    @task
    async def endpoint_{index}(self, client: HttpClient) -> None:
        await client.get("/", name="endpoint {index}")
"""
TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _scrape_every_second(url: str, stop: threading.Event, counted: list[int]) -> None:
    while not stop.wait(1.0):
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
            counted.append(1)
        except OSError:
            pass


def one_round(scenario: Path, args: argparse.Namespace, exported: bool) -> tuple[float, int, int]:
    """CPU seconds and requests between the 2nd and the last-but-one snapshot; scrapes made."""
    output = Path(tempfile.mkdtemp(prefix="loadforge-export-cost-"))
    port = _free_port()
    command = [
        sys.executable, "-m", "loadforge", "run", str(scenario), "-u", str(args.users),
        "-d", f"{args.seconds}s", "-w", "1", "-q", "--no-report", "-o", str(output),
    ]  # fmt: skip
    if exported:
        command += ["--prometheus", f"127.0.0.1:{port}"]
    pin = ["taskset", "-c", args.cpus] if args.cpus else []
    process = subprocess.Popen([*pin, *command], stdout=subprocess.DEVNULL)
    stop = threading.Event()
    scrapes: list[int] = []
    if exported:
        url = f"http://127.0.0.1:{port}/metrics"
        threading.Thread(target=_scrape_every_second, args=(url, stop, scrapes)).start()
    marks: dict[int, float] = {}
    first, last = 2, args.seconds - 1
    deadline = time.monotonic() + args.seconds + 30
    while process.poll() is None and time.monotonic() < deadline and last not in marks:
        lines = _snapshot_lines(output)
        if len(lines) in (first, last) and len(lines) not in marks:
            marks[len(lines)] = _cpu_seconds(process.pid)
        time.sleep(0.01)
    process.wait(timeout=60)
    stop.set()
    lines = _snapshot_lines(output)
    requests = sum(int(json.loads(line)["requests"]) for line in lines[first:last])
    return marks[last] - marks[first], requests, len(scrapes)


def _snapshot_lines(output: Path) -> list[str]:
    found = list(output.glob("*/snapshots.jsonl"))
    return found[0].read_text().splitlines() if found else []


def rounds(args: argparse.Namespace) -> None:
    """Alternate plain and exported runs; print CPU per request of each and the difference."""
    with tempfile.TemporaryDirectory() as directory:
        scenario = Path(directory) / "scenario.py"
        tasks = "".join(TASK.format(index=index) for index in range(args.run_endpoints))
        scenario.write_text(SCENARIO.format(url=args.url, tasks=tasks))
        per_request: dict[bool, list[float]] = {False: [], True: []}
        for index in range(args.rounds):
            for exported in (False, True) if index % 2 == 0 else (True, False):
                cpu, requests, scrapes = one_round(scenario, args, exported)
                per_request[exported].append(cpu / requests * 1e6)
                label = f"--prometheus ({scrapes} scrapes)" if exported else "plain"
                print(f"round {index + 1} {label:>26}: {requests / (args.seconds - 3):8.0f} req/s,"
                      f" {cpu / requests * 1e6:6.2f} µs CPU/request", flush=True)  # fmt: skip
    plain, exported_runs = (statistics.median(per_request[key]) for key in (False, True))
    print(f"median CPU per request: plain {plain:.2f} µs, --prometheus {exported_runs:.2f} µs,"
          f" {100 * (exported_runs / plain - 1):+.1f} %")  # fmt: skip


def steps(args: argparse.Namespace) -> None:
    """Time each export step on a run with `--endpoints` endpoints."""
    from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
    from prometheus_client.exposition import generate_latest
    from prometheus_client.openmetrics.exposition import (
        generate_latest as generate_openmetrics,
    )
    from prometheus_client.registry import CollectorRegistry

    from loadforge.exports.otlp import metrics_data, resource
    from loadforge.exports.remote_write import encode
    from loadforge.exports.scrape import FiguresCollector
    from loadforge.exports.series import BOUNDS_US, RunInfo, figures
    from loadforge.metrics.collector import MetricsCollector
    from loadforge.metrics.snapshots import SnapshotBuilder

    rng = random.Random(1)
    builder = SnapshotBuilder()
    snapshot = None
    for second in range(args.warm_seconds):
        collector = MetricsCollector()
        for index in range(args.endpoints):
            for _ in range(args.requests_per_endpoint):
                latency = int(rng.lognormvariate(8.5, 0.6))
                error = "http_503" if rng.random() < 0.01 else None
                collector.record(
                    f"endpoint {index}", "GET", 503 if error else 200, latency, 200, error
                )
        snapshot = builder.add_interval(
            collector.take_interval(), timestamp=1e9 + second, elapsed=second + 1.0,
            interval_seconds=1.0, active_users=50, target_users=50,
        )  # fmt: skip
    assert snapshot is not None
    info = RunInfo("Export cost", "export-cost-1")
    made = figures(info, snapshot, builder.run_totals(BOUNDS_US), start_time=1e9)
    registry = CollectorRegistry(auto_describe=False)
    serving = FiguresCollector()
    serving.latest = made
    registry.register(serving)
    owner = resource(info, {})
    timed: list[tuple[str, Callable[[], object]]] = [
        ("run's loop, each second: totals + families", lambda: figures(
            info, snapshot, builder.run_totals(BOUNDS_US), start_time=1e9)),
        ("one scrape, text format", lambda: generate_latest(registry)),
        ("one scrape, OpenMetrics", lambda: generate_openmetrics(registry)),  # type: ignore[no-untyped-call]
        ("one remote-write body (protobuf + snappy)", lambda: encode(made, info)),
        ("one OTLP request (MetricsData + protobuf)", lambda: encode_metrics(
            metrics_data(made, owner)).SerializeToString()),
    ]  # fmt: skip
    print(f"{args.endpoints} endpoints, {len(generate_latest(registry))} bytes of text per scrape")
    for label, step in timed:
        runs = []
        for _ in range(args.repeat):
            started = time.process_time()
            step()
            runs.append(time.process_time() - started)
        print(f"{label:>45}: median {statistics.median(runs) * 1000:6.2f} ms CPU,"
              f" max {max(runs) * 1000:6.2f} ms ({args.repeat} times)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("rounds", help="CPU per request with and without --prometheus")
    run.add_argument("--url", default="http://127.0.0.1:8080")
    run.add_argument("--nginx", action="store_true", help="start nginx (nginx.conf) as target")
    run.add_argument("--target-cpu", default=None, help="pin nginx here (taskset -c)")
    run.add_argument("--cpus", default=None, help="pin the generator here (taskset -c)")
    run.add_argument("--rounds", type=int, default=6)
    run.add_argument("--seconds", type=int, default=12)
    run.add_argument("--users", type=int, default=50)
    run.add_argument("--run-endpoints", type=int, default=10)
    cost = commands.add_parser("steps", help="CPU of each export step")
    cost.add_argument("--endpoints", type=int, default=100)
    cost.add_argument("--requests-per-endpoint", type=int, default=200)
    cost.add_argument("--warm-seconds", type=int, default=30)
    cost.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if args.command == "steps":
        steps(args)
    elif args.nginx:
        with running_nginx(args.target_cpu):
            rounds(args)
    else:
        rounds(args)


if __name__ == "__main__":
    main()
