"""Traffic patterns: how many users, or iterations per second, to target over time.

Each pattern is an immutable value object whose target is a pure function of
elapsed time, with no engine code involved, so the engine, the CLI preview and
the tests all see exactly the same numbers. Its `Quantity` says what the
numbers count, and it describes itself in it. `pattern_from_config` builds
patterns from config files and CLI flags; `ramp`, `constant`, `spike`... and
`>>` build them in Python, and `as_pattern` adapts a user's own shape.
"""

from __future__ import annotations

from loadforge.patterns.base import LoadPattern
from loadforge.patterns.composite import CompositePattern
from loadforge.patterns.config import PATTERN_TYPES, pattern_from_config, ramp_profile
from loadforge.patterns.constant import ConstantPattern
from loadforge.patterns.custom import CustomPattern
from loadforge.patterns.diurnal import DiurnalPattern
from loadforge.patterns.quantity import ITERATIONS_PER_SECOND, USERS, Quantity, iterations_at
from loadforge.patterns.ramp import RampPattern
from loadforge.patterns.shapes import as_pattern, constant, diurnal, ramp, spike, step
from loadforge.patterns.spike import SpikePattern
from loadforge.patterns.step import StepPattern

__all__ = [
    "ITERATIONS_PER_SECOND",
    "PATTERN_TYPES",
    "USERS",
    "CompositePattern",
    "ConstantPattern",
    "CustomPattern",
    "DiurnalPattern",
    "LoadPattern",
    "Quantity",
    "RampPattern",
    "SpikePattern",
    "StepPattern",
    "as_pattern",
    "constant",
    "diurnal",
    "iterations_at",
    "pattern_from_config",
    "ramp",
    "ramp_profile",
    "spike",
    "step",
]
