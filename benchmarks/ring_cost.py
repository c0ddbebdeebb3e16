"""What one worker's second costs on the shared-memory path: encode + copy, then read + decode.

Records `--requests` requests over three endpoints (latencies 0.3-30 ms at
random) into a collector, then times the worker side (flush and encode the
HDR histograms, copy into the ring) and the coordinator side (copy out,
decode), averaged over `--seconds` intervals.

    uv run python benchmarks/ring_cost.py --requests 10000
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import time

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.transport import RingSink, RingSource
from loadforge.metrics.wire import IntervalDecoder, IntervalEncoder, WorkerInterval


def main() -> None:
    """Time both sides of the ring and print the averages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    print("command:", "uv run python " + shlex.join(sys.argv))
    rng = random.Random(1)
    source = RingSource()
    sink = RingSink(source.address)
    encoder, decoder = IntervalEncoder(), IntervalDecoder()
    collector = MetricsCollector()
    worker_side = coordinator_side = 0.0
    sizes = []
    for index in range(1, args.seconds + 1):
        for _ in range(args.requests):
            name = rng.choice(("list", "get", "create"))
            collector.record(name, "GET", 200, rng.randint(300, 30_000), 100, None)
        stats = collector.take_interval()
        started = time.perf_counter()
        payload = encoder.encode(WorkerInterval(index, 50, 50, stats))
        sink.send(payload)
        worker_side += time.perf_counter() - started
        started = time.perf_counter()
        for received in source.receive():
            decoder.decode(received)
        coordinator_side += time.perf_counter() - started
        sizes.append(len(payload))
    sink.close()
    source.close()
    print(f"payload per interval: {min(sizes):,}-{max(sizes):,} bytes")
    print(
        f"worker side (flush, encode, copy into ring): {worker_side / args.seconds * 1000:.1f} ms"
    )
    print(f"coordinator side (copy out, decode): {coordinator_side / args.seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
