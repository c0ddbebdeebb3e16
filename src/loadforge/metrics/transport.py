"""Carrying encoded intervals from a worker process to the coordinator.

Two transports, one interface. The default is a `multiprocessing.shared_memory`
block per worker holding a ring of fixed-size slots: the worker copies a
payload into the next free slot, stamps the slot with its sequence number and
bumps a write counter; the coordinator copies out every stamped slot up to
that counter and bumps a read counter. Each counter has a single writer, so
no lock is needed.

The counters and stamps are read and written as whole aligned 8-byte words
(a memoryview cast to "Q"), never through `struct`: `struct.pack_into`
writes an integer a byte at a time, so the other process could read a
counter half old and half new, and a ring stress test delivered 13,359,697
payloads for 300,000 sent (tests/integration/engine/test_ring_delivery.py).
The stamp lets the reader take a slot only once its payload is whole, and
the reader never moves its counter backwards. The fallback
(`--metrics-transport queue`) is a `multiprocessing.Queue` per worker, for
platforms without POSIX shared memory; the launcher falls back to it by
itself, with a warning, when a ring cannot be made.

A full ring is never overwritten: `send` says False and the worker merges
that interval into its next one, so counts are late rather than lost.
"""

from __future__ import annotations

import enum
import queue
import struct
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Protocol

from loadforge.errors import ConfigError

if TYPE_CHECKING:
    from multiprocessing import shared_memory

# The block: two 8-byte words (write count, read count), then the slots, each
# one 8-byte word (its stamp: sequence number + 1) and a 4-byte payload length
# before the payload. Slot sizes are multiples of 8, so every word is aligned.
_WORD = 8
_WRITTEN, _READ = 0, 1
_LENGTH = struct.Struct("<I")
_SLOT_HEAD = _WORD + _LENGTH.size
DEFAULT_SLOTS = 8
DEFAULT_SLOT_BYTES = 256 * 1024


class MetricsTransport(enum.Enum):
    """How worker processes hand their intervals to the coordinator."""

    SHM = "shm"
    QUEUE = "queue"

    @classmethod
    def parse(cls, text: str) -> MetricsTransport:
        """The transport named `text`; ConfigError for anything else."""
        try:
            return cls(text)
        except ValueError:
            raise ConfigError(
                f"--metrics-transport must be 'shm' or 'queue', got {text!r}."
            ) from None


class IntervalSink(Protocol):
    """Worker side of a transport."""

    def send(self, payload: bytes) -> bool:
        """Hand over one payload; False when there is no room yet (retry later)."""

    def close(self) -> None:
        """Detach; the coordinator owns the underlying resource."""


class IntervalSource(Protocol):
    """Coordinator side of a transport."""

    def receive(self) -> list[bytes]:
        """Every payload that arrived since the last call, oldest first."""

    def close(self) -> None:
        """Release the underlying resource."""


@dataclass(frozen=True, slots=True)
class RingAddress:
    """What a worker needs to attach to its ring (picklable)."""

    name: str
    slots: int
    slot_bytes: int


class RingSource:
    """Coordinator side of a shared-memory ring; it creates and finally unlinks the block."""

    def __init__(self, slots: int = DEFAULT_SLOTS, slot_bytes: int = DEFAULT_SLOT_BYTES) -> None:
        # Imported here: where POSIX shared memory is missing (_posixshmem), the
        # ImportError, like an OSError from a missing /dev/shm, tells the
        # launcher to fall back to queues.
        from multiprocessing import shared_memory

        size = _block_size(RingAddress("", slots, slot_bytes))
        self._shm = shared_memory.SharedMemory(create=True, size=size)
        self.address = RingAddress(self._shm.name, slots, slot_bytes)
        self._words = _words(self._shm)
        self._words[_WRITTEN] = self._words[_READ] = 0

    def receive(self) -> list[bytes]:
        """Copy out every whole slot written since the last call and free them for the worker."""
        buf, words = _buffer(self._shm), self._words
        read = words[_READ]
        written = words[_WRITTEN]
        payloads = []
        for sequence in range(read, min(written, read + self.address.slots)):
            offset = _slot_offset(self.address, sequence)
            if words[offset // _WORD] != sequence + 1:
                break  # its stamp is not there yet: the payload is still being copied
            (length,) = _LENGTH.unpack_from(buf, offset + _WORD)
            start = offset + _SLOT_HEAD
            payloads.append(bytes(buf[start : start + length]))
        if payloads:
            words[_READ] = read + len(payloads)
        return payloads

    def close(self) -> None:
        """Detach and remove the block."""
        self._words.release()
        self._shm.close()
        self._shm.unlink()


class RingSink:
    """Worker side of a shared-memory ring."""

    def __init__(self, address: RingAddress) -> None:
        # Under spawn and forkserver the worker shares the coordinator's
        # resource tracker, so attaching registers nothing new and the
        # coordinator's unlink is the only cleanup.
        from multiprocessing import shared_memory

        self._shm = shared_memory.SharedMemory(name=address.name)
        self._address = address
        self._words = _words(self._shm)

    def send(self, payload: bytes) -> bool:
        """Copy `payload` into the next slot, stamp it, then publish it: bump the write count."""
        if len(payload) > self._address.slot_bytes:
            raise ValueError(
                f"interval of {len(payload)} bytes exceeds the ring slot of"
                f" {self._address.slot_bytes} bytes"
            )
        buf, words = _buffer(self._shm), self._words
        written = words[_WRITTEN]
        if written - words[_READ] >= self._address.slots:
            return False
        offset = _slot_offset(self._address, written)
        _LENGTH.pack_into(buf, offset + _WORD, len(payload))
        start = offset + _SLOT_HEAD
        buf[start : start + len(payload)] = payload
        # The stamp and then the count are written after the payload; the reader reads them first.
        words[offset // _WORD] = written + 1
        words[_WRITTEN] = written + 1
        return True

    def close(self) -> None:
        """Detach from the block."""
        self._words.release()
        self._shm.close()


def _buffer(shm: shared_memory.SharedMemory) -> memoryview:
    buf = shm.buf
    if buf is None:  # pragma: no cover - only after close()
        raise ValueError("shared memory block is closed")
    return buf


def _words(shm: shared_memory.SharedMemory) -> memoryview:
    """The block as native 8-byte words: one item read or written is one aligned load or store."""
    buf = _buffer(shm)
    return buf[: len(buf) // _WORD * _WORD].cast("Q")


def _block_size(address: RingAddress) -> int:
    return 2 * _WORD + address.slots * _slot_size(address)


def _slot_size(address: RingAddress) -> int:
    return -(-(_SLOT_HEAD + address.slot_bytes) // _WORD) * _WORD


def _slot_offset(address: RingAddress, sequence: int) -> int:
    return 2 * _WORD + (sequence % address.slots) * _slot_size(address)


class QueueSource:
    """Coordinator side of the queue fallback."""

    def __init__(self, context: BaseContext) -> None:
        self.queue: queue.Queue[bytes] = context.Queue()  # type: ignore[assignment]

    def receive(self) -> list[bytes]:
        """Everything queued so far."""
        payloads = []
        while True:
            try:
                payloads.append(self.queue.get_nowait())
            except queue.Empty:
                return payloads

    def close(self) -> None:
        """Nothing to release beyond what the queue's finaliser does."""


class QueueSink:
    """Worker side of the queue fallback."""

    def __init__(self, target: queue.Queue[bytes]) -> None:
        self._queue = target

    def send(self, payload: bytes) -> bool:
        """Queue `payload` (never full)."""
        self._queue.put(payload)
        return True

    def close(self) -> None:
        """Nothing to detach."""
