"""The coordinator's memory over a `--cluster` run on a two-node Ray cluster in a namespace.

`benchmarks/memory.py` measures a local run's process tree; this runs the
same one-GET scenario against its `200 ok` target (`memory.local_target`),
but with `--cluster` on one-CPU Ray nodes at 127.0.0.1 (`netns_ray.py`),
and samples the resident memory of the coordinator, the Ray driver, with
`memory.measure` (the coordinator's process tree: on a cluster, the driver
alone, the workers being actors on the nodes). Prints memory.py's table:
the peak so far and the RSS at each mark, and the peak's growth after the
first mark per 10 minutes. `-d` must reach the last mark.

    sudo uv run python benchmarks/cluster_memory.py --marks 1,5,9 -- -u 20 --rps 2000 -d 9m
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import MIB, local_target, mark_table, measure, slope_mib_per_min
from netns_ray import ADDRESS, in_namespace, ray_nodes


def _parse() -> tuple[argparse.Namespace, list[str]]:
    argv = [a for a in sys.argv[1:] if not a.startswith("--inside")]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2, help="one-CPU Ray nodes (default 2)")
    parser.add_argument("--marks", default="1,5,9", help="minutes at which to report the peak")
    parser.add_argument("--every", type=float, default=60.0, help="print the RSS every S seconds")
    return parser.parse_args(argv[:split]), argv[split + 1 :]


def main() -> None:
    """Start the cluster and target in a namespace, run loadforge on it, print its memory."""
    command = "sudo uv run python " + shlex.join(
        [a for a in sys.argv if not a.startswith("--inside")]
    )
    if not in_namespace(sys.argv):
        return
    options, args = _parse()
    marks = [float(text) for text in options.marks.split(",") if text.strip()]
    print("command:", command, flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="loadforge-cluster-memory-") as scratch,
        local_target(Path(scratch)) as scenario,
        ray_nodes(options.nodes),
    ):
        # From the scratch directory: under `uv run`, Ray refuses a working_dir
        # without the pyproject.toml of the directory the driver started in.
        os.chdir(scratch)
        results = ["-o", str(Path(scratch) / "results"), "--no-report", "-q"]
        samples = measure(
            [str(scenario), "--cluster", ADDRESS, "-w", str(options.nodes), *results, *args],
            options.every,
        )
    if not samples:
        return
    peak = max(value for _, value in samples)
    print(f"peak coordinator RSS: {peak / MIB:.1f} MiB over {samples[-1][0]:.0f} s")
    slope = slope_mib_per_min(samples)
    if slope is not None:
        print(f"slope after 60 s: {slope:+.2f} MiB/min ({slope * 10:+.2f} MiB per 10 min)")
    print("\n".join(mark_table(samples, marks)))


if __name__ == "__main__":
    main()
