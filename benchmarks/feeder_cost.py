"""What a `Feeder` costs: one `next()` per mode, and each worker's memory with a 1 M-row CSV.

    uv run python benchmarks/feeder_cost.py                 # 1,000,000 rows, 2 and 4 workers
    uv run python benchmarks/feeder_cost.py --rows 200000

Writes a CSV of `--rows` rows (user, password, item: about 40 bytes a row)
to a temporary directory, then:
- times `next()` on a feeder holding the whole file, per mode, best of 5
  rounds of 200,000 calls;
- for N workers, starts N processes that each bind worker i of N and load
  the feeder, as a worker process does before its users start, and reads
  their resident memory (VmRSS) before and after; and one process that only
  checks the file, as the coordinator does.
Figures go to stdout with the command that made them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

MODES = ("circular", "random", "shuffle", "unique")
Loaded = tuple[int, int, int, int, float]
"""What a loading process reports: worker index, rows kept, RSS KiB before and after, seconds."""


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _write(path: Path, rows: int) -> None:
    with path.open("w") as stream:
        stream.write("user,password,item\n")
        for i in range(rows):
            stream.write(f"user{i}@example.com,secret{i % 997},{i % 1000}\n")


def _load(
    path: str, index: int, count: int, keep: bool, out: multiprocessing.Queue[object]
) -> None:
    from loadforge.dsl import feeders

    before = _rss_kib()
    if keep:
        feeders.bind_worker(index, count)
    started = time.perf_counter()
    feeder = feeders.Feeder.csv(path)
    seconds = time.perf_counter() - started
    out.put((index, feeder.share, before, _rss_kib(), seconds))


def _next_cost(path: Path, calls: int) -> dict[str, float]:
    from loadforge.dsl import feeders

    feeders.bind_worker(0, 1)
    costs: dict[str, float] = {}
    for mode in MODES:
        feeder = feeders.Feeder.csv(path, mode=mode, seed=1)
        best = float("inf")
        for _ in range(5):
            if mode == "unique":
                feeder = feeders.Feeder.csv(path, mode=mode)
            pick = feeder.next
            started = time.perf_counter()
            for _ in range(calls):
                pick()
            best = min(best, (time.perf_counter() - started) / calls)
        costs[mode] = best * 1e6
    return costs


def _memory(path: Path, workers: int) -> list[tuple[str, int, int, int, float]]:
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[object] = context.Queue()
    shown: list[tuple[str, int, int, int, float]] = []
    for label, count, keep in (("coordinator (checks only)", 1, False), (None, workers, True)):
        processes = [
            context.Process(target=_load, args=(str(path), index, count, keep, out))
            for index in range(count)
        ]
        for process in processes:
            process.start()
        results = [cast("Loaded", out.get(timeout=300)) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        for index, share, before, after, seconds in sorted(results):
            name = label or f"worker {index} of {workers}"
            shown.append((name, share, before, after, seconds))
    return shown


def main() -> None:
    """Print next() cost per mode and per-worker memory for a large CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.csv"
        _write(path, args.rows)
        size_mib = path.stat().st_size / 2**20
        print(f"$ {' '.join(['python', *sys.argv])}")
        print(f"{args.rows:,} rows, {size_mib:.1f} MiB of CSV")
        calls = min(200_000, args.rows)
        for mode, cost in _next_cost(path, calls).items():
            print(f"next() {mode:<9} {cost:.2f} µs")
        for workers in args.workers:
            for name, share, before, after, seconds in _memory(path, workers):
                grown = (after - before) / 1024
                print(
                    f"{name:<26} rows kept {share:>9,}  RSS {before / 1024:6.1f} ->"
                    f" {after / 1024:6.1f} MiB (+{grown:.1f})  load {seconds:.2f}s"
                )


if __name__ == "__main__":
    main()
