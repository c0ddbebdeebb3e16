"""A live run's dashboard: engine observers on one side, the server's hub on the other.

The observers run on the run's event loop and do one thing: hand the
snapshot or state to the server's loop with `call_soon_threadsafe` (a few
microseconds a second). Converting, serialising and sending happen on the
server's thread; stopping goes the other way, onto the run's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loadforge.dashboard.app import create_app
from loadforge.dashboard.hub import MessageHub
from loadforge.dashboard.phases import phase_of_pattern, phase_of_state
from loadforge.dashboard.schemas import Phase, TestStatusData
from loadforge.dashboard.server import ServerThread, bind_socket, url_of
from loadforge.engine.lifecycle import RunPhase, StopReason
from loadforge.engine.session import RunningTest, RunObservers
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshot_schema import SnapshotData

DRAIN_SECONDS = 1.0
"""How long clients get to receive the run's last messages before the server stops."""


class LiveDashboard:
    """Publishes one run to the dashboard server and lets the dashboard stop it."""

    def __init__(self, sock: socket.socket) -> None:
        self.url = url_of(sock)
        self.hub = MessageHub("live", "")
        self._server = ServerThread(create_app(self.hub, self.stop_run), sock)
        # Set when the run starts (run's thread), read on the server's thread.
        self._test: RunningTest | None = None
        self._run_loop: asyncio.AbstractEventLoop | None = None
        self._started_at = 0.0
        # Touched only on the server's thread.
        self._state = RunPhase.STARTING
        self._phase: Phase | None = None

    def observers(self) -> RunObservers:
        """The observers to pass to `run_session`."""
        return RunObservers(
            on_snapshot=(self.on_snapshot,), on_state=(self.on_state,), on_started=self.on_started
        )

    def on_started(self, test: RunningTest, directory: Path) -> None:
        """The run exists: remember it, and how to reach its loop."""
        self._test = test
        self._run_loop = asyncio.get_running_loop()
        self._started_at = time.monotonic()
        self.hub.scenario = test.run_name

    def on_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Engine observer (run's loop): pass the snapshot to the server."""
        self._server.call(lambda: self._publish_snapshot(snapshot))

    def on_state(self, state: RunPhase) -> None:
        """Engine observer (run's loop): pass the state change to the server."""
        elapsed = time.monotonic() - self._started_at
        self._server.call(lambda: self._publish_state(state, elapsed))

    def stop_run(self) -> None:
        """POST /api/stop (server's loop): ask the run to stop gracefully, on its own loop."""
        if self._test is not None and self._run_loop is not None:
            self._run_loop.call_soon_threadsafe(self._test.request_stop, StopReason.OPERATOR)

    def start(self) -> None:
        """Start serving; returns once the server accepts connections."""
        self._server.start()

    def close(self) -> None:
        """Let clients receive the last messages, then stop the server."""
        self._server.run(self._drain(), timeout=DRAIN_SECONDS + 5)
        self._server.stop()

    async def _drain(self) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DRAIN_SECONDS):
                await self.hub.drain()
        self.hub.close()

    def _publish_snapshot(self, snapshot: MetricSnapshot) -> None:
        self.hub.publish_snapshot(SnapshotData.from_snapshot(snapshot))
        if self._state is RunPhase.RUNNING and self._test is not None:
            pattern = self._test.settings.pattern
            self._set_phase(
                phase_of_pattern(pattern, snapshot.elapsed_seconds), snapshot.elapsed_seconds
            )

    def _publish_state(self, state: RunPhase, elapsed: float) -> None:
        self._state = state
        if self._test is not None:
            phase = phase_of_state(state, self._test.settings.pattern, elapsed)
            if phase is not None:
                self._set_phase(phase, elapsed)

    def _set_phase(self, phase: Phase, elapsed: float) -> None:
        if phase is self._phase or self._test is None:
            return
        self._phase = phase
        settings = self._test.settings
        self.hub.publish_status(
            TestStatusData(
                status=phase,
                scenario=self.hub.scenario,
                pattern=settings.describe(),
                target_users=(
                    round(settings.rate_at(elapsed))
                    if settings.open_model
                    else settings.pattern.users_at(elapsed)
                ),
                duration=settings.duration,
                elapsed=elapsed,
            )
        )


@contextmanager
def open_live_dashboard(host: str, port: int) -> Iterator[LiveDashboard]:
    """Start the dashboard server for a run about to start; ConfigError if the port is taken."""
    dashboard = LiveDashboard(bind_socket(host, port))
    dashboard.start()
    try:
        yield dashboard
    finally:
        dashboard.close()
