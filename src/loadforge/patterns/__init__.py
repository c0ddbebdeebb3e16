"""Traffic patterns: how many users (or, later, iterations per second) to target over time.

Each pattern is an immutable value object whose target is a pure function of
elapsed time, with no engine code involved, so the engine, the CLI preview and
the tests all see exactly the same numbers. `pattern_from_config` builds them
from config files and CLI flags.
"""

from __future__ import annotations

from loadforge.patterns.base import LoadPattern
from loadforge.patterns.composite import CompositePattern
from loadforge.patterns.config import PATTERN_TYPES, pattern_from_config, ramp_profile
from loadforge.patterns.constant import ConstantPattern
from loadforge.patterns.diurnal import DiurnalPattern
from loadforge.patterns.ramp import RampPattern
from loadforge.patterns.spike import SpikePattern
from loadforge.patterns.step import StepPattern

__all__ = [
    "PATTERN_TYPES",
    "CompositePattern",
    "ConstantPattern",
    "DiurnalPattern",
    "LoadPattern",
    "RampPattern",
    "SpikePattern",
    "StepPattern",
    "pattern_from_config",
    "ramp_profile",
]
