"""Pushing figures every second from a thread of their own, never holding up the run.

The run's loop hands each second's `Figures` to `Pusher.offer`, which only
appends to a bounded queue (the oldest batch is dropped when it is full). A
thread sends them in order; a failure that may pass (no connection, a
timeout, 5xx, 429) is retried with exponential backoff, then the batch is
dropped. Every batch carries the run's totals so far, so a dropped one costs
a point of the time series, never a count. What happened is kept for
result.json (`PushReport`).
"""

from __future__ import annotations

import collections
import enum
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from loadforge.exports.series import Figures

log = logging.getLogger(__name__)

QUEUE_BATCHES = 30
"""Seconds of figures kept while the receiver is slow or down."""
TRIES = 3
BACKOFF_SECONDS = 0.25
MAX_BACKOFF_SECONDS = 2.0
FLUSH_SECONDS = 5.0
"""How long the end of the run waits for the queue to empty."""


class Outcome(enum.Enum):
    """What became of one batch."""

    SENT = "sent"
    REJECTED = "rejected"  # the receiver refused it, or it could not be encoded
    FAILED = "failed"  # every try failed
    STOPPED = "stopped"  # the run's end came first


class SendError(Exception):
    """A batch that did not arrive; `retry` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Sender(Protocol):
    """Turns figures into one request to a receiver (remote write, OTLP)."""

    def send(self, figures: Figures) -> None:
        """Deliver one batch or raise SendError."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


@dataclass
class PushReport:
    """What a pusher did over the run, as stored under `exports` in result.json."""

    endpoint: str
    batches: int = 0
    sent: int = 0
    retries: int = 0
    dropped_queue_full: int = 0
    dropped_after_retries: int = 0
    rejected: int = 0
    unsent_at_end: int = 0
    last_error: str | None = None

    @property
    def dropped(self) -> int:
        """Batches that never arrived, for whatever reason."""
        return (
            self.dropped_queue_full
            + self.dropped_after_retries
            + self.rejected
            + self.unsent_at_end
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "endpoint": self.endpoint,
            "batches": self.batches,
            "sent": self.sent,
            "dropped": self.dropped,
            "dropped_queue_full": self.dropped_queue_full,
            "dropped_after_retries": self.dropped_after_retries,
            "rejected": self.rejected,
            "unsent_at_end": self.unsent_at_end,
            "retries": self.retries,
            "last_error": self.last_error,
        }


class Pusher:
    """A bounded queue of batches and the thread that sends them."""

    def __init__(
        self,
        sender: Sender,
        report: PushReport,
        *,
        queue_batches: int = QUEUE_BATCHES,
        tries: int = TRIES,
        backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self._sender = sender
        self.report = report
        self._tries = tries
        self._backoff = backoff
        self._queue: collections.deque[Figures] = collections.deque(maxlen=queue_batches)
        self._lock = threading.Condition()
        self._closing = False  # no more batches; send what is queued
        self._stopped = threading.Event()  # give up now
        self._busy = False
        self._final = False  # the report is handed over: a late send is not counted
        self._thread = threading.Thread(target=self._run, name="loadforge-push", daemon=True)

    def start(self) -> None:
        """Start the sending thread."""
        self._thread.start()

    def offer(self, figures: Figures) -> None:
        """Queue one batch (run's loop): O(1), drops the oldest when the queue is full."""
        with self._lock:
            if len(self._queue) == self._queue.maxlen:
                self.report.dropped_queue_full += 1
            self._queue.append(figures)
            self.report.batches += 1
            self._lock.notify()

    def close(self, timeout: float = FLUSH_SECONDS) -> PushReport:
        """Send what is queued for up to `timeout` seconds, then stop; the report is final."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._closing = True
            self._lock.notify()
            while (self._queue or self._busy) and time.monotonic() < deadline:
                self._lock.wait(max(deadline - time.monotonic(), 0.0))
            self._stopped.set()
            self._lock.notify()
        self._thread.join(timeout=max(deadline - time.monotonic(), 0.0) + 1.0)
        with self._lock:
            self.report.unsent_at_end += len(self._queue) + (1 if self._busy else 0)
            self._queue.clear()
            self._final = True
        self._sender.close()
        return self.report

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closing:
                    self._lock.wait()
                if not self._queue or self._stopped.is_set():
                    return
                batch = self._queue.popleft()
                self._busy = True
            outcome = self._deliver(batch)
            with self._lock:
                if self._final:
                    return
                self._busy = False
                self._count(outcome)
                self._lock.notify_all()

    def _count(self, outcome: Outcome) -> None:
        report = self.report
        if outcome is Outcome.SENT:
            report.sent += 1
        elif outcome is Outcome.REJECTED:
            report.rejected += 1
        elif outcome is Outcome.FAILED:
            report.dropped_after_retries += 1
        else:
            report.unsent_at_end += 1

    def _deliver(self, batch: Figures) -> Outcome:
        """Send one batch, trying again after a failure that may pass."""
        for attempt in range(self._tries):
            if attempt:
                self.report.retries += 1
                delay = min(self._backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                if self._stopped.wait(delay):
                    return Outcome.STOPPED
            try:
                self._sender.send(batch)
            except SendError as exc:
                self.report.last_error = str(exc)
                if not exc.retry:
                    log.warning("%s refused a batch: %s", self.report.endpoint, exc)
                    return Outcome.REJECTED
                continue
            except Exception as exc:  # a bug in an encoder must not kill the thread
                log.exception("pushing to %s failed", self.report.endpoint)
                self.report.last_error = f"{type(exc).__name__}: {exc}"
                return Outcome.REJECTED
            return Outcome.SENT
        return Outcome.FAILED
