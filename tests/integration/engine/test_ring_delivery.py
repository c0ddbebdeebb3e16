"""The shared-memory ring delivers every payload exactly once, in order, between two processes.

A writer process sends numbered payloads into a small ring as fast as it
can while this process reads, so the two race on the counters and the slots
all the time; a counter read half old and half new, or a slot read before
its payload is whole, shows up as a number missing, repeated or out of order.
"""

from __future__ import annotations

import multiprocessing
import time

from loadforge.metrics.transport import RingSource
from ring_writer import numbered_payload, send_numbers

PAYLOADS = 60_000
DEADLINE_SECONDS = 60.0


def test_every_payload_arrives_once_and_in_order_while_both_sides_race() -> None:
    source = RingSource(slots=4, slot_bytes=64)
    writer = multiprocessing.get_context("spawn").Process(
        target=send_numbers, args=(source.address, PAYLOADS, DEADLINE_SECONDS)
    )
    received: list[bytes] = []
    try:
        writer.start()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(received) < PAYLOADS and time.monotonic() < deadline:
            received += source.receive()
            if len(received) > PAYLOADS:
                break  # duplicates: no need to read on
    finally:
        writer.join(DEADLINE_SECONDS)
        if writer.exitcode is None:
            writer.kill()
        source.close()
    expected = [numbered_payload(n) for n in range(PAYLOADS)]
    assert len(received) == PAYLOADS
    assert received == expected
