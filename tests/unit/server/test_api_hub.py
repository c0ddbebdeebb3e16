"""The WebSocket fan-out: messages reach every client; a client that falls behind is dropped."""

from __future__ import annotations

from loadforge.server.api.hub import QUEUE_MESSAGES, Kind, LiveMessage, RunHub


def _message(key: int) -> LiveMessage:
    return LiveMessage(Kind.PROGRESS, key, f"m{key}")


async def test_every_client_gets_the_messages_of_its_run() -> None:
    hub = RunHub()
    one, two, other = hub.subscribe(1), hub.subscribe(1), hub.subscribe(2)
    hub.publish(1, _message(0))
    assert one.queue.get_nowait() == two.queue.get_nowait() == _message(0)
    assert other.queue.empty()
    hub.unsubscribe(1, one)
    assert hub.subscriber_count(1) == 1


async def test_a_slow_client_is_dropped_without_blocking() -> None:
    hub = RunHub()
    slow, fast = hub.subscribe(1), hub.subscribe(1)
    for key in range(QUEUE_MESSAGES + 1):
        hub.publish(1, _message(key))
        while not fast.queue.empty():
            fast.queue.get_nowait()
    assert slow.dropped
    assert slow.queue.get_nowait() is None
    assert slow.queue.empty()
    assert not fast.dropped
    assert hub.subscriber_count(1) == 1
