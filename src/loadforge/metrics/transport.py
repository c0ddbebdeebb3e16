"""Carrying encoded intervals from a worker process to the coordinator.

Two transports, one interface. The default is a `multiprocessing.shared_memory`
block per worker holding a ring of fixed-size slots: the worker copies a
payload into the next free slot and bumps a write counter; the coordinator
copies out every slot up to that counter and bumps a read counter. Each
counter has a single writer, so no lock is needed. The fallback
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

_HEADER = struct.Struct("<QQ")  # write count, read count
_LENGTH = struct.Struct("<I")
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

        size = _HEADER.size + slots * (_LENGTH.size + slot_bytes)
        self._shm = shared_memory.SharedMemory(create=True, size=size)
        _HEADER.pack_into(_buffer(self._shm), 0, 0, 0)
        self.address = RingAddress(self._shm.name, slots, slot_bytes)

    def receive(self) -> list[bytes]:
        """Copy out every written slot and free them for the worker."""
        buf = _buffer(self._shm)
        written, read = _HEADER.unpack_from(buf, 0)
        payloads = []
        for sequence in range(read, written):
            offset = _slot_offset(self.address, sequence)
            (length,) = _LENGTH.unpack_from(buf, offset)
            start = offset + _LENGTH.size
            payloads.append(bytes(buf[start : start + length]))
        if written != read:
            struct.pack_into("<Q", buf, 8, written)
        return payloads

    def close(self) -> None:
        """Detach and remove the block."""
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

    def send(self, payload: bytes) -> bool:
        """Copy `payload` into the next slot, then publish it by bumping the write count."""
        if len(payload) > self._address.slot_bytes:
            raise ValueError(
                f"interval of {len(payload)} bytes exceeds the ring slot of"
                f" {self._address.slot_bytes} bytes"
            )
        buf = _buffer(self._shm)
        written, read = _HEADER.unpack_from(buf, 0)
        if written - read >= self._address.slots:
            return False
        offset = _slot_offset(self._address, written)
        _LENGTH.pack_into(buf, offset, len(payload))
        start = offset + _LENGTH.size
        buf[start : start + len(payload)] = payload
        # The count is written after the payload; the reader reads it first.
        struct.pack_into("<Q", buf, 0, written + 1)
        return True

    def close(self) -> None:
        """Detach from the block."""
        self._shm.close()


def _buffer(shm: shared_memory.SharedMemory) -> memoryview:
    buf = shm.buf
    if buf is None:  # pragma: no cover - only after close()
        raise ValueError("shared memory block is closed")
    return buf


def _slot_offset(address: RingAddress, sequence: int) -> int:
    return _HEADER.size + (sequence % address.slots) * (_LENGTH.size + address.slot_bytes)


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
