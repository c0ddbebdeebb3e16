"""What a run's per-second history holds in memory: a plain list against `SnapshotHistory`.

Appends SECONDS synthetic per-second snapshots, each with ENDPOINTS
endpoints, to a list (what the coordinator kept before histories were
bounded) and to a `SnapshotHistory`, and prints the Python memory each one
holds at 1, 10, 30 and 60 minutes and at the end: the `sys.getsizeof` of
every object reachable from it, each counted once (tracemalloc would slow
a 24-hour history's appends tenfold). No network, no run: it measures the
one part of a long run's memory that grows with its length.

    uv run python benchmarks/history_memory.py --seconds 86400 --endpoints 10
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable

from loadforge.metrics.history import SnapshotHistory
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot

MIB = 2**20
MARKS = (60, 600, 1_800, 3_600)


def second_of(endpoints: int, second: int) -> MetricSnapshot:
    """Second `second` with `endpoints` endpoints, 100 requests each, in objects of its own.

    Each figure is computed from the second, so each snapshot holds its own
    floats and dicts as the snapshot builder's do (copies of one template
    would share them and hold less).
    """
    jitter = second * 1e-9
    metrics = {
        f"endpoint-{n}": EndpointMetrics(
            name=f"endpoint-{n}", method="GET", requests=100 + second % 3, rps=100.0 + jitter,
            latency_p50=1.0 + jitter, latency_p95=2.0 + jitter, latency_p99=3.0 + jitter,
            latency_avg=1.2 + jitter, latency_max=9.0 + jitter, errors=1 + second % 2,
            error_rate=0.01 + jitter, bytes_received=10_000 + second,
        )
        for n in range(endpoints)
    }  # fmt: skip
    total = sum(m.requests for m in metrics.values())
    errors = sum(m.errors for m in metrics.values())
    return MetricSnapshot(
        timestamp=1.7e9 + second, elapsed_seconds=float(second), active_users=50,
        target_users=50, requests=total, rps=total + jitter, latency_p50=1.0 + jitter,
        latency_p75=1.5 + jitter, latency_p90=1.8 + jitter, latency_p95=2.0 + jitter,
        latency_p99=3.0 + jitter, latency_p999=5.0 + jitter, latency_min=0.2 + jitter,
        latency_max=9.0 + jitter, latency_avg=1.2 + jitter, errors=errors,
        error_rate=errors / total, errors_by_status={500: errors},
        errors_by_type={"http_500": errors}, endpoints=metrics,
        bytes_received=10_000 * endpoints + second, task_errors=0,
    )  # fmt: skip


def deep_size(root: object) -> int:
    """Bytes of `root` and of every object reachable from it, each counted once."""
    seen: set[int] = set()
    frontier = [root]
    total = 0
    while frontier:
        item = frontier.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        frontier.extend(gc.get_referents(item))
    return total


def held(
    seconds: int, endpoints: int, keep: Callable[[MetricSnapshot], None], holder: object
) -> list[str]:
    """Feed `keep` one fresh snapshot a second; `holder`'s size at each mark, as lines."""
    lines = []
    started = time.perf_counter()
    for second in range(1, seconds + 1):
        keep(second_of(endpoints, second))
        if second in MARKS or second == seconds:
            lines.append(f"  {second / 60:6.0f} min: {deep_size(holder) / MIB:8.2f} MiB")
    lines.append(f"  ({time.perf_counter() - started:.1f} s, sizing included)")
    return lines


def main() -> None:
    """Print both ways' memory over a long run's seconds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=86_400)
    parser.add_argument("--endpoints", type=int, default=10)
    options = parser.parse_args()
    print(
        "command: uv run python benchmarks/history_memory.py"
        f" --seconds {options.seconds} --endpoints {options.endpoints}"
    )
    kept: list[MetricSnapshot] = []
    print("list (every second kept):")
    print("\n".join(held(options.seconds, options.endpoints, kept.append, kept)))
    kept.clear()
    history = SnapshotHistory()
    print("SnapshotHistory (at most 1,200 points):")
    print("\n".join(held(options.seconds, options.endpoints, history.append, history)))
    print(f"  {len(history)} points of {history.seconds_per_point} s at the end")


if __name__ == "__main__":
    main()
