"""CPU time one worker spends per second building its snapshot, by endpoints and rate.

A run at R requests/s over E endpoints records R latencies a second
(lognormal, median ~0.7 ms, the spread of a real target's latencies at µs
resolution), then builds the second's `MetricSnapshot` exactly as a
worker does: flush each endpoint's pending latencies into its HDR
histogram, merge them into the whole-run histograms, compute the
percentiles. That time is taken from the core that sends the requests.

    uv run python benchmarks/snapshot_cost.py --endpoints 1,10 --rate 45000
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import sys
import time

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.snapshots import SnapshotBuilder


def measure(endpoints: int, rate: int, seconds: int, seed: int = 1) -> list[float]:
    """Milliseconds spent building each of `seconds` snapshots."""
    rng = random.Random(seed)
    names = [f"GET /endpoint/{index}" for index in range(endpoints)]
    collector, builder = MetricsCollector(), SnapshotBuilder()
    LatencyHistogram.prepare()
    spent = []
    for second in range(seconds):
        for index in range(rate):
            latency = int(rng.lognormvariate(6.5, 0.8))
            collector.record(names[index % endpoints], "GET", 200, latency, 2, None)
        started = time.perf_counter()
        builder.add_interval(
            collector.take_interval(),
            timestamp=float(second),
            elapsed=float(second + 1),
            interval_seconds=1.0,
            active_users=50,
            target_users=50,
        )
        spent.append((time.perf_counter() - started) * 1000.0)
    return spent


def main() -> None:
    """Print the median and range of the per-second cost for each endpoint count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--endpoints", default="1,10", help="comma-separated endpoint counts")
    parser.add_argument("--rate", type=int, default=45_000, help="requests per second")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    for endpoints in (int(count) for count in args.endpoints.split(",")):
        spent = measure(endpoints, args.rate, args.seconds)
        print(
            f"{endpoints:3d} endpoint(s) at {args.rate:,} requests/s: "
            f"{statistics.median(spent):6.1f} ms per second "
            f"(range {min(spent):.1f}-{max(spent):.1f} over {len(spent)} s)"
        )


if __name__ == "__main__":
    main()
