"""Decoded histograms merge exactly as hdrh's own decode-then-add and as recording every value.

`LatencyHistogram.decode` keeps a span of counters (`hdr_window`) instead of
building an ``HdrHistogram``; these tests hold the merged counters, totals,
bounds, mean and percentiles equal to the path it replaced, on random
intervals.
"""

from __future__ import annotations

import random

import pytest
from hdrh.histogram import HdrHistogram

from loadforge.metrics.histogram import HIGHEST_US, LatencyHistogram

GRID = (0.0, 0.1, 1.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0)


def one_second(rng: random.Random) -> list[int]:
    """One worker's second: a varied shape and size (maybe empty), some values out of range."""
    shape = rng.choice(("tight", "lognormal", "wide"))
    size = rng.choice((0, 1, 3, 50, 400))
    if shape == "tight":
        low = rng.randint(0, 5_000)
        return [rng.randint(low, low + 300) for _ in range(size)]
    if shape == "lognormal":
        return [int(rng.lognormvariate(rng.uniform(4, 12), 1.0)) for _ in range(size)]
    return [rng.randint(0, HIGHEST_US + 1_000_000) for _ in range(size)]


def random_seconds(rng: random.Random) -> list[list[int]]:
    """Between 1 and 12 workers' seconds."""
    return [one_second(rng) for _ in range(rng.randint(1, 12))]


def recorded(values: list[int]) -> LatencyHistogram:
    histogram = LatencyHistogram()
    for value in values:
        histogram.record(value)
    return histogram


def hdrh_decode_then_add(encoded: list[str]) -> HdrHistogram:
    """The path `LatencyHistogram.decode` replaced: hdrh decodes each, then adds it."""
    merged = HdrHistogram(1, HIGHEST_US, 3)
    for text in encoded:
        decoded = HdrHistogram.decode(text.encode("ascii"))
        if decoded.total_count:
            merged.add(decoded)
    return merged


@pytest.mark.parametrize("seed", range(40))
def test_merging_decoded_seconds_equals_hdrh_decode_then_add_and_recording_all(seed: int) -> None:
    rng = random.Random(seed)
    seconds = random_seconds(rng)
    encoded = [recorded(values).encode() for values in seconds]

    merged = LatencyHistogram()
    for text in encoded:
        merged.merge(LatencyHistogram.decode(text))

    everything = recorded([value for values in seconds for value in values])
    reference = hdrh_decode_then_add(encoded)
    assert merged.count == everything.count == reference.get_total_count()
    assert merged.encode() == everything.encode()
    assert merged.percentiles_ms(GRID) == everything.percentiles_ms(GRID)
    assert (merged.min_ms, merged.max_ms) == (everything.min_ms, everything.max_ms)
    assert merged.mean_ms == everything.mean_ms
    assert merged.distribution_ms() == everything.distribution_ms()
    if reference.get_total_count():
        assert list(merged.percentiles_ms(GRID[1:])) == [
            reference.get_value_at_percentile(p) / 1000.0 for p in GRID[1:]
        ]
        assert merged.max_ms == reference.get_max_value() / 1000.0


@pytest.mark.parametrize("seed", range(20))
def test_a_decoded_histogram_reads_and_merges_alike_in_every_state(seed: int) -> None:
    # A decoded histogram is read before merging, merged into one holding
    # unflushed values, into another decoded one, and merged from twice.
    rng = random.Random(1000 + seed)
    first, second, local = one_second(rng), one_second(rng), one_second(rng)
    decoded = LatencyHistogram.decode(recorded(first).encode())
    read_first = LatencyHistogram.decode(recorded(second).encode())
    assert read_first.percentiles_ms(GRID) == recorded(second).percentiles_ms(GRID)

    target = recorded(local)
    target.merge(decoded)
    target.merge(read_first)
    target.merge(decoded)
    into_decoded = LatencyHistogram.decode(recorded(local).encode())
    for histogram in (decoded, read_first, decoded):
        into_decoded.merge(histogram)

    expected = recorded(local + first + second + first)
    for merged in (target, into_decoded):
        assert merged.encode() == expected.encode()
        assert merged.percentiles_ms(GRID) == expected.percentiles_ms(GRID)
        assert (merged.count, merged.min_ms, merged.max_ms) == (
            expected.count,
            expected.min_ms,
            expected.max_ms,
        )


def test_a_decoded_histogram_counts_without_being_built_and_resets_to_empty() -> None:
    decoded = LatencyHistogram.decode(recorded([100, 200, 200, 70_000]).encode())
    assert decoded.count == 4

    decoded.reset()

    assert decoded.count == 0
    assert decoded.percentiles_ms((50.0,)) == (0.0,)
    empty = LatencyHistogram.decode(LatencyHistogram().encode())
    assert empty.count == 0
    target = recorded([5])
    target.merge(empty)
    assert target.count == 1
