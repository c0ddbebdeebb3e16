"""The open model's recorder times requests from the iteration's intended start."""

from __future__ import annotations

import time

import pytest

from loadforge.engine.arrivals import IntendedStartRecorder
from loadforge.metrics.collector import MetricsCollector


def test_a_late_start_adds_its_lateness_to_the_corrected_latency() -> None:
    collector = MetricsCollector()
    recorder = IntendedStartRecorder(collector)
    recorder.intended = time.monotonic() - 0.5  # the iteration should have started 500 ms ago

    recorder.record("home", "GET", 200, 10_000, 5, None)

    interval = collector.take_interval()
    assert interval.endpoints["home"].latency.max_ms == pytest.approx(10.0, rel=1e-3)
    assert 500.0 <= interval.endpoints["home"].corrected.max_ms < 600.0
    assert 500.0 <= interval.corrected().max_ms < 600.0


def test_corrected_latency_is_never_below_the_service_time() -> None:
    collector = MetricsCollector()
    recorder = IntendedStartRecorder(collector)
    recorder.intended = time.monotonic() + 10  # clocks never run backwards; guard anyway

    recorder.record("home", "GET", 200, 2_000, 5, None)
    recorder.mark_failed("home", 200, "wrong body")
    recorder.record_task_error("browse", KeyError("keyerror"))

    interval = collector.take_interval()
    assert interval.endpoints["home"].corrected.min_ms == 2.0
    assert interval.endpoints["home"].errors == 1
    assert interval.task_errors == 1


def test_dropped_iterations_are_counted_per_interval() -> None:
    collector = MetricsCollector()
    collector.count_dropped()
    collector.count_dropped()

    assert collector.take_interval().dropped_iterations == 2
    assert collector.take_interval().dropped_iterations == 0


def test_corrected_latency_is_kept_per_endpoint() -> None:
    collector = MetricsCollector()
    recorder = IntendedStartRecorder(collector)
    recorder.intended = time.monotonic() - 0.2
    recorder.record("slow", "GET", 200, 1_000, 5, None)
    recorder.intended = time.monotonic()
    recorder.record("fast", "GET", 200, 1_000, 5, None)

    interval = collector.take_interval()

    assert interval.endpoints["slow"].corrected.min_ms >= 199.0  # HDR: 3 digits
    assert interval.endpoints["fast"].corrected.max_ms < 100.0
    assert interval.corrected().count == 2
