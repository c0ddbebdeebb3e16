"""How long a snapshot takes from the engine to the browser's dashboard.

Runs the demo API, then `loadforge run --dashboard` against it, opens the
dashboard in headless Chromium and, for every snapshot message the page's
WebSocket receives, records the arrival time next to the snapshot's own
`timestamp` (the wall-clock end of its interval, taken just before the
engine publishes it). Both clocks are this machine's, so the difference is
the delay the dashboard adds: building the message, the hop to the server's
thread, JSON, loopback TCP and the browser's event loop. The goal is under
100 ms.

    uv run --frozen python benchmarks/dashboard_latency.py --duration 20 --users 20 --rps 2000
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

from playwright.sync_api import sync_playwright

from loadforge.target.server import running_target

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

# Wraps the page's WebSocket before the app creates one, to time each message's arrival.
RECORD_ARRIVALS = """
window.__arrivals = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      const arrived = performance.timeOrigin + performance.now();
      const message = JSON.parse(event.data);
      if (message.type === "snapshot") window.__arrivals.push([message.data.timestamp, arrived]);
    });
  }
};
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rps", type=float, default=2000.0, help="request rate of the run")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    return parser.parse_args()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(args: argparse.Namespace) -> list[float]:
    """The delays, in milliseconds, of every snapshot the browser received."""
    with running_target() as target_url, TemporaryDirectory() as output:
        command = [
            sys.executable, "-m", "loadforge", "run", str(REPO / "examples" / "basic_get.py"),
            "--base-url", target_url, "-u", str(args.users), "-d", f"{args.duration}s",
            "--rps", str(args.rps), "-o", output, "-q", "--dashboard", "--dashboard-port", "0",
        ]  # fmt: skip
        run = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        assert run.stdout is not None
        first = run.stdout.readline()
        if not first.startswith("Dashboard: "):
            run.kill()
            raise SystemExit(f"no dashboard URL, got {first!r}")
        url = first.split()[1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(RECORD_ARRIVALS)
            page.goto(url)
            run.wait(args.duration + 30)
            arrivals: list[list[float]] = page.evaluate("window.__arrivals")
            browser.close()
        run.stdout.close()
    # The first snapshot may predate the page; history messages are not timed.
    return [arrived - timestamp * 1000 for timestamp, arrived in arrivals]


def main() -> None:
    args = _arguments()
    delays = measure(args)
    script = f"benchmarks/{Path(__file__).name}"
    print(f"command: uv run --frozen python {script} {shlex.join(sys.argv[1:])}")
    print(f"snapshots timed: {len(delays)} ({args.users} users, {args.rps:g} requests/s)")
    if not delays:
        raise SystemExit("no snapshot reached the browser")
    print(
        "snapshot → browser delay: "
        f"median {statistics.median(delays):.1f} ms, p95 {_percentile(delays, 0.95):.1f} ms, "
        f"max {max(delays):.1f} ms (goal < 100 ms)"
    )
    print("each, in order (ms): " + " ".join(f"{delay:.0f}" for delay in delays))


if __name__ == "__main__":
    main()
