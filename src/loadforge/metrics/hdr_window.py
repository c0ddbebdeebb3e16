"""A decoded HDR histogram kept as its span of counters, for merging without a full histogram.

Workers ship one HDR-encoded histogram per endpoint per second, and the
coordinator only adds each into its second's merged histogram.
``HdrHistogram.decode`` builds a full 17,408-counter (136 KiB) histogram
for each, and ``HdrHistogram.add`` adds all 17,408 counters, where one
endpoint's second fills a span of a few thousand: 34 µs to decode and 18 µs
to merge a 200-request endpoint that way, against 8 µs and 3 µs as a span
(timeit; benchmarks/README.md, the coordinator's merge cost). The bytes are
still read by hdrh's own codec (base64, zlib, header checks, ``pyhdrh``
varint decoding) and the counters added by ``pyhdrh.add_array``; only the
span kept is ours.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable
from dataclasses import dataclass

from hdrh.codec import HdrHistogramEncoder
from pyhdrh import add_array

_WORD_SIZE = 8
# Window lengths are rounded up to this many counters, so that a few ctypes
# array types serve every window: building the type for a new length costs
# 3.9 µs, a cached one 0.3 µs, and the zeros added cost 0.5 µs at most (timeit).
_GRAIN = 256


@functools.lru_cache(maxsize=256)
def _array_type(length: int) -> type[ctypes.Array[ctypes.c_ulonglong]]:
    return ctypes.c_ulonglong * length


@dataclass(frozen=True, slots=True)
class CountsWindow:
    """The counters `first` .. `first + len(counts) - 1` of a non-empty histogram, and its totals.

    The span may end in zeros (see `_GRAIN`).

    `min_value` and `max_value` are what hdrh sets on a decoded histogram:
    the lowest value of the first counter and the highest of the last.
    """

    first: int
    counts: ctypes.Array[ctypes.c_ulonglong]
    total: int
    min_value: int
    max_value: int


@dataclass(frozen=True, slots=True)
class HdrSettings:
    """The range and precision an encoded histogram declares in its header."""

    lowest: int
    highest: int
    significant_figures: int


class EncodedCounts:
    """One encoded histogram, its header read and its counters not yet decoded.

    `window` decodes the counters, once. Both raise what hdrh's codec
    raises (``binascii.Error``, ``zlib.error``, ``HdrCookieException``,
    ``HdrLengthException``, ...) on bytes that are not an HDR histogram.
    """

    __slots__ = ("_payload",)

    def __init__(self, encoded: bytes) -> None:
        self._payload = HdrHistogramEncoder.decode(encoded)

    @property
    def settings(self) -> HdrSettings:
        """The range and precision the histogram was encoded with."""
        header = self._payload.payload
        return HdrSettings(
            int(header.lowest_trackable_value),
            int(header.highest_trackable_value),
            int(header.significant_figures),
        )

    def window(
        self, counts_len: int, value_of: Callable[[int, int], tuple[int, int]]
    ) -> CountsWindow | None:
        """The non-zero span of the counters (None when the histogram is empty).

        `value_of` gives the lowest value of the first counter and the highest
        of the last, as the histogram's own index arithmetic has them.
        """
        found = self._payload.init_counts(counts_len)
        total = int(found["total"])
        if not total:
            return None
        first, last = int(found["min_nonzero_index"]), int(found["max_nonzero_index"])
        length = min(-(-(last - first + 1) // _GRAIN) * _GRAIN, counts_len - first)
        counts = _array_type(length)()
        decoded = self._payload.get_counts()
        ctypes.memmove(counts, ctypes.addressof(decoded) + first * _WORD_SIZE, length * _WORD_SIZE)
        low, high = value_of(first, last)
        return CountsWindow(first, counts, total, low, high)


def add_window(counts: ctypes.Array[ctypes.c_ulonglong], window: CountsWindow) -> None:
    """Add the window's counters into a full counts array, in C."""
    add_array(
        ctypes.addressof(counts) + window.first * _WORD_SIZE,
        ctypes.addressof(window.counts),
        len(window.counts),
        _WORD_SIZE,
    )
