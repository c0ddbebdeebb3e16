"""Workers as processes on this machine: spawned, steered over a pipe, metrics in shared memory.

`ProcessLauncher` starts each worker with the `spawn` start method (it
re-imports the scenario by path) and hands back a `ProcessWorker`, the
`WorkerHandle` of that process: its control pipe for commands and reports,
and the coordinator's side of its metrics transport.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess

from loadforge.engine.interval_publisher import PUBLISH_DEADLINE_SECONDS
from loadforge.engine.messages import Command, Report
from loadforge.engine.worker import WorkerSpec, worker_main
from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.transport import IntervalSource, MetricsTransport, QueueSource, RingSource
from loadforge.metrics.wire import IntervalDecoder, WorkerInterval

log = logging.getLogger(__name__)


class ProcessWorker:
    """One worker process as the coordinator reaches it (implements `WorkerHandle`)."""

    def __init__(
        self,
        worker_id: int,
        process: SpawnProcess,
        control: Connection,
        source: IntervalSource,
    ) -> None:
        self.worker_id = worker_id
        self._process = process
        self._control = control
        self._source = source
        self._decoder = IntervalDecoder()
        self._dropped: list[str] = []

    def __repr__(self) -> str:
        return f"<ProcessWorker {self.worker_id} {self.location}>"

    @property
    def pid(self) -> int | None:
        """The worker's process id."""
        return self._process.pid

    @property
    def node(self) -> str | None:
        """None: the worker runs on this machine."""
        return None

    @property
    def location(self) -> str:
        """'pid N'."""
        return f"pid {self._process.pid}"

    def send(self, command: Command) -> bool:
        """Send a command; False when the pipe is broken (the worker is gone)."""
        try:
            self._control.send(command)
        except (BrokenPipeError, EOFError, OSError):
            return False
        return True

    def reports(self) -> list[Report]:
        """Every report waiting on the pipe."""
        received: list[Report] = []
        try:
            while self._control.poll():
                received.append(self._control.recv())
        except (EOFError, OSError):
            pass
        return received

    def intervals(self) -> list[WorkerInterval]:
        """Every interval the worker shipped since the last call, decoded, in order.

        One that cannot be decoded is left out, its reason kept for
        `dropped_intervals`: the run goes on, and the second it belonged to
        is published once a later interval arrives.
        """
        decoded: list[WorkerInterval] = []
        for payload in self._source.receive():
            try:
                decoded.append(self._decoder.decode(payload))
            except ResultFormatError as exc:
                log.warning("worker %d: an interval cannot be decoded (%s)", self.worker_id, exc)
                self._dropped.append(str(exc))
        return decoded

    def dropped_intervals(self) -> list[str]:
        """Why each interval left out since the last call could not be decoded."""
        dropped, self._dropped = self._dropped, []
        return dropped

    def exit_cause(self) -> str | None:
        """Why the process ended, or None while it runs."""
        code = self._process.exitcode
        if code is None:
            return None
        if code < 0:
            return f"killed by signal {-code}"
        return f"exited with code {code}"

    def kill(self) -> None:
        """End the process at once."""
        if self._process.exitcode is None:
            self._process.kill()

    def join(self, timeout: float) -> None:
        """Wait for the process to end, then kill it if it did not."""
        self._process.join(timeout)
        if self._process.exitcode is None:
            self._process.kill()
            self._process.join(1.0)

    def close(self) -> None:
        """Release the pipe and the metrics source (unlinks the shared memory)."""
        self._control.close()
        self._source.close()


class ProcessLauncher:
    """Starts worker processes, with the metrics transport asked for (a `WorkerLauncher`)."""

    def __init__(self, transport: MetricsTransport = MetricsTransport.SHM) -> None:
        self._transport = transport
        self._context = multiprocessing.get_context("spawn")

    @property
    def transport(self) -> MetricsTransport:
        """The transport workers get: the one asked for, or queues after a fallback."""
        return self._transport

    def _source(self) -> RingSource | QueueSource:
        """A shared-memory ring, or a queue where asked for or where POSIX shared memory fails.

        The fallback is decided once, at the first worker, and said in a
        warning; the run's figures are the same either way.
        """
        if self._transport is MetricsTransport.SHM:
            try:
                return RingSource()
            except (OSError, ImportError) as exc:
                log.warning(
                    "POSIX shared memory is unavailable (%s: %s); workers send their metrics"
                    " through queues instead, as --metrics-transport queue does",
                    type(exc).__name__,
                    exc,
                )
                self._transport = MetricsTransport.QUEUE
        return QueueSource(self._context)

    def start(self, spec: WorkerSpec) -> ProcessWorker:
        """Start one worker process; it loads its scenario and then reports Ready."""
        context = self._context
        parent_end, child_end = context.Pipe(duplex=True)
        source = self._source()
        sink_address: object = source.address if isinstance(source, RingSource) else source.queue
        process = context.Process(
            target=worker_main,
            args=(spec, child_end, sink_address),
            name=f"loadforge-worker-{spec.worker_id}",
            daemon=True,
        )
        process.start()
        # Only the worker holds its end now, so the worker sees end-of-file
        # on the pipe as soon as the coordinator is gone.
        child_end.close()
        log.debug("started worker %d (pid %s) in %d", spec.worker_id, process.pid, os.getpid())
        return ProcessWorker(spec.worker_id, process, parent_end, source)

    # Rings or queues on this machine deliver a second within a few ms
    # (benchmarks/README.md, Snapshot publish delay).
    publish_deadline = PUBLISH_DEADLINE_SECONDS

    def placement(self) -> ClusterPlacement | None:
        """None: every worker runs on this machine."""
        return None
