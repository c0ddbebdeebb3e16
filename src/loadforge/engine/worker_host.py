"""A worker run on a thread of a host process: the body of a worker actor on a cluster node.

A cluster node's actor process is not the worker's own interpreter, so the
worker's event loop runs on a thread of it. `HostedWorker` gives that
thread the same `WorkerRun` a local worker process runs, over a local pipe,
and gathers what it reports and ships into one inbox that `collect` empties:
the actor's caller (the coordinator's `RayWorker`) long-polls it instead of
asking many times a second. Nothing here imports Ray, so it is tested
without a cluster.

Time crosses machines only as a duration: the coordinator sends how many
seconds from now the run starts (`lead_of`), and the worker sets its own
time zero on its own monotonic clock. Intervals are numbered from there, so
a node whose clock is off by any amount still ships second `k` as `k`.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from loadforge import eventloop
from loadforge.engine.messages import Command, Report, Start, WorkerFailed
from loadforge.engine.worker import (
    WorkerRun,
    WorkerSpec,
    bind_process,
    load_source,
    scenario_pool,
)
from loadforge.version import __version__

log = logging.getLogger(__name__)


def lead_of(start: Start, now: float) -> float:
    """How many seconds after `now` (the coordinator's clock) the run's time zero is."""
    return start.start - now


def length_of(start: Start) -> float:
    """How many seconds after its time zero the run's planned end is (inf for none)."""
    return start.end - start.start


class _InboxSink:
    """The worker's metrics transport on a host: encoded intervals go to `ship`."""

    def __init__(self, ship: Callable[[bytes], object]) -> None:
        self._ship = ship

    def send(self, payload: bytes) -> bool:
        """Pass one interval on; the inbox (or the node's merger) has no bound, so it takes it."""
        self._ship(payload)
        return True

    def close(self) -> None:
        """Nothing to release."""


class HostedWorker:
    """One worker on a thread of this process, steered like a worker process (the actor's body).

    `coordinator_version` is the coordinator's loadforge version: a node
    with another one reports WorkerFailed naming both, before any traffic.
    Encoded intervals go to `ship` when given (the node's merger), else
    into the inbox beside the reports.
    """

    def __init__(
        self,
        spec: WorkerSpec,
        coordinator_version: str,
        ship: Callable[[bytes], object] | None = None,
    ) -> None:
        self.worker_id = spec.worker_id
        self._inbox: queue.Queue[Report | bytes] = queue.Queue()
        self._ship = ship if ship is not None else self._inbox.put
        self._control, worker_end = multiprocessing.Pipe(duplex=True)
        self._run_thread = threading.Thread(
            target=self._run,
            args=(spec, worker_end, coordinator_version),
            name=f"loadforge-worker-{spec.worker_id}",
            daemon=True,
        )
        self._reader = threading.Thread(
            target=self._forward_reports, name="loadforge-reports", daemon=True
        )
        self._run_thread.start()
        self._reader.start()

    def begin(self, lead: float, interval: float, length: float = math.inf) -> None:
        """Start the run `lead` seconds from now, on this node's clock, planned to last `length`.

        The planned end travels as a length, as the time zero travels as a
        lead, so that an open-model schedule on this node starts exactly
        rate × duration iterations however late the coordinator's Stop comes.
        """
        zero = time.monotonic() + lead
        self._control.send(Start(zero, interval, end=zero + length))

    def send(self, command: Command) -> None:
        """Pass a command other than Start to the worker."""
        self._control.send(command)

    def collect(self, wait: float) -> tuple[list[Report], list[bytes]]:
        """Every report and encoded interval since the last call, oldest first.

        Waits up to `wait` seconds for the first one, so that one call is
        outstanding at a time and returns as soon as there is news.
        """
        items: list[Report | bytes] = []
        try:
            items.append(self._inbox.get(timeout=wait))
            while True:
                items.append(self._inbox.get_nowait())
        except queue.Empty:
            pass
        reports = [item for item in items if not isinstance(item, bytes)]
        return reports, [item for item in items if isinstance(item, bytes)]

    @property
    def running(self) -> bool:
        """Whether the worker's thread still runs."""
        return self._run_thread.is_alive()

    def _forward_reports(self) -> None:
        while True:
            try:
                report = self._control.recv()
            except (EOFError, OSError):
                return
            self._inbox.put(report)

    def _run(self, spec: WorkerSpec, control: Connection, coordinator_version: str) -> None:
        if coordinator_version != __version__:
            control.send(
                WorkerFailed(
                    spec.worker_id,
                    f"this node runs loadforge {__version__} and the coordinator"
                    f" {coordinator_version}; install loadforge {coordinator_version}"
                    " on every node",
                )
            )
            return
        bind_process(spec, control)
        try:
            scenario, mix = load_source(spec.source)
        except Exception as exc:  # reported to the coordinator, which shows it
            control.send(WorkerFailed(spec.worker_id, f"{type(exc).__name__}: {exc}"))
            return
        try:
            eventloop.run(
                WorkerRun(
                    spec, scenario_pool(spec, scenario, mix=mix), control, _InboxSink(self._ship)
                ).run()
            )
        except Exception as exc:  # the coordinator loses the worker and says why
            log.exception("worker %d failed", spec.worker_id)
            control.send(WorkerFailed(spec.worker_id, f"{type(exc).__name__}: {exc}"))
