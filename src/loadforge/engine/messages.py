"""Messages between the coordinator and its workers: frozen dataclasses, one per kind.

Commands travel down to a worker; reports travel back up. Each side
dispatches with a `match` on the message classes that ends in
`assert_never`, never on strings, so mypy names a new message that one side
does not handle. Metrics never travel here: they go through the metrics
transport.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Start:
    """Begin the run: its time zero and planned end (`start`, `end`) on `time.monotonic()`."""

    start: float
    interval: float
    end: float = math.inf


@dataclass(frozen=True, slots=True)
class Scale:
    """Run this many users (this worker's share of the target).

    `lanes`, in a run of several scenarios that follow patterns of their
    own, is this worker's share of each scenario's users, in the mix's
    order; `users` is then their sum.
    """

    users: int
    lanes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Pace:
    """Open model: start this many iterations per second on at most `max_users` users.

    `phase` (0 to 1) delays this worker's first start by that fraction of
    its own gap, so the workers' starts interleave evenly. `lanes`, in a run
    of several scenarios that follow arrival rates of their own, is this
    worker's share of each scenario's rate, in the mix's order; `rate` is
    then their sum.
    """

    rate: float
    max_users: int
    phase: float = 0.0
    lanes: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class SetRate:
    """This worker's share of `--rps` changed (a worker was lost)."""

    rps: float


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop every user gracefully, ship the last interval, report Finished, exit."""

    abort: bool = False


Command = Start | Scale | Pace | SetRate | Stop


@dataclass(frozen=True, slots=True)
class Ready:
    """The worker loaded its scenario and waits for Start."""

    worker_id: int


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The worker is alive; sent at least every second.

    Its users travel with each interval (`WorkerInterval`), so a heartbeat
    carries nothing else.
    """

    worker_id: int


@dataclass(frozen=True, slots=True)
class Finished:
    """Every user stopped and the last interval was shipped.

    `last_interval` is that interval's index: the worker is done once the
    coordinator has received it, which the metrics transport may deliver
    after this report.
    """

    worker_id: int
    last_interval: int


@dataclass(frozen=True, slots=True)
class WorkerFailed:
    """The worker could not start (its scenario would not load) or crashed."""

    worker_id: int
    message: str


@dataclass(frozen=True, slots=True)
class DataExhausted:
    """A feeder in `stop` mode ran out of rows on the worker: the run should end."""

    worker_id: int
    reason: str


Report = Ready | Heartbeat | Finished | WorkerFailed | DataExhausted
