"""Peak resident memory of a `loadforge run` process tree (coordinator and workers).

Starts `python -m loadforge run ARGS...` and sums the RSS of the process and
all its descendants from /proc every 0.2 s (Linux only); prints the peak and
the tree's RSS at each quarter of the run, to show whether it grows. With
`--every S` it also prints every S seconds the tree's RSS and each process's,
and at the end the least-squares slope of the tree's RSS (MiB per minute)
after the first minute, the figure that says whether memory grows with the
run's length.

    uv run python benchmarks/memory.py -- SCENARIO.py -w 2 --rps 10000 -u 50 -d 60s -q
    uv run python benchmarks/memory.py --every 10 -- SCENARIO.py -w 2 --rps 10000 -d 180s -q
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
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


def _parse() -> tuple[float | None, list[str]]:
    argv = sys.argv[1:]
    every = None
    if argv[:1] == ["--every"]:
        every = float(argv[1])
        argv = argv[2:]
    return every, argv[argv.index("--") + 1 :] if "--" in argv else argv


def main() -> None:
    """Run loadforge with the arguments after `--` and print its memory over time."""
    every, args = _parse()
    print("command:", "uv run python " + shlex.join(sys.argv), flush=True)
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


if __name__ == "__main__":
    main()
