"""The dashboard's hub: the run's history and status, fanned out to many browsers.

The fan-out itself (bounded queues, a slow client dropped rather than waited
for) is `loadforge.fanout`; the hub adds what a dashboard client gets first,
the history, serialised once per snapshot. A dropped client reconnects and
gets the history again.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from loadforge.dashboard.schemas import TestStatusData, TestStatusMessage
from loadforge.fanout import FanOut
from loadforge.fanout import Subscription as Stream
from loadforge.metrics.snapshot_schema import SnapshotData

HISTORY_SNAPSHOTS = 1200
"""Snapshots a live hub keeps for a new client: the last 20 minutes (the web app draws 5).

A replay's snapshots come already bounded (`loadforge.metrics.history`)."""

DEFAULT_QUEUE_SIZE = 32
"""Messages a client may fall behind (32 s of snapshots) before it is dropped."""


class Subscription(Stream[str]):
    """One client's view of the hub: the history to send first, then a bounded queue."""

    def __init__(self, history: str, queue_size: int) -> None:
        super().__init__(queue_size)
        self.history = history


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
        self._snapshots: deque[SnapshotData] = deque(maxlen=HISTORY_SNAPSHOTS)
        # Each snapshot's JSON, kept so that a history is a string join, not a
        # re-serialisation of the whole run while holding the GIL the run needs.
        self._snapshot_texts: deque[str] = deque(maxlen=HISTORY_SNAPSHOTS)
        self.status: TestStatusData | None = None
        self._fan_out: FanOut[str] = FanOut(queue_size)

    @property
    def snapshots(self) -> list[SnapshotData]:
        """The snapshots a new client gets, oldest first: at most HISTORY_SNAPSHOTS."""
        return list(self._snapshots)

    @property
    def subscribers(self) -> int:
        """Clients connected now."""
        return self._fan_out.subscribers

    @property
    def dropped_clients(self) -> int:
        """Clients dropped so far for falling behind."""
        return self._fan_out.dropped_clients

    def publish_snapshot(self, snapshot: SnapshotData) -> None:
        """Record a snapshot and send it to every client."""
        text = snapshot.model_dump_json()
        self._snapshots.append(snapshot)
        self._snapshot_texts.append(text)
        self._fan_out.publish(f'{{"type":"snapshot","data":{text}}}')

    def publish_status(self, status: TestStatusData) -> None:
        """Record the run's new status and send it to every client."""
        self.status = status
        self._fan_out.publish(TestStatusMessage(data=status).model_dump_json())

    def subscribe(self) -> Subscription:
        """A new client: it gets the history so far, then every later message."""
        status = "null" if self.status is None else self.status.model_dump_json()
        history = (
            f'{{"type":"history","data":{{"mode":"{self.mode}",'
            f'"snapshots":[{",".join(self._snapshot_texts)}],"status":{status}}}}}'
        )
        subscription = Subscription(history, self._fan_out.queue_size)
        self._fan_out.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a client; calling it twice does nothing."""
        self._fan_out.unsubscribe(subscription)

    async def drain(self) -> None:
        """Wait until every client has sent all that is queued for it; callers bound the wait."""
        await self._fan_out.drain()

    def close(self) -> None:
        """End every client's stream; the server closes their connections."""
        self._fan_out.close()
