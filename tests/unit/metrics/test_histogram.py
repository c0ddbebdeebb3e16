"""LatencyHistogram gives exactly what a single HdrHistogram of the same values gives."""

from __future__ import annotations

import base64
import gc
import random
import weakref

import pytest
from hdrh.histogram import HdrHistogram

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.histogram import HIGHEST_US, LatencyHistogram

PERCENTILES = (0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 100.0)


def spread_latencies(count: int, seed: int) -> list[int]:
    generator = random.Random(seed)
    return [int(generator.lognormvariate(8.5, 1.0)) for _ in range(count)]


def histogram_of(values: list[int]) -> LatencyHistogram:
    histogram = LatencyHistogram()
    for value in values:
        histogram.record(value)
    return histogram


def reference_figures(values: list[int]) -> list[float]:
    """Percentiles, min, max and mean in ms from one plain HdrHistogram."""
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for value in values:
        reference.record_value(value)
    figures = [reference.get_value_at_percentile(p) / 1000.0 for p in PERCENTILES]
    figures.append(reference.get_min_value() / 1000.0)
    figures.append(reference.get_max_value() / 1000.0)
    figures.append(reference.get_mean_value() / 1000.0)
    return figures


def figures(histogram: LatencyHistogram) -> list[float]:
    return [
        *histogram.percentiles_ms(PERCENTILES),
        histogram.min_ms,
        histogram.max_ms,
        histogram.mean_ms,
    ]


def test_figures_equal_a_plain_hdr_histogram() -> None:
    values = spread_latencies(20_000, seed=1)

    histogram = histogram_of(values)

    assert histogram.count == len(values)
    assert figures(histogram) == reference_figures(values)


def test_small_known_values_are_exact_below_two_ms() -> None:
    histogram = histogram_of([1000, 1000, 1500, 2000])

    assert histogram.percentile_ms(50) == 1.0
    assert histogram.percentile_ms(75) == 1.5
    assert histogram.percentile_ms(100) == 2.0
    assert histogram.min_ms == 1.0
    assert histogram.max_ms == 2.0
    assert histogram.mean_ms == 1.375


def test_merge_equals_one_histogram_of_all_values() -> None:
    values = spread_latencies(10_000, seed=2)
    first, second = histogram_of(values[:3000]), histogram_of(values[3000:])

    first.merge(second)

    assert first.count == len(values)
    assert figures(first) == reference_figures(values)
    assert first.encode() == histogram_of(values).encode()


def test_merge_into_empty_keeps_the_true_minimum() -> None:
    merged = LatencyHistogram()

    merged.merge(histogram_of([5000, 7000]))

    assert merged.min_ms == 5.0
    # 7000 µs sits in a 4 µs wide bucket; HDR reports its upper edge.
    assert merged.max_ms == 7.003


def test_merging_an_empty_histogram_changes_nothing() -> None:
    histogram = histogram_of([300, 400])

    histogram.merge(LatencyHistogram())

    assert histogram.count == 2
    assert histogram.min_ms == 0.3


def test_out_of_range_latencies_are_clamped_not_lost() -> None:
    histogram = histogram_of([0, -5, 90_000_000])

    assert histogram.count == 3
    assert histogram.min_ms == 0.001
    assert histogram.percentile_ms(100) == histogram_of([HIGHEST_US]).percentile_ms(100)


def test_empty_histogram_gives_zeros() -> None:
    histogram = LatencyHistogram()

    assert histogram.count == 0
    assert histogram.percentiles_ms((50.0, 99.0)) == (0.0, 0.0)
    assert (histogram.min_ms, histogram.max_ms, histogram.mean_ms) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("percentile", [-1.0, 100.5])
def test_percentile_outside_zero_to_hundred_is_refused(percentile: float) -> None:
    with pytest.raises(ValueError, match="percentile"):
        histogram_of([1000]).percentile_ms(percentile)


def test_encode_decode_round_trips() -> None:
    values = spread_latencies(5000, seed=3)
    original = histogram_of(values)

    decoded = LatencyHistogram.decode(original.encode())

    assert decoded.count == len(values)
    assert figures(decoded) == reference_figures(values)
    assert decoded.encode() == original.encode()


def test_decoded_histograms_merge_exactly() -> None:
    values = spread_latencies(4000, seed=4)
    merged = LatencyHistogram.decode(histogram_of(values[:1000]).encode())

    merged.merge(LatencyHistogram.decode(histogram_of(values[1000:]).encode()))

    assert figures(merged) == reference_figures(values)


def test_decoding_an_empty_histogram_gives_an_empty_one() -> None:
    decoded = LatencyHistogram.decode(LatencyHistogram().encode())

    assert decoded.count == 0
    assert decoded.min_ms == 0.0


@pytest.mark.parametrize("text", ["", "not base64!", "aGVsbG8gd29ybGQ=", "é"])
def test_decoding_garbage_raises_result_format_error(text: str) -> None:
    with pytest.raises(ResultFormatError, match="could not be decoded"):
        LatencyHistogram.decode(text)


def test_decoding_a_histogram_with_other_settings_is_refused() -> None:
    foreign = HdrHistogram(1, 1_000_000, 2)
    foreign.record_value(100)
    encoded = foreign.encode()
    assert isinstance(encoded, bytes)

    with pytest.raises(ResultFormatError, match="cannot be merged"):
        LatencyHistogram.decode(encoded.decode("ascii"))


def test_decoding_a_truncated_payload_raises_result_format_error() -> None:
    raw = base64.b64decode(histogram_of([1000, 2000]).encode())
    truncated = base64.b64encode(raw[:-4]).decode("ascii")

    with pytest.raises(ResultFormatError):
        LatencyHistogram.decode(truncated)


def test_reset_forgets_every_sample() -> None:
    histogram = histogram_of([1000, 2000])
    histogram.count  # noqa: B018 - moves the samples into the HDR histogram

    histogram.reset()
    histogram.record(3000)

    assert histogram.count == 1
    assert histogram.min_ms == 3.0


def test_figures_at_the_top_of_the_range_equal_a_plain_hdr_histogram() -> None:
    values = [HIGHEST_US, HIGHEST_US - 1, 1]

    assert figures(histogram_of(values)) == reference_figures(values)


def test_prepare_is_safe_to_call_repeatedly() -> None:
    LatencyHistogram.prepare()
    LatencyHistogram.prepare()

    assert histogram_of([1500]).mean_ms == 1.5


def test_distribution_lists_every_bucket_once_in_order() -> None:
    histogram = LatencyHistogram()
    for value in (1000, 1000, 2000, 50_000):
        histogram.record(value)
    buckets = histogram.distribution_ms()
    assert [count for _, count in buckets] == [2, 1, 1]
    assert [value for value, _ in buckets] == pytest.approx([1.0, 2.0, 50.0], rel=0.001)
    assert sum(count for _, count in buckets) == histogram.count
    assert LatencyHistogram().distribution_ms() == []


def test_a_dropped_histogram_frees_its_hdr_arrays_without_the_cyclic_gc() -> None:
    gc.disable()
    try:
        _drop_histograms_and_check_they_are_freed()
    finally:
        gc.enable()


def _drop_histograms_and_check_they_are_freed() -> None:
    histogram = LatencyHistogram()
    histogram.record(1500)
    assert histogram.count == 1
    hdr = weakref.ref(histogram._hdr)
    decoded = LatencyHistogram.decode(histogram.encode())
    assert decoded.max_ms > 0  # reading a decoded histogram builds its HDR object
    decoded_hdr = weakref.ref(decoded._hdr)

    del histogram, decoded

    assert hdr() is None
    assert decoded_hdr() is None


def _clamped_reference(values: list[int]) -> HdrHistogram:
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for value in values:
        reference.record_value(min(max(value, 1), HIGHEST_US))
    return reference


@pytest.mark.parametrize(
    "values",
    [
        [random.Random(2).randint(80, 400) for _ in range(5_000)],
        spread_latencies(30_000, seed=3),
        [random.Random(4).randint(0, HIGHEST_US + 5_000_000) for _ in range(5_000)],
        [0, 1, 2, 2047, 2048, 2049, 4095, 4096, 1_000_000, HIGHEST_US, HIGHEST_US + 1],
    ],
    ids=["tight", "spread", "whole-range-and-beyond", "bucket-edges"],
)
def test_counters_and_every_percentile_equal_hdrh_recording_each_value(values: list[int]) -> None:
    # The flush and the percentile lookup do hdrh's arithmetic themselves
    # (for speed); the counters, bounds and every percentile must still be
    # exactly what hdrh's own record_value and lookup give.
    histogram = histogram_of(values)
    reference = _clamped_reference(values)
    grid = [0.0, 0.001, 0.1, *range(1, 100), 99.5, 99.9, 99.99, 99.999, 100.0]

    assert histogram.encode() == reference.encode().decode("ascii")
    assert histogram.count == reference.get_total_count()
    assert histogram.min_ms == reference.get_min_value() / 1000.0
    assert histogram.max_ms == reference.get_max_value() / 1000.0
    assert list(histogram.percentiles_ms(grid)) == [
        reference.get_value_at_percentile(p) / 1000.0 for p in grid
    ]


def test_percentiles_are_given_in_the_order_asked_even_repeated() -> None:
    histogram = histogram_of(spread_latencies(1_000, seed=5))

    asked = histogram.percentiles_ms((99.0, 50.0, 99.0, 0.0))

    assert asked[0] == asked[2] == histogram.percentile_ms(99.0)
    assert asked[1] == histogram.percentile_ms(50.0) <= asked[0]
    # Percentile 0 is the lowest value of the smallest sample's HDR bucket.
    assert asked[3] <= histogram.min_ms < asked[3] + 0.001 * max(asked[3], 1.0)
