"""Latency and rate formats: the precision a reader needs, with or without a space."""

from __future__ import annotations

from loadforge.formatting import ms, percent


def test_latency_precision_follows_the_magnitude() -> None:
    values = [0.5, 12.34, 250, 2500]
    assert [ms(v) for v in values] == ["0.50ms", "12.3ms", "250ms", "2.50s"]
    assert [ms(v, " ") for v in values] == ["0.50 ms", "12.3 ms", "250 ms", "2.50 s"]


def test_rates_as_percentages() -> None:
    assert percent(0.0123) == "1.23%"
    assert percent(0.0123, " ") == "1.23 %"
