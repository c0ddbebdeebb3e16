"""Small text formats shared by the live view and the final summary."""

from __future__ import annotations

from loadforge.formatting import ms, percent

__all__ = ["clock", "ms", "percent"]


def clock(seconds: float) -> str:
    """Elapsed seconds as m:ss (h:mm:ss past an hour)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
