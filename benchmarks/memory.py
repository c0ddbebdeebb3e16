"""Peak resident memory of a `loadforge run` process tree (coordinator and workers).

Starts `python -m loadforge run ARGS...` and sums the RSS of the process and
all its descendants from /proc every 0.2 s (Linux only); prints the peak and
the tree's RSS at each quarter of the run, to show whether it grows. With
`--every S` it also prints every S seconds the tree's RSS and each process's,
and at the end the least-squares slope of the tree's RSS (MiB per minute)
after the first minute, the figure that says whether memory grows with the
run's length.

`--marks M1,M2,...` (minutes; default 1,10,30,60, the 1-hour soak) prints
a table of the tree's peak RSS up to each mark and its RSS at the mark, and
the growth of the peak after the first mark in MiB per 10 minutes. The run's
`-d` must reach the last mark. `--target` starts a minimal keep-alive HTTP
target (`200 ok` to every request, asyncio, in a process outside the
measured tree) on a free loopback port and runs a one-GET scenario against
it, so no nginx is needed; the arguments after `--` are then only flags.

    uv run python benchmarks/memory.py -- SCENARIO.py -w 2 --rps 10000 -u 50 -d 60s -q
    uv run python benchmarks/memory.py --every 10 -- SCENARIO.py -w 2 --rps 10000 -d 180s -q
    uv run python benchmarks/memory.py --target -- -w 2 --rps 10000 -u 50 -d 61m -q --no-report
"""

from __future__ import annotations

import argparse
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

PAGE = 4096
MIB = 2**20


def process_rss(root: int) -> dict[int, int]:
    """Bytes resident in `root` and each process descended from it, by pid."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE
    tree: dict[int, int] = {}
    for pid, value in rss.items():
        ancestor = pid
        while ancestor not in (0, 1) and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        if ancestor == root:
            tree[pid] = value
    return tree


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and every process descended from it."""
    return sum(process_rss(root).values())


def slope_mib_per_min(samples: list[tuple[float, int]], after: float = 60.0) -> float | None:
    """Least-squares slope of RSS over time after `after` seconds, in MiB per minute.

    The last 5 s are left out: the workers exit there and the tree shrinks.
    """
    end = samples[-1][0] - 5.0
    points = [(at, value / MIB) for at, value in samples if after <= at <= end]
    if len(points) < 2:
        return None
    mean_t = sum(at for at, _ in points) / len(points)
    mean_v = sum(value for _, value in points) / len(points)
    spread = sum((at - mean_t) ** 2 for at, _ in points)
    if spread == 0:
        return None
    return sum((at - mean_t) * (value - mean_v) for at, value in points) / spread * 60.0


TARGET = """
import asyncio, sys

ANSWER = b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"

async def answer(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\\r\\n\\r\\n")
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"""

SCENARIO = """
from loadforge import HttpClient, scenario, task


@scenario(name="memory", base_url="{base}", think_time=0)
class Memory:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("/", name="get")
"""


def _parse() -> tuple[argparse.Namespace, list[str]]:
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=float, default=None, help="print the RSS every S seconds")
    parser.add_argument("--marks", default="1,10,30,60", help="minutes at which to report the peak")
    parser.add_argument("--target", action="store_true", help="run against a local 200-ok target")
    return parser.parse_args(argv[:split]), argv[split + 1 :]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def local_target(directory: Path) -> Iterator[Path]:
    """A `200 ok` target on a free loopback port, and a scenario file that GETs it."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", TARGET, str(port)])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the local target did not start"
                time.sleep(0.1)
        scenario = directory / "memory_scenario.py"
        scenario.write_text(SCENARIO.format(base=f"http://127.0.0.1:{port}"))
        yield scenario
    finally:
        server.terminate()
        server.wait(10)


def measure(args: Sequence[str], every: float | None) -> list[tuple[float, int]]:
    """Run `loadforge run ARGS` and sample its tree's RSS until it exits: (seconds, bytes)."""
    process = subprocess.Popen([sys.executable, "-m", "loadforge", "run", *args])
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    next_line = every
    while process.poll() is None:
        at = time.monotonic() - started
        by_pid = process_rss(process.pid)
        samples.append((at, sum(by_pid.values())))
        if next_line is not None and every is not None and at >= next_line:
            each = " ".join(f"{pid}:{value / MIB:.1f}" for pid, value in sorted(by_pid.items()))
            print(f"  {at:6.0f} s tree {samples[-1][1] / MIB:6.1f} MiB  [{each}]", flush=True)
            next_line += every
        time.sleep(0.2)
    return samples


def mark_table(samples: list[tuple[float, int]], marks: Sequence[float]) -> list[str]:
    """Markdown rows: each mark's peak RSS so far and RSS at the mark, then the peak's growth."""
    rows = ["| mark | peak tree RSS so far | tree RSS at the mark |", "|---|---:|---:|"]
    peaks: list[tuple[float, float]] = []
    for minutes in marks:
        upto = [(at, value) for at, value in samples if at <= minutes * 60]
        if not upto or upto[-1][0] < minutes * 60 - 2:
            rows.append(f"| {minutes:g} min | (the run ended first) | |")
            continue
        peak = max(value for _, value in upto) / MIB
        peaks.append((minutes, peak))
        rows.append(f"| {minutes:g} min | {peak:.1f} MiB | {upto[-1][1] / MIB:.1f} MiB |")
    if len(peaks) >= 2:
        (first, low), (last, high) = peaks[0], peaks[-1]
        growth = (high - low) / (last - first) * 10
        rows.append("")
        rows.append(
            f"peak growth after {first:g} min: {high - low:+.2f} MiB over {last - first:g} min"
            f" ({growth:+.2f} MiB per 10 min)"
        )
    return rows


def main() -> None:
    """Run loadforge with the arguments after `--` and print its memory over time."""
    options, args = _parse()
    print("command:", "uv run python " + shlex.join(sys.argv), flush=True)
    marks = [float(text) for text in options.marks.split(",") if text.strip()]
    with tempfile.TemporaryDirectory(prefix="loadforge-memory-") as scratch:
        if options.target:
            with local_target(Path(scratch)) as scenario:
                samples = measure([str(scenario), "-o", str(Path(scratch) / "results"), *args],
                                  options.every)  # fmt: skip
        else:
            samples = measure(args, options.every)
    if not samples:
        return
    peak = max(value for _, value in samples)
    print(f"peak tree RSS: {peak / MIB:.1f} MiB over {samples[-1][0]:.0f} s")
    for quarter in (0.25, 0.5, 0.75, 1.0):
        at, value = samples[min(len(samples) - 1, int(len(samples) * quarter) - 1)]
        print(f"  at {at:5.0f} s: {value / MIB:.1f} MiB")
    slope = slope_mib_per_min(samples)
    if slope is not None:
        print(f"slope after 60 s: {slope:+.2f} MiB/min")
    print("\n".join(mark_table(samples, marks)))


if __name__ == "__main__":
    main()
