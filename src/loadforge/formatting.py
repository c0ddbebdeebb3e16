"""Latencies and rates as people read them, shared by the terminal and the HTML reports.

The terminal packs values tight ("12.3ms"); the reports set a space before
the unit ("12.3 ms"), as typography asks. The rounding is the same in both.
"""

from __future__ import annotations


def ms(value: float, gap: str = "") -> str:
    """A latency in milliseconds with the precision a reader needs; `gap` goes before the unit."""
    if value >= 1000:
        return f"{value / 1000:.2f}{gap}s"
    if value >= 100:
        return f"{value:.0f}{gap}ms"
    if value >= 10:
        return f"{value:.1f}{gap}ms"
    return f"{value:.2f}{gap}ms"


def percent(rate: float, gap: str = "") -> str:
    """A fraction (0.0123) as a percentage (1.23%); `gap` goes before the sign."""
    return f"{rate * 100:.2f}{gap}%"
