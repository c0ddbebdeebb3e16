"""A process that sends numbered payloads into a shared-memory ring as fast as it can.

It lives at the top of the tests' path, so that a spawned child can import it
by name (see tests/integration/engine/test_ring_delivery.py).
"""

from __future__ import annotations

import time

from loadforge.metrics.transport import RingAddress, RingSink


def numbered_payload(number: int) -> bytes:
    """Payload `number`: its digits repeated 1 to 7 times, so lengths vary and a torn one shows."""
    return str(number).encode() * (1 + number % 7)


def send_numbers(address: RingAddress, count: int, deadline_seconds: float) -> None:
    """Send payloads 0 … count-1 in order, retrying while the ring is full, within the deadline."""
    sink = RingSink(address)
    try:
        number = 0
        deadline = time.monotonic() + deadline_seconds
        while number < count and time.monotonic() < deadline:
            if sink.send(numbered_payload(number)):
                number += 1
    finally:
        sink.close()
