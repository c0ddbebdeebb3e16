"""Fan-out of live messages to many clients, where a slow client is dropped, never waited for.

The dashboard server and the run server both stream one producer's
messages (a run's snapshots, statuses, log lines) to many WebSocket
clients. Publishing puts the message on every client's bounded queue
without waiting. A client whose queue is full (a tab in the background, a
vanished laptop) is dropped: its queue is emptied, so what it holds stays
bounded, and its stream ends; it may reconnect and read the history again.
Nobody else, least of all the run, is held up. Each side picks its own
queue bound. Everything here runs on one event loop, so no locks are needed.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Generic, TypeVar

__all__ = ["FanOut", "Subscription"]

T = TypeVar("T")


class Subscription(Generic[T]):
    """One client's bounded queue of messages, and whether its stream has ended.

    The stream ends when the client falls behind (`dropped`) or when the
    fan-out is closed. Either way the queue is emptied and a `None` is put
    in its place, so that a reader waiting in `next_message` wakes at once.
    """

    def __init__(self, queue_size: int) -> None:
        if queue_size < 1:
            raise ValueError(f"queue_size must be at least 1, not {queue_size}")
        self._queue: asyncio.Queue[T | None] = asyncio.Queue(maxsize=queue_size)
        self._ended = asyncio.Event()
        self.dropped = False
        """True when the stream ended because the client fell behind."""

    @property
    def closed(self) -> bool:
        """True once the stream has ended, dropped or closed."""
        return self._ended.is_set()

    @property
    def pending(self) -> int:
        """Messages queued for the client and not yet taken."""
        return 0 if self.closed else self._queue.qsize()

    def offer(self, message: T) -> bool:
        """Queue `message` without waiting; False (and the client dropped) when it is behind."""
        if self.closed:
            return False
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            self.close()
            return False
        return True

    def close(self) -> None:
        """End the stream now: what is queued is discarded; calling it twice does nothing."""
        if self.closed:
            return
        self._ended.set()
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        self._queue.put_nowait(None)

    async def next_message(self) -> T | None:
        """The next message to send, or None once the stream has ended."""
        if self.closed:
            return None
        return await self._queue.get()

    def sent(self) -> None:
        """Mark the message last taken from `next_message` as sent (for `wait_sent`)."""
        self._queue.task_done()

    async def wait_closed(self) -> None:
        """Return once the stream has ended."""
        await self._ended.wait()

    async def wait_sent(self) -> None:
        """Return once every queued message is marked sent, or the stream has ended."""
        if self.closed:
            return
        sent = asyncio.ensure_future(self._queue.join())
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            await asyncio.wait({sent, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (sent, ended):
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter


class FanOut(Generic[T]):
    """The subscriptions of one stream; `publish` offers a message to each and never waits."""

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        """Messages a client may fall behind by before it is dropped."""
        self.dropped_clients = 0
        """Clients dropped so far for falling behind."""
        self._subscriptions: set[Subscription[T]] = set()

    @property
    def subscribers(self) -> int:
        """Clients subscribed now."""
        return len(self._subscriptions)

    def subscribe(self) -> Subscription[T]:
        """A new client, with a queue of this fan-out's size."""
        subscription: Subscription[T] = Subscription(self.queue_size)
        self.add(subscription)
        return subscription

    def add(self, subscription: Subscription[T]) -> None:
        """Subscribe a client made by the caller (one that carries more than its queue)."""
        self._subscriptions.add(subscription)

    def unsubscribe(self, subscription: Subscription[T]) -> None:
        """Forget a client; calling it twice does nothing."""
        self._subscriptions.discard(subscription)

    def publish(self, message: T) -> None:
        """Offer the message to every client; a client that is behind is dropped and forgotten."""
        for subscription in tuple(self._subscriptions):
            if not subscription.offer(message):
                if subscription.dropped:
                    self.dropped_clients += 1
                self._subscriptions.discard(subscription)

    async def drain(self) -> None:
        """Wait until every client has sent what is queued for it or ended; callers bound it."""
        await asyncio.gather(*(s.wait_sent() for s in tuple(self._subscriptions)))

    def close(self) -> None:
        """End every client's stream and forget them all."""
        for subscription in self._subscriptions:
            subscription.close()
        self._subscriptions.clear()
