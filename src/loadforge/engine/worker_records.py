"""The coordinator's books on each worker: where it is in its life and what it was last sent.

Kept apart from `WorkerHandle` (the transport), so that every kind of worker
is steered by the same bookkeeping.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from loadforge.engine.worker_handle import WorkerHandle


class WorkerState(enum.IntEnum):
    """Where one worker is in its life, as the coordinator sees it."""

    STARTING = 0
    READY = 1
    RUNNING = 2
    STOPPING = 3
    FINISHED = 4
    LOST = 5


@dataclass(eq=False)
class WorkerRecord:
    """One worker: its handle, and what the coordinator knows and last told it."""

    handle: WorkerHandle
    state: WorkerState = WorkerState.STARTING
    last_heard: float = field(default_factory=time.monotonic)
    users_share: int = -1  # the closed model's last Scale; -1 before the first
    lanes_share: tuple[int, ...] = ()  # its lanes (`Scale.lanes`), when the run has them
    # The open model's last (rate, max_users, lanes' rates).
    pace: tuple[float, int, tuple[float, ...]] | None = None
    failure: str | None = None  # what WorkerFailed said
    shipped: int = 0  # the highest interval index received
    last_interval: int | None = None  # the index Finished named as its last

    def __repr__(self) -> str:
        return f"<WorkerRecord {self.worker_id} {self.handle.location} [{self.state.name}]>"

    @property
    def worker_id(self) -> int:
        """The worker's number in the run."""
        return self.handle.worker_id

    @property
    def in_play(self) -> bool:
        """Whether the worker still runs users or owes the coordinator its last interval."""
        return self.state in (WorkerState.READY, WorkerState.RUNNING, WorkerState.STOPPING)

    def heard(self, reports: int) -> None:
        """`reports` reports arrived now; any one of them is a sign of life."""
        if reports:
            self.last_heard = time.monotonic()

    def received(self, index: int) -> None:
        """Interval `index` arrived; the worker is finished once its last one is in."""
        self.shipped = max(self.shipped, index)
        self._finish_if_complete()

    def finished(self, last_interval: int) -> None:
        """The worker reported Finished: `last_interval` is the last it shipped."""
        self.last_interval = last_interval
        self._finish_if_complete()

    def _finish_if_complete(self) -> None:
        if self.last_interval is not None and self.shipped >= self.last_interval and self.in_play:
            self.state = WorkerState.FINISHED
