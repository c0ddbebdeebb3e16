"""The dashboard's phase from the engine state and the pattern."""

from __future__ import annotations

import pytest

from loadforge.dashboard.phases import phase_of_pattern, phase_of_state
from loadforge.dashboard.schemas import Phase
from loadforge.engine.lifecycle import RunPhase
from loadforge.patterns import ConstantPattern, RampPattern, SpikePattern


def test_a_constant_pattern_is_running() -> None:
    assert phase_of_pattern(ConstantPattern(10), 5.0) is Phase.RUNNING


def test_a_ramp_is_ramping_up_then_running() -> None:
    ramp = RampPattern(0, 100, 10)
    assert phase_of_pattern(ramp, 1.0) is Phase.RAMPING_UP
    assert phase_of_pattern(ramp, 12.0) is Phase.RUNNING


def test_the_end_of_a_spike_is_ramping_down() -> None:
    spike = SpikePattern(5, 50, 10, 5)
    assert phase_of_pattern(spike, 10.5) is Phase.RAMPING_UP
    assert phase_of_pattern(spike, 15.5) is Phase.RAMPING_DOWN


@pytest.mark.parametrize(
    ("state", "phase"),
    [
        (RunPhase.STARTING, None),
        (RunPhase.RUNNING, Phase.RUNNING),
        (RunPhase.STOPPING, Phase.RAMPING_DOWN),
        (RunPhase.COMPLETED, Phase.COMPLETED),
        (RunPhase.INTERRUPTED, Phase.INTERRUPTED),
        (RunPhase.FAILED, Phase.ERROR),
    ],
)
def test_engine_states_map_to_phases(state: RunPhase, phase: Phase | None) -> None:
    assert phase_of_state(state, ConstantPattern(3), 2.0) is phase
