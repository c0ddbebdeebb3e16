"""Fan-out of a run's live messages to its WebSocket clients.

Each client has a bounded queue. Publishing never waits: a client whose
queue is full is dropped (its queue is emptied and closed) rather than
slowing the run or the other clients. Messages carry the key that orders
them (a snapshot's second, a log line's seq) so that a client that read the
history can skip what the history already held.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field

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


@dataclass(eq=False)
class Subscriber:
    """One WebSocket client's queue; None in the queue means it was dropped."""

    queue: asyncio.Queue[LiveMessage | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_MESSAGES)
    )
    dropped: bool = False

    def offer(self, message: LiveMessage) -> None:
        """Queue the message, or drop this client when it has fallen too far behind."""
        if self.dropped:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class RunHub:
    """The subscribers of each run, by run id; used only on the API's event loop."""

    def __init__(self) -> None:
        self._subscribers: dict[int, set[Subscriber]] = {}

    def subscribe(self, run_id: int) -> Subscriber:
        """A new client of the run's messages."""
        subscriber = Subscriber()
        self._subscribers.setdefault(run_id, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, run_id: int, subscriber: Subscriber) -> None:
        """Forget a client that left or was dropped."""
        subscribers = self._subscribers.get(run_id)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del self._subscribers[run_id]

    def publish(self, run_id: int, message: LiveMessage) -> None:
        """Offer the message to every client of the run; never waits."""
        for subscriber in tuple(self._subscribers.get(run_id, ())):
            subscriber.offer(message)
            if subscriber.dropped:
                self.unsubscribe(run_id, subscriber)

    def subscriber_count(self, run_id: int) -> int:
        """How many clients follow the run."""
        return len(self._subscribers.get(run_id, ()))
