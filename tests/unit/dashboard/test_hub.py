"""The dashboard hub: history first, bounded queues, slow clients dropped, draining and closing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from loadforge.dashboard.hub import HISTORY_SNAPSHOTS, MessageHub
from loadforge.dashboard.schemas import (
    MESSAGE_ADAPTER,
    HistoryData,
    HistoryMessage,
    Phase,
    SnapshotMessage,
    TestStatusData,
)
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshot_schema import SnapshotData

STATUS = TestStatusData(
    status=Phase.RUNNING, scenario="S", pattern="p", target_users=1, duration=5, elapsed=0
)


async def test_a_new_subscriber_gets_the_history_then_new_messages(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S")
    hub.publish_status(STATUS)
    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(1.0)))
    subscription = hub.subscribe()
    history = json.loads(subscription.history)
    assert history["type"] == "history"
    assert [s["elapsed_seconds"] for s in history["data"]["snapshots"]] == [1.0]
    assert history["data"]["status"]["status"] == "running"

    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(2.0)))
    message = await subscription.next_message()
    assert message is not None
    assert json.loads(message)["data"]["elapsed_seconds"] == 2.0
    assert hub.subscribers == 1


async def test_a_client_that_falls_behind_is_dropped_without_blocking(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S", queue_size=2)
    slow = hub.subscribe()
    fast = hub.subscribe()
    for second in range(1, 4):
        hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(float(second))))
        assert await fast.next_message() is not None
        fast.sent()
    assert slow.closed
    assert slow.dropped
    assert hub.dropped_clients == 1
    assert hub.subscribers == 1
    assert await slow.next_message() is None
    assert slow.offer("late") is False


async def test_drain_waits_for_queued_messages_and_close_ends_every_stream(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S")
    subscription = hub.subscribe()
    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot()))

    async def client() -> None:
        while await subscription.next_message() is not None:
            await asyncio.sleep(0.01)
            subscription.sent()

    reader = asyncio.create_task(client())
    await asyncio.wait_for(hub.drain(), 2)
    assert subscription.pending == 0
    hub.close()
    await asyncio.wait_for(reader, 2)
    assert hub.subscribers == 0
    hub.unsubscribe(subscription)  # twice is harmless


def test_history_and_snapshot_texts_are_valid_messages(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("replay", "S")
    empty = MESSAGE_ADAPTER.validate_json(hub.subscribe().history)
    assert isinstance(empty, HistoryMessage)
    assert (empty.data.snapshots, empty.data.status) == ([], None)

    data = [SnapshotData.from_snapshot(make_snapshot(float(n))) for n in (1, 2)]
    for snapshot in data:
        hub.publish_snapshot(snapshot)
    hub.publish_status(STATUS)
    history = MESSAGE_ADAPTER.validate_json(hub.subscribe().history)
    assert history == HistoryMessage(data=HistoryData(mode="replay", snapshots=data, status=STATUS))


async def test_a_published_snapshot_is_a_valid_snapshot_message(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S")
    subscription = hub.subscribe()
    snapshot = SnapshotData.from_snapshot(make_snapshot())
    hub.publish_snapshot(snapshot)
    text = await subscription.next_message()
    assert text is not None
    assert MESSAGE_ADAPTER.validate_json(text) == SnapshotMessage(data=snapshot)


def test_a_live_history_keeps_the_last_snapshots_only(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S")
    snapshot = SnapshotData.from_snapshot(make_snapshot(1.0))
    for second in range(1, HISTORY_SNAPSHOTS + 101):
        hub.publish_snapshot(snapshot.model_copy(update={"elapsed_seconds": float(second)}))
    history = json.loads(hub.subscribe().history)["data"]["snapshots"]
    assert len(history) == len(hub.snapshots) == HISTORY_SNAPSHOTS
    assert history[0]["elapsed_seconds"] == 101.0
    assert history[-1]["elapsed_seconds"] == HISTORY_SNAPSHOTS + 100.0
