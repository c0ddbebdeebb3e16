"""The shared-memory ring and the queue fallback deliver payloads in order, never overwrite."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

import pytest

from loadforge.errors import ConfigError
from loadforge.metrics.transport import (
    MetricsTransport,
    QueueSink,
    QueueSource,
    RingSink,
    RingSource,
)


@pytest.fixture
def ring() -> Iterator[RingSource]:
    source = RingSource(slots=3, slot_bytes=64)
    yield source
    source.close()


def test_ring_delivers_payloads_in_order(ring: RingSource) -> None:
    sink = RingSink(ring.address)
    try:
        assert sink.send(b"one")
        assert sink.send(b"two")
        assert ring.receive() == [b"one", b"two"]
        assert ring.receive() == []
        # Wrapping around the end of the ring.
        for payload in (b"three", b"four", b"five"):
            assert sink.send(payload)
        assert ring.receive() == [b"three", b"four", b"five"]
    finally:
        sink.close()


def test_a_full_ring_refuses_instead_of_overwriting(ring: RingSource) -> None:
    sink = RingSink(ring.address)
    try:
        assert all(sink.send(bytes([n])) for n in range(3))
        assert not sink.send(b"x")
        assert ring.receive() == [b"\x00", b"\x01", b"\x02"]
        assert sink.send(b"x")
    finally:
        sink.close()


def test_a_payload_larger_than_a_slot_is_an_error(ring: RingSource) -> None:
    sink = RingSink(ring.address)
    try:
        with pytest.raises(ValueError, match="exceeds the ring slot"):
            sink.send(b"x" * 65)
    finally:
        sink.close()


def test_queue_fallback_delivers_payloads_in_order() -> None:
    source = QueueSource(multiprocessing.get_context("spawn"))
    sink = QueueSink(source.queue)
    assert sink.send(b"a")
    assert sink.send(b"b")
    received: list[bytes] = []
    for _ in range(200):  # the queue's feeder thread hands items over asynchronously
        received += source.receive()
        if len(received) == 2:
            break
        multiprocessing.connection.wait([], timeout=0.01)
    assert received == [b"a", b"b"]
    sink.close()
    source.close()


def test_transport_names_are_parsed_and_checked() -> None:
    assert MetricsTransport.parse("queue") is MetricsTransport.QUEUE
    with pytest.raises(ConfigError, match="'shm' or 'queue'"):
        MetricsTransport.parse("carrier-pigeon")
