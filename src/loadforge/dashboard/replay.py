"""`loadforge dashboard RESULTS_DIR`: the dashboard over a finished (or killed) run.

The charts are fed from snapshots.jsonl, written every second during the
run; result.json, when the run got to write it, gives the status and plan.
Nothing can be stopped, so POST /api/stop answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loadforge.dashboard.app import create_app
from loadforge.dashboard.hub import MessageHub
from loadforge.dashboard.schemas import Phase, TestStatusData
from loadforge.dashboard.server import bind_socket, serve_forever, url_of
from loadforge.errors import ConfigError
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.history import downsample
from loadforge.metrics.models import RunStatus
from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.results import iter_snapshots_jsonl, load_result
from loadforge.results.writer import RESULT_FILE, SNAPSHOTS_JSONL

_PHASES = {
    RunStatus.COMPLETED: Phase.COMPLETED,
    RunStatus.INTERRUPTED: Phase.INTERRUPTED,
    RunStatus.FAILED: Phase.ERROR,
}


def replay_hub(directory: Path) -> MessageHub:
    """A hub holding a finished run's snapshots and final status; ConfigError if unreadable."""
    if not directory.is_dir():
        raise ConfigError(f"{directory} is not a directory; pass a LoadForge results directory.")
    try:
        # A long run's file is read a line at a time into a bounded history.
        snapshots = downsample(iter_snapshots_jsonl(directory / SNAPSHOTS_JSONL))
        result = load_result(directory) if (directory / RESULT_FILE).exists() else None
    except ResultFormatError as exc:
        raise ConfigError(str(exc)) from None
    hub = MessageHub("replay", result.scenario_name if result else directory.name)
    for snapshot in snapshots:
        hub.publish_snapshot(SnapshotData.from_snapshot(snapshot))
    last = snapshots[-1] if snapshots else None
    hub.publish_status(
        TestStatusData(
            # Without result.json the run was killed before it could finish.
            status=_PHASES[result.status] if result else Phase.INTERRUPTED,
            scenario=hub.scenario,
            pattern=result.pattern_description if result else "unknown",
            target_users=last.target_users if last else 0,
            duration=result.duration_seconds if result else (last.elapsed_seconds if last else 0),
            elapsed=result.duration_seconds if result else (last.elapsed_seconds if last else 0),
        )
    )
    return hub


def serve_replay(
    directory: Path, host: str, port: int, announce: Callable[[str], None] = print
) -> None:
    """Serve the replay of `directory` until Ctrl-C, announcing its URL first."""
    hub = replay_hub(directory)
    sock = bind_socket(host, port)
    announce(f"Dashboard: {url_of(sock)} (replay of {directory}; Ctrl-C to stop)")
    serve_forever(create_app(hub, None), sock)
