"""Peak resident memory of a `loadforge run` process tree (coordinator and workers).

Starts `python -m loadforge run ARGS...` and sums the RSS of the process and
all its descendants from /proc every 0.2 s (Linux only); prints the peak and
the tree's RSS at each quarter of the run, to show whether it grows.

    uv run python benchmarks/memory.py -- SCENARIO.py -w 2 --rps 10000 -u 50 -d 60s -q
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

PAGE = 4096


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and every process descended from it."""
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
    total = 0
    for pid in rss:
        ancestor = pid
        while ancestor not in (0, 1) and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        if ancestor == root:
            total += rss[pid]
    return total


def main() -> None:
    """Run loadforge with the arguments after `--` and print its memory over time."""
    args = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    print("command:", "uv run python " + shlex.join(sys.argv))
    process = subprocess.Popen([sys.executable, "-m", "loadforge", "run", *args])
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    while process.poll() is None:
        samples.append((time.monotonic() - started, tree_rss(process.pid)))
        time.sleep(0.2)
    if not samples:
        return
    peak = max(value for _, value in samples)
    print(f"peak tree RSS: {peak / 2**20:.1f} MiB over {samples[-1][0]:.0f} s")
    for quarter in (0.25, 0.5, 0.75, 1.0):
        at, value = samples[min(len(samples) - 1, int(len(samples) * quarter) - 1)]
        print(f"  at {at:5.0f} s: {value / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
