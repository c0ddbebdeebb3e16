"""The coordinator's view of a worker, whatever runs it: the seam between steering and transport.

The coordinator drives every worker through `WorkerHandle` and gets its
handles from a `WorkerLauncher`, so it never touches processes, pipes or
shared memory itself. `engine/process_worker.py` implements both for worker
processes on this machine; another kind of worker (an actor on a remote
node) implements the same two Protocols and leaves the coordinator as it is.
"""

from __future__ import annotations

from typing import Protocol

from loadforge.engine.messages import Command, Report
from loadforge.engine.worker import WorkerSpec
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.wire import WorkerInterval


class WorkerHandle(Protocol):
    """One started worker: commands go down to it, reports and intervals come back."""

    @property
    def worker_id(self) -> int:
        """The worker's number in the run, 0 to N - 1."""

    @property
    def location(self) -> str:
        """Where it runs, for logs and diagnostics (e.g. 'pid 4242')."""

    @property
    def node(self) -> str | None:
        """The id of the cluster node it runs on, or None for a worker on this machine."""

    @property
    def pid(self) -> int | None:
        """Its process id when it is a process on this machine, else None."""

    def send(self, command: Command) -> bool:
        """Send a command; False when the worker can no longer be reached."""

    def reports(self) -> list[Report]:
        """Every report that arrived since the last call, oldest first."""

    def intervals(self) -> list[WorkerInterval]:
        """Every interval the worker shipped since the last call, decoded, in order."""

    def dropped_intervals(self) -> list[str]:
        """Why each interval shipped since the last call could not be decoded, oldest first.

        Their counts are left out of the run and each becomes a run event;
        a cluster node counts its own instead (`ClusterPlacement`), so a
        handle whose node merges its intervals returns [].
        """

    def exit_cause(self) -> str | None:
        """Why the worker ended (e.g. 'killed by signal 9'), or None while it lives."""

    def kill(self) -> None:
        """End the worker at once."""

    def join(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for the worker to end, then end it if it did not."""

    def close(self) -> None:
        """Release what connects the coordinator to the worker (after it ended)."""


class WorkerLauncher(Protocol):
    """Starts workers for a coordinator."""

    # How long after a second's end the coordinator waits for late workers'
    # intervals before publishing it without them (their counts then join
    # the next second): as long as an interval takes to reach it from these workers.
    publish_deadline: float

    def start(self, spec: WorkerSpec) -> WorkerHandle:
        """Start one worker; it loads its scenario, then reports Ready (or WorkerFailed)."""

    def placement(self) -> ClusterPlacement | None:
        """Where the started workers run, for result.json; None on this machine alone."""
