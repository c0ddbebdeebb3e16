"""Latency histograms: exact-to-3-digits percentiles that merge across intervals and processes.

`LatencyHistogram` (with `hdr_window`, its decoding) is the only place that
talks to the untyped ``hdrh`` package, so no ``Any`` leaks into the rest of
LoadForge. Values are microseconds from 1 µs to 60 s at 3 significant
digits; everything shown to users is in milliseconds.
"""

from __future__ import annotations

import binascii
import bisect
import ctypes
import functools
import itertools
import operator
import zlib
from collections.abc import MutableSequence, Sequence
from typing import Protocol, cast

from hdrh.codec import HdrCookieException, HdrLengthException
from hdrh.histogram import HdrHistogram

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.hdr_window import CountsWindow, EncodedCounts, HdrSettings, add_window

LOWEST_US = 1
HIGHEST_US = 60_000_000
SIGNIFICANT_DIGITS = 3

# Everything a decoded payload can raise when it is not a histogram of ours.
_DECODE_ERRORS = (
    binascii.Error,
    zlib.error,
    HdrCookieException,
    HdrLengthException,
    ValueError,
    TypeError,
    RuntimeError,
    AssertionError,
    IndexError,
)


class _Hdr(Protocol):
    """The part of ``hdrh.histogram.HdrHistogram`` we use, typed."""

    counts: MutableSequence[int]
    counts_len: int
    total_count: int
    min_value: int
    max_value: int
    lowest_trackable_value: int
    highest_trackable_value: int
    significant_figures: int
    unit_magnitude: int
    sub_bucket_mask: int
    sub_bucket_half_count: int
    sub_bucket_half_count_magnitude: int

    def get_min_value(self) -> int: ...
    def get_max_value(self) -> int: ...
    def get_value_from_index(self, index: int) -> int: ...
    def get_counts_array_index(self, value: int) -> int: ...
    def get_lowest_equivalent_value(self, value: int) -> int: ...
    def get_highest_equivalent_value(self, value: int) -> int: ...
    def add(self, other_hist: _Hdr) -> None: ...
    def encode(self) -> bytes: ...


def _new_hdr() -> _Hdr:
    return cast(_Hdr, HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS))


def _release(hdr: object) -> None:
    """Break the reference cycle every ``HdrHistogram`` is born in, so it dies with its owner.

    An ``HdrHistogram`` and its ``HdrHistogramEncoder`` point at each other,
    so refcounting never frees them and their 136 KiB counts array waits for
    the cyclic GC, which collects the oldest generation ever more rarely as
    a long run keeps its snapshots: the garbage would pile up and the run's
    memory grow with its length (benchmarks/README.md, Memory). Cutting the
    encoder's back-reference frees the arrays at once.
    """
    encoder = getattr(hdr, "encoder", None)
    if encoder is not None:
        encoder.histogram = None


@functools.cache
def _empty_hdr() -> _Hdr:
    """One empty HDR object per process, only ever read (see `LatencyHistogram._read`)."""
    return _new_hdr()


@functools.cache
def _midpoints() -> tuple[int, ...]:
    """The value HDR uses for each counter when it computes a mean.

    ``HdrHistogram.get_mean_value`` walks a Python iterator, one call per
    counter; a dot product of the counts with this table gives the
    identical figure in C, about 150 times faster. The table is built once
    per process (`LatencyHistogram.prepare`).
    """
    hdr = _new_hdr()
    table = []
    for index in range(hdr.counts_len):
        value = hdr.get_value_from_index(index)
        low = hdr.get_lowest_equivalent_value(value)
        high = hdr.get_highest_equivalent_value(value)
        table.append(low + ((high - low + 1) >> 1))
    return tuple(table)


@functools.cache
def _lowest_of(index: int) -> int:
    """The lowest value HDR counter `index` holds (one entry per counter at most)."""
    return _empty_hdr().get_value_from_index(index)


@functools.cache
def _highest_of(index: int) -> int:
    """The highest value HDR counter `index` holds (one entry per counter at most)."""
    hdr = _empty_hdr()
    return hdr.get_highest_equivalent_value(hdr.get_value_from_index(index))


def _value_bounds(first: int, last: int) -> tuple[int, int]:
    """The lowest value of counter `first` and the highest of counter `last`, as hdrh has them."""
    return _lowest_of(first), _highest_of(last)


def _add_window(hdr: _Hdr, window: CountsWindow) -> None:
    """Add a decoded window to `hdr` as ``HdrHistogram.add`` adds a decoded histogram."""
    add_window(cast("ctypes.Array[ctypes.c_ulonglong]", hdr.counts), window)
    lowest = window.min_value
    if hdr.total_count:
        lowest = min(lowest, hdr.min_value)
    hdr.total_count += window.total
    hdr.max_value = max(hdr.max_value, window.max_value)
    hdr.min_value = lowest


def _check_settings(settings: HdrSettings) -> None:
    """ResultFormatError unless an encoded histogram has LoadForge's range and precision."""
    found = (settings.lowest, settings.highest, settings.significant_figures)
    if found != (LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS):
        raise ResultFormatError(
            f"A stored latency histogram covers {found[0]}..{found[1]} µs at {found[2]} digits,"
            f" but LoadForge uses {LOWEST_US}..{HIGHEST_US} µs at {SIGNIFICANT_DIGITS} digits,"
            " so it cannot be merged with this run's data."
        )


def _add_counts(hdr: _Hdr, pending: dict[int, int]) -> None:
    """Add `pending` (count by microsecond value) to `hdr`, as ``record_value`` per pair would.

    ``HdrHistogram.record_value`` runs five Python calls per value (the
    bucket index goes through ``bin()``); the same index arithmetic inline
    (``bit_length`` is hdrh's ``64 - _clz``) costs 0.6 µs per distinct value
    against 1.6 µs (timeit; `benchmarks/snapshot_cost.py` for the whole
    snapshot). Values are clamped to the histogram's range here, off the hot path:
    out-of-range samples are counted at the nearest bound, never dropped.
    """
    counts = hdr.counts
    mask, unit = hdr.sub_bucket_mask, hdr.unit_magnitude
    half, half_magnitude = hdr.sub_bucket_half_count, hdr.sub_bucket_half_count_magnitude
    first_bucket_shift = half_magnitude + 1
    added, smallest, largest = 0, hdr.min_value, hdr.max_value
    for value, count in pending.items():
        value = LOWEST_US if value < LOWEST_US else HIGHEST_US if value > HIGHEST_US else value
        bucket = (value | mask).bit_length() - unit - first_bucket_shift
        counts[((bucket + 1) << half_magnitude) + (value >> (bucket + unit)) - half] += count
        added += count
        if value < smallest:
            smallest = value
        if value > largest:
            largest = value
    hdr.total_count += added
    hdr.min_value, hdr.max_value = smallest, largest


@functools.cache
def _bucket_ends(bounds_us: tuple[int, ...]) -> tuple[int, ...]:
    """For each bound, the index just past the last HDR counter whose highest value is <= it."""
    hdr = _empty_hdr()
    ends = []
    for bound in bounds_us:
        value = LOWEST_US if bound < LOWEST_US else HIGHEST_US if bound > HIGHEST_US else bound
        index = hdr.get_counts_array_index(value)
        ends.append(index + 1 if hdr.get_highest_equivalent_value(value) == value else index)
    return tuple(ends)


def _percentile_values(hdr: _Hdr, percentiles: Sequence[float]) -> list[int]:
    """The value at each percentile (0-100) of a non-empty `hdr`, as hdrh's own lookup gives it.

    ``get_percentile_to_value_dict`` walks the counts one Python call per
    counter: 1.2 ms for six percentiles of a 5 ms-median histogram, against
    0.4 ms for a running sum in C and a binary search per percentile, which
    find the same counter (timeit). A percentile
    is the highest value equivalent to the first counter where the running
    count reaches ``max(1, int(p * total / 100 + 0.5))``; percentile 0 is
    the lowest value equivalent to the first non-empty counter.
    """
    used = hdr.get_counts_array_index(hdr.max_value) + 1
    running = list(itertools.accumulate(hdr.counts[:used]))
    total = hdr.total_count
    values = []
    for percentile in percentiles:
        target = max(int(percentile * total / 100 + 0.5), 1)
        index = min(bisect.bisect_left(running, target), used - 1)
        value = hdr.get_value_from_index(index)
        if percentile:
            values.append(hdr.get_highest_equivalent_value(value))
        else:
            values.append(hdr.get_lowest_equivalent_value(value))
    return values


class LatencyHistogram:
    """Request latencies of one endpoint (or all of them) over some span of time.

    Recording is batched: `record` only counts identical microsecond values
    in a dict, and the counts go into the HDR histogram (`_add_counts`, one
    counter update per distinct value) the first time the histogram is
    read, merged or encoded, so the flush grows with distinct values, not
    with load (hdrh's own ``record_value`` costs about 1 µs a sample).
    `record_counts` takes a batch counted elsewhere, as the request path
    counts them (see `MetricsCollector`). A decoded histogram keeps only its
    span of non-zero counters (`hdr_window`) until it is read, so merging
    it into another costs an addition over that span.
    """

    __slots__ = ("_hdr", "_pending", "_window")

    def __init__(self) -> None:
        # Latencies recorded since the last flush, value (µs) -> count.
        self._pending: dict[int, int] = {}
        self._hdr: _Hdr | None = None
        # Decoded counters not yet added to `_hdr`.
        self._window: CountsWindow | None = None

    def __del__(self) -> None:
        # The histogram owns its HDR object alone; see `_release` for why
        # dropping it is not enough.
        _release(getattr(self, "_hdr", None))

    def record(self, latency_us: int) -> None:
        """Count one latency in microseconds (clamped to 1 µs–60 s at flush time)."""
        pending = self._pending
        pending[latency_us] = pending.get(latency_us, 0) + 1

    def record_counts(self, counts: dict[int, int]) -> None:
        """Count many latencies at once: `counts` maps a latency in µs to its occurrences.

        The same as `record` once per occurrence. The histogram keeps
        `counts` rather than copying it, so the caller hands it over and
        does not change it afterwards.
        """
        pending = self._pending
        if pending:
            for value, count in counts.items():
                pending[value] = pending.get(value, 0) + count
        elif counts:
            self._pending = counts

    def _flushed(self) -> _Hdr:
        hdr = self._hdr
        if hdr is None:
            hdr = self._hdr = _new_hdr()
        if self._window is not None:
            _add_window(hdr, self._window)
            self._window = None
        if self._pending:
            _add_counts(hdr, self._pending)
            self._pending = {}
        return hdr

    def _read(self) -> _Hdr:
        """The HDR object to read from; an empty histogram shares one and allocates nothing.

        The per-second snapshot reads every endpoint's corrected histogram,
        empty in the closed model: without this each read built a 136 KiB
        HDR object to find nothing in it.
        """
        if self._hdr is None and not self._pending and self._window is None:
            return _empty_hdr()
        return self._flushed()

    @property
    def count(self) -> int:
        """How many latencies were recorded."""
        if self._hdr is None and not self._pending and self._window is not None:
            return self._window.total
        return int(self._read().total_count)

    def merge(self, other: LatencyHistogram) -> None:
        """Add every sample of `other` to this histogram (exact, like recording them here)."""
        window = other._window
        if window is not None and other._hdr is None and not other._pending:
            _add_window(self._flushed(), window)
            return
        theirs = other._read()
        if theirs.total_count == 0:
            return
        mine = self._flushed()
        # hdrh's add() takes min() with an empty histogram's minimum of 0, so
        # the true minimum is restored by hand.
        lowest = theirs.min_value
        if mine.total_count:
            lowest = min(lowest, mine.min_value)
        mine.add(theirs)
        mine.min_value = lowest

    def percentile_ms(self, percentile: float) -> float:
        """The latency below which `percentile` % of samples fall, in ms (0.0 when empty)."""
        return self.percentiles_ms((percentile,))[0]

    def percentiles_ms(self, percentiles: Sequence[float]) -> tuple[float, ...]:
        """Several percentiles in one pass over the histogram, in the order asked."""
        for percentile in percentiles:
            if not 0.0 <= percentile <= 100.0:
                raise ValueError(f"percentile must be within 0..100, got {percentile}")
        hdr = self._read()
        if hdr.total_count == 0:
            return tuple(0.0 for _ in percentiles)
        return tuple(value / 1000.0 for value in _percentile_values(hdr, percentiles))

    @property
    def min_ms(self) -> float:
        """The smallest latency in ms (0.0 when empty)."""
        hdr = self._read()
        return hdr.get_min_value() / 1000.0 if hdr.total_count else 0.0

    @property
    def max_ms(self) -> float:
        """The largest latency in ms (0.0 when empty)."""
        hdr = self._read()
        return hdr.get_max_value() / 1000.0 if hdr.total_count else 0.0

    @property
    def mean_ms(self) -> float:
        """The mean latency in ms as HDR computes it (0.0 when empty)."""
        hdr = self._read()
        if hdr.total_count == 0:
            return 0.0
        # Only the counts up to the largest value can be non-zero, and a
        # typical endpoint uses a small part of the 17,408 counters: the sum
        # runs over that part only.
        used = hdr.get_counts_array_index(hdr.max_value) + 1
        total_us: int = sum(map(operator.mul, hdr.counts[:used], _midpoints()))
        return total_us / hdr.total_count / 1000.0

    def encode(self) -> str:
        """HDR's compressed base64 form, to store in results or send between processes."""
        return self._flushed().encode().decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> LatencyHistogram:
        """Rebuild a histogram from `encode`'s output.

        Raises ResultFormatError when the text is not an HDR histogram with
        LoadForge's range and precision.
        """
        try:
            encoded_counts = EncodedCounts(encoded.encode("ascii"))
            _check_settings(encoded_counts.settings)
            window = encoded_counts.window(_empty_hdr().counts_len, _value_bounds)
        except (*_DECODE_ERRORS, UnicodeEncodeError) as exc:
            raise ResultFormatError(
                f"A stored latency histogram could not be decoded ({exc or type(exc).__name__});"
                " the result file is corrupt or was not written by LoadForge."
            ) from exc
        histogram = cls()
        histogram._window = window
        return histogram

    @staticmethod
    def prepare() -> None:
        """Build the once-per-process table `mean_ms` needs (~20 ms), before a run starts."""
        _midpoints()

    def reset(self) -> None:
        """Forget every sample."""
        self._pending = {}
        self._window = None
        _release(self._hdr)
        self._hdr = None

    def counts_at_or_below(self, bounds_us: Sequence[int]) -> tuple[int, ...]:
        """How many latencies lie at or below each bound (µs, ascending), from the HDR counts.

        A latency counts at the highest value of its HDR counter, the value a
        percentile reports, so each count is an exact sum of whole counters
        and a percentile always falls in the bucket its own count puts it in.
        A counter that straddles a bound (1 µs wide below 2 ms, 0.05-0.1 % of
        the value above) counts in the bucket above it.
        """
        hdr = self._read()
        if hdr.total_count == 0:
            return tuple(0 for _ in bounds_us)
        used = hdr.get_counts_array_index(hdr.max_value) + 1
        counts = hdr.counts
        found: list[int] = []
        start = running = 0
        for end in _bucket_ends(tuple(bounds_us)):
            end = min(end, used)
            if end > start:
                running += sum(counts[start:end])
                start = end
            found.append(running)
        return tuple(found)

    def distribution_ms(self) -> list[tuple[float, int]]:
        """Every non-empty HDR bucket as (its highest value in ms, its count), smallest first.

        This is the whole-run latency distribution a report draws; its counts
        add up to `count`.
        """
        hdr = self._read()
        if hdr.total_count == 0:
            return []
        used = hdr.get_counts_array_index(hdr.max_value) + 1
        buckets = []
        for index, count in enumerate(hdr.counts[:used]):
            if count:
                value = hdr.get_highest_equivalent_value(hdr.get_value_from_index(index))
                buckets.append((value / 1000.0, int(count)))
        return buckets
