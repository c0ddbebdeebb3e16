"""The WebSocket fan-out: messages reach every client; a client that falls behind is dropped."""

from __future__ import annotations

from loadforge.server.api.hub import QUEUE_MESSAGES, Kind, LiveMessage, RunHub


def _message(key: int) -> LiveMessage:
    return LiveMessage(Kind.PROGRESS, key, f"m{key}")


async def test_every_client_gets_the_messages_of_its_run() -> None:
    hub = RunHub()
    one, two, other = hub.subscribe(1), hub.subscribe(1), hub.subscribe(2)
    hub.publish(1, _message(0))
    assert await one.next_message() == await two.next_message() == _message(0)
    assert other.pending == 0
    hub.unsubscribe(1, one)
    assert hub.subscriber_count(1) == 1
    hub.unsubscribe(1, two)
    assert hub.subscriber_count(1) == 0
    hub.unsubscribe(1, two)  # a run nobody follows any more: harmless


async def test_a_slow_client_is_dropped_without_blocking() -> None:
    hub = RunHub()
    slow, fast = hub.subscribe(1), hub.subscribe(1)
    for key in range(QUEUE_MESSAGES + 1):
        hub.publish(1, _message(key))
        while fast.pending:
            assert await fast.next_message() == _message(key)
    assert slow.dropped
    assert slow.pending == 0
    assert await slow.next_message() is None
    assert not fast.dropped
    assert hub.subscriber_count(1) == 1


async def test_each_run_gets_its_own_queue_bound_and_is_forgotten_with_its_last_client() -> None:
    hub = RunHub(queue_size=1)
    slow = hub.subscribe(7)
    hub.publish(7, _message(0))
    hub.publish(7, _message(1))
    assert slow.dropped
    assert hub.subscriber_count(7) == 0
    hub.publish(7, _message(2))  # nobody follows the run: nothing to do
    assert hub.subscriber_count(7) == 0
