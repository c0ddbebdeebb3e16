"""Rounding and interval rules shared by the patterns' formulas.

Targets are whole users (or whole iterations per second), so every formula
rounds; these helpers make the rounding rule and the "is this instant inside
the window" rule identical across patterns.
"""

from __future__ import annotations

import math
from fractions import Fraction


def round_half_up(value: Fraction | float) -> int:
    """Nearest integer, with exact halves going up: 2.5 → 3, 2.4999 → 2.

    Written as floor plus a comparison of the remainder, not floor(x + 0.5),
    because the float sum 0.49999999999999994 + 0.5 rounds to 1.0.
    """
    below = math.floor(value)
    return below + 1 if value - below >= 0.5 else below


def round_half_down(value: Fraction | float) -> int:
    """Nearest integer, with exact halves going down: 2.5 → 2, 2.5001 → 3.

    This is the highest value round_half_up takes just before a rising value
    reaches `value`, which the half-open peak computations need.
    """
    above = math.ceil(value)
    return above - 1 if above - value >= 0.5 else above


def reaches(moment: float, end: float, *, include_end: bool) -> bool:
    """Whether `moment` lies in [0, end] (include_end) or [0, end).

    An empty window [0, 0) is taken to contain 0: a pattern always shows its
    starting value, and callers never ask about a window before time 0.
    """
    if moment < end:
        return True
    return moment == end and (include_end or moment == 0)
