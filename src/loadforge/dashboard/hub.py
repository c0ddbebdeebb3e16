"""The fan-out from one run to many browsers, on the dashboard server's loop.

Each message is serialised once and put on every client's bounded queue
without waiting. A client whose queue is full (a tab in the background, a
vanished laptop) is dropped rather than waited for: it reconnects and gets
the history again, and nobody else, least of all the run, is held up.
Everything here runs on one event loop, so no locks are needed.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from loadforge.dashboard.schemas import TestStatusData, TestStatusMessage
from loadforge.metrics.snapshot_schema import SnapshotData

DEFAULT_QUEUE_SIZE = 32
"""Messages a client may fall behind (32 s of snapshots) before it is dropped."""


class Subscription:
    """One client's view of the hub: the history to send first, then a bounded queue."""

    def __init__(self, history: str, queue_size: int) -> None:
        self.history = history
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=queue_size)
        self.closed = asyncio.Event()

    def offer(self, message: str) -> bool:
        """Queue `message` without waiting; False (and closed) when the client is behind."""
        if self.closed.is_set():
            return False
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.closed.set()
            return False
        return True

    def sent(self) -> None:
        """Mark the message last taken from `next_message` as sent (for `MessageHub.drain`)."""
        self.queue.task_done()

    async def next_message(self) -> str | None:
        """The next message to send, or None once the stream is closed (dropped or ended)."""
        if self.closed.is_set():
            return None
        getter = asyncio.ensure_future(self.queue.get())
        dropped = asyncio.ensure_future(self.closed.wait())
        done, _ = await asyncio.wait({getter, dropped}, return_when=asyncio.FIRST_COMPLETED)
        dropped.cancel()
        if getter in done:
            return getter.result()
        getter.cancel()
        return None


class MessageHub:
    """Keeps the run's history and latest status, and fans messages out to subscribers."""

    def __init__(
        self,
        mode: Literal["live", "replay"],
        scenario: str,
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
    ) -> None:
        self.mode: Literal["live", "replay"] = mode
        self.scenario = scenario
        self.snapshots: list[SnapshotData] = []
        # Each snapshot's JSON, kept so that a history is a string join, not a
        # re-serialisation of the whole run while holding the GIL the run needs.
        self._snapshot_texts: list[str] = []
        self.status: TestStatusData | None = None
        self.dropped_clients = 0
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()

    @property
    def subscribers(self) -> int:
        """Clients connected now."""
        return len(self._subscribers)

    def publish_snapshot(self, snapshot: SnapshotData) -> None:
        """Record a snapshot and send it to every client."""
        text = snapshot.model_dump_json()
        self.snapshots.append(snapshot)
        self._snapshot_texts.append(text)
        self._fan_out(f'{{"type":"snapshot","data":{text}}}')

    def publish_status(self, status: TestStatusData) -> None:
        """Record the run's new status and send it to every client."""
        self.status = status
        self._fan_out(TestStatusMessage(data=status).model_dump_json())

    def subscribe(self) -> Subscription:
        """A new client: it gets the history so far, then every later message."""
        status = "null" if self.status is None else self.status.model_dump_json()
        history = (
            f'{{"type":"history","data":{{"mode":"{self.mode}",'
            f'"snapshots":[{",".join(self._snapshot_texts)}],"status":{status}}}}}'
        )
        subscription = Subscription(history, self._queue_size)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a client; calling it twice does nothing."""
        self._subscribers.discard(subscription)

    async def drain(self) -> None:
        """Wait until every client has sent all that is queued for it; callers bound the wait."""
        await asyncio.gather(*(s.queue.join() for s in self._subscribers if not s.closed.is_set()))

    def close(self) -> None:
        """End every client's stream; the server closes their connections."""
        for subscription in self._subscribers:
            subscription.closed.set()
        self._subscribers.clear()

    def _fan_out(self, message: str) -> None:
        for subscription in list(self._subscribers):
            if not subscription.offer(message):
                self.dropped_clients += 1
                self._subscribers.discard(subscription)
