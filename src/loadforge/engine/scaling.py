"""Turning a pattern's target into users to start and stop.

The decision is pure (no tasks, no clock) so that it is tested on its own:
the runner asks it what to do each tick, then does the I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScaleStep:
    """How many users to start, and how many of the newest to stop."""

    start: int
    stop: int


def plan_scale(running: int, target: int) -> ScaleStep:
    """Return the step that brings `running` users to `target`.

    Scaling down stops the most recently started users first (LIFO): the
    oldest users have warm connections, sessions and caches, and a ramp-down
    that kept the newest would change what is measured.
    """
    if target < 0:
        raise ValueError(f"target users must be >= 0, got {target}")
    if target > running:
        return ScaleStep(start=target - running, stop=0)
    return ScaleStep(start=0, stop=running - target)
