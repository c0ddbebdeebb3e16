"""The API tests' harness: a fake RunExecutor driven by the test, the app bundle, a sample spec.

`submit` starts a job at once (RUNNING) while fewer than `max_concurrent`
run, else queues it. The test then plays snapshots and log lines and ends
the run with the helpers below, on the app's event loop.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from starlette.types import ASGIApp

from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.server.contract import (
    JsonObject,
    RunEnding,
    RunJob,
    RunSink,
    RunState,
    RunSummary,
    ThresholdVerdict,
)
from loadforge.server.settings import ServerSettings
from sample_runs import Request, build_result

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient; httpx (a dev dependency) still works.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient as _StarletteTestClient
    from starlette.testclient import WebSocketTestSession

BASE_URL = "http://127.0.0.1:8000"
"""A loopback origin: without a token the server answers no other Host."""


class TestClient(_StarletteTestClient):
    """Starlette's TestClient on a loopback origin, its WebSockets included."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, app: ASGIApp, base_url: str = BASE_URL, **options: Any) -> None:
        super().__init__(app, base_url=base_url, **options)

    def websocket_connect(self, url: str, *args: Any, **options: Any) -> WebSocketTestSession:
        """Open a WebSocket; a path is joined to the client's own origin, not `testserver`."""
        base = str(self.base_url).replace("http", "ws", 1)
        return super().websocket_connect(urljoin(base, url), *args, **options)


SUMMARY = RunSummary(
    requests=4, errors=0, error_rate=0.0, rps=2.0, duration_seconds=2.0, latency_p50=10.0,
    latency_p95=20.0, latency_p99=20.0, latency_max=20.0, latency_avg=12.0,
)  # fmt: skip


def sample_snapshots(seconds: int = 3) -> list[JsonObject]:
    """`seconds` per-second snapshots in SnapshotData JSON form."""
    result = build_result([[Request("home", 10_000), Request("home", 20_000)]] * seconds)
    return [SnapshotData.from_snapshot(s).model_dump(mode="json") for s in result.snapshots]


class FakeExecutor:
    """Implements the RunExecutor protocol for tests."""

    def __init__(self, sink: RunSink, max_concurrent: int = 1) -> None:
        self.sink = sink
        self.max_concurrent = max_concurrent
        self.jobs: list[RunJob] = []
        self.running: dict[int, RunJob] = {}
        self.queued: dict[int, RunJob] = {}
        self.refuse: Exception | None = None

    async def submit(self, job: RunJob) -> RunState:
        """Start the job now, or queue it."""
        if self.refuse is not None:
            raise self.refuse
        self.jobs.append(job)
        if len(self.running) < self.max_concurrent:
            self.running[job.run_id] = job
            await self.sink.run_started(job.run_id, job.results_root / f"run-{job.run_id}")
            return RunState.RUNNING
        self.queued[job.run_id] = job
        return RunState.QUEUED

    async def stop(self, run_id: int) -> bool:
        """Stop a running job or drop a queued one."""
        if run_id in self.queued:
            # Like an executor that reports the dropped job later: the API stops it at once.
            del self.queued[run_id]
            return True
        if run_id in self.running:
            await self.finish(run_id, RunState.STOPPED)
            return True
        return False

    def is_active(self, run_id: int) -> bool:
        """True while queued or running."""
        return run_id in self.running or run_id in self.queued

    async def shutdown(self) -> None:
        """End every job as interrupted."""
        for run_id in [*self.running, *self.queued]:
            self.running.pop(run_id, None)
            self.queued.pop(run_id, None)
            await self.sink.run_finished(run_id, RunEnding(RunState.INTERRUPTED))

    async def play(
        self, run_id: int, snapshots: Sequence[JsonObject], logs: Sequence[str] = ()
    ) -> None:
        """Report these snapshots (one a second) and log lines."""
        for line in logs:
            await self.sink.run_log(run_id, line)
        for index, snapshot in enumerate(snapshots):
            await self.sink.run_progress(run_id, snapshot, float(index + 1), 10.0)

    async def finish(
        self, run_id: int, state: RunState = RunState.COMPLETED, results_dir: Path | None = None
    ) -> None:
        """End the run with a summary and one passed threshold."""
        self.running.pop(run_id, None)
        await self.sink.run_finished(
            run_id,
            RunEnding(
                state,
                summary=SUMMARY,
                thresholds=(ThresholdVerdict("p95<500ms", True, "20ms"),),
                results_dir=results_dir,
            ),
        )


SPEC: dict[str, object] = {
    "name": "checkout",
    "request": {
        "method": "POST",
        "url": "http://127.0.0.1:8080/anything",
        "headers": {"Content-Type": "application/json"},
        "body": '{"a": 1}',
        "body_mode": "raw",
    },
    "load_profile": {"ramp_up": 1, "users": 5, "steady": 2, "ramp_down": 1},
    "thresholds": ["p95<500ms", "error_rate<=0.01"],
}


def spec_body(**changes: object) -> dict[str, object]:
    """The sample spec body with some keys changed."""
    return {**SPEC, **changes}


@dataclass
class Served:
    """A running app under test."""

    client: TestClient
    executor: FakeExecutor
    settings: ServerSettings

    def call(self, function: Callable[..., Awaitable[object]], *args: object) -> object:
        """Run `function(*args)` on the app's event loop (where the executor's reports go)."""
        portal = self.client.portal
        assert portal is not None, "the TestClient is not started"
        return portal.call(function, *args)


Serve = Callable[..., Served]
