"""Small text formats shared by the live view and the final summary."""

from __future__ import annotations


def ms(value: float) -> str:
    """A latency in milliseconds, with the precision a reader needs."""
    if value >= 1000:
        return f"{value / 1000:.2f}s"
    if value >= 100:
        return f"{value:.0f}ms"
    if value >= 10:
        return f"{value:.1f}ms"
    return f"{value:.2f}ms"


def percent(rate: float) -> str:
    """A rate in [0, 1] as a percentage."""
    return f"{rate * 100:.2f}%"


def clock(seconds: float) -> str:
    """Elapsed seconds as m:ss (h:mm:ss past an hour)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
