"""Fan-out of a run's live messages to its WebSocket clients, one stream per run.

The fan-out itself (bounded queues, a slow client dropped rather than
waited for) is `loadforge.fanout`; this hub keeps one per run that has
clients, and forgets it when its last client goes. Messages carry the key
that orders them (a snapshot's second, a log line's seq) so that a client
that read the history can skip what the history already held.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from loadforge.fanout import FanOut, Subscription

QUEUE_MESSAGES = 1000
"""Messages a client may fall behind by before it is dropped (about 16 minutes of progress)."""


class Kind(enum.StrEnum):
    """What a live message carries."""

    PROGRESS = "progress"
    LOG = "log"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """One message to send, already encoded, with its ordering key (-1 for status)."""

    kind: Kind
    key: int
    text: str


Subscriber = Subscription[LiveMessage]
"""One WebSocket client of a run."""


class RunHub:
    """The clients of each run, by run id; used only on the API's event loop."""

    def __init__(self, queue_size: int = QUEUE_MESSAGES) -> None:
        self._queue_size = queue_size
        self._runs: dict[int, FanOut[LiveMessage]] = {}

    def subscribe(self, run_id: int) -> Subscriber:
        """A new client of the run's messages."""
        fan_out = self._runs.get(run_id)
        if fan_out is None:
            fan_out = self._runs[run_id] = FanOut(self._queue_size)
        return fan_out.subscribe()

    def unsubscribe(self, run_id: int, subscriber: Subscriber) -> None:
        """Forget a client that left or was dropped."""
        fan_out = self._runs.get(run_id)
        if fan_out is not None:
            fan_out.unsubscribe(subscriber)
            self._forget_if_empty(run_id, fan_out)

    def publish(self, run_id: int, message: LiveMessage) -> None:
        """Offer the message to every client of the run; never waits."""
        fan_out = self._runs.get(run_id)
        if fan_out is not None:
            fan_out.publish(message)
            self._forget_if_empty(run_id, fan_out)

    def subscriber_count(self, run_id: int) -> int:
        """How many clients follow the run."""
        fan_out = self._runs.get(run_id)
        return 0 if fan_out is None else fan_out.subscribers

    def _forget_if_empty(self, run_id: int, fan_out: FanOut[LiveMessage]) -> None:
        if not fan_out.subscribers:
            del self._runs[run_id]
