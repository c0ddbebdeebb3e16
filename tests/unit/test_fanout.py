"""The shared fan-out: every client gets each message, a slow one is dropped without blocking."""

from __future__ import annotations

import asyncio

import pytest

from loadforge.fanout import FanOut, Subscription


async def test_every_client_gets_every_message_in_order() -> None:
    fan_out: FanOut[int] = FanOut(4)
    one, two = fan_out.subscribe(), fan_out.subscribe()
    for message in (1, 2, 3):
        fan_out.publish(message)
    assert [await one.next_message() for _ in range(3)] == [1, 2, 3]
    assert [await two.next_message() for _ in range(3)] == [1, 2, 3]
    assert fan_out.subscribers == 2
    assert fan_out.dropped_clients == 0


async def test_a_client_that_falls_behind_is_dropped_and_its_queue_emptied() -> None:
    fan_out: FanOut[int] = FanOut(2)
    slow, fast = fan_out.subscribe(), fan_out.subscribe()
    for message in range(3):
        fan_out.publish(message)
        assert await fast.next_message() == message
        fast.sent()
        assert slow.dropped is (message == 2)
    assert slow.closed
    assert slow.pending == 0  # what it held is let go: its memory stays bounded
    assert await slow.next_message() is None
    assert slow.offer(9) is False
    assert (fan_out.subscribers, fan_out.dropped_clients) == (1, 1)
    assert not fast.closed
    fan_out.publish(3)
    assert await fast.next_message() == 3


async def test_a_reader_waiting_on_a_client_that_is_dropped_wakes_at_once() -> None:
    fan_out: FanOut[int] = FanOut(1)
    reader_client = fan_out.subscribe()
    assert reader_client.offer(0)
    assert await reader_client.next_message() == 0
    waiting = asyncio.create_task(reader_client.next_message())
    await asyncio.sleep(0)
    assert not waiting.done()
    reader_client.close()
    assert await asyncio.wait_for(waiting, 1) is None
    assert not reader_client.dropped


async def test_wait_closed_returns_when_the_stream_ends() -> None:
    subscription: Subscription[str] = Subscription(1)
    waiter = asyncio.create_task(subscription.wait_closed())
    await asyncio.sleep(0)
    assert not waiter.done()
    assert subscription.offer("a")
    assert not subscription.offer("b")  # full: dropped
    await asyncio.wait_for(waiter, 1)
    assert subscription.dropped


async def test_drain_waits_until_queued_messages_are_sent() -> None:
    fan_out: FanOut[int] = FanOut(8)
    subscription = fan_out.subscribe()
    for message in range(3):
        fan_out.publish(message)
    sent: list[int] = []

    async def client() -> None:
        while (message := await subscription.next_message()) is not None:
            await asyncio.sleep(0.01)
            sent.append(message)
            subscription.sent()

    reader = asyncio.create_task(client())
    await asyncio.wait_for(fan_out.drain(), 2)
    assert sent == [0, 1, 2]
    assert subscription.pending == 0
    fan_out.close()
    await asyncio.wait_for(reader, 2)
    assert fan_out.subscribers == 0
    fan_out.unsubscribe(subscription)  # twice is harmless


async def test_drain_does_not_wait_for_a_client_dropped_meanwhile() -> None:
    fan_out: FanOut[int] = FanOut(1)
    stuck = fan_out.subscribe()
    fan_out.publish(0)  # never read
    draining = asyncio.create_task(fan_out.drain())
    await asyncio.sleep(0.01)
    assert not draining.done()
    fan_out.publish(1)  # the stuck client is behind: dropped
    await asyncio.wait_for(draining, 1)
    assert stuck.dropped


async def test_close_ends_every_stream_without_counting_drops() -> None:
    fan_out: FanOut[str] = FanOut(4)
    clients = [fan_out.subscribe() for _ in range(3)]
    fan_out.publish("x")
    fan_out.close()
    assert all(client.closed and not client.dropped for client in clients)
    assert [await client.next_message() for client in clients] == [None, None, None]
    assert (fan_out.subscribers, fan_out.dropped_clients) == (0, 0)
    clients[0].close()  # twice is harmless


def test_a_queue_holds_at_least_one_message() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Subscription[int](0)
