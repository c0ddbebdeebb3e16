"""Messages between the coordinator and its workers: frozen dataclasses, one per kind.

Each side dispatches through a `{type: handler}` table, never on strings.
Commands travel down a worker's control pipe; reports travel back up it.
Metrics never travel here: they go through the metrics transport.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Start:
    """Begin the run: `start` is the run's time zero on `time.monotonic()`."""

    start: float
    interval: float


@dataclass(frozen=True, slots=True)
class Scale:
    """Run this many users (this worker's share of the target)."""

    users: int


@dataclass(frozen=True, slots=True)
class Pace:
    """Open model: start this many iterations per second on at most `max_users` users.

    `phase` (0 to 1) delays this worker's first start by that fraction of
    its own gap, so the workers' starts interleave evenly.
    """

    rate: float
    max_users: int
    phase: float = 0.0


@dataclass(frozen=True, slots=True)
class SetRate:
    """This worker's share of `--rps` changed (a worker was lost)."""

    rps: float


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop every user gracefully, ship the last interval, report Finished, exit."""

    abort: bool = False


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """Answer with a Heartbeat now."""


Command = Start | Scale | Pace | SetRate | Stop | StatusRequest


@dataclass(frozen=True, slots=True)
class Ready:
    """The worker loaded its scenario and waits for Start."""

    worker_id: int


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The worker is alive; sent at least every second."""

    worker_id: int
    active_users: int
    target_users: int


@dataclass(frozen=True, slots=True)
class Finished:
    """Every user stopped and the last interval was shipped."""

    worker_id: int
    last_interval: int


@dataclass(frozen=True, slots=True)
class WorkerFailed:
    """The worker could not start (its scenario would not load) or crashed."""

    worker_id: int
    message: str


Report = Ready | Heartbeat | Finished | WorkerFailed
