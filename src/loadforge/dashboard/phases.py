"""The dashboard's phase of a run, from the engine's state and the pattern's curve.

The engine knows starting/running/stopping and how a run ended; the
dashboard also says whether users are being added or removed, read from the
traffic pattern (a pure function of time) one second back. Everything that
decides a phase lives here and is pure.
"""

from __future__ import annotations

from loadforge.dashboard.schemas import Phase
from loadforge.engine.lifecycle import RunPhase
from loadforge.patterns import LoadPattern

_STATE_PHASES = {
    RunPhase.STOPPING: Phase.RAMPING_DOWN,
    RunPhase.COMPLETED: Phase.COMPLETED,
    RunPhase.INTERRUPTED: Phase.INTERRUPTED,
    RunPhase.FAILED: Phase.ERROR,
}


def phase_of_pattern(pattern: LoadPattern, elapsed: float, window: float = 1.0) -> Phase:
    """Ramping up or down when the pattern's users changed over the last `window` seconds."""
    now = pattern.users_at(elapsed)
    before = pattern.users_at(max(0.0, elapsed - window))
    if now > before:
        return Phase.RAMPING_UP
    if now < before:
        return Phase.RAMPING_DOWN
    return Phase.RUNNING


def phase_of_state(state: RunPhase, pattern: LoadPattern, elapsed: float) -> Phase | None:
    """The phase an engine state means; None for STARTING, which the dashboard does not show."""
    if state is RunPhase.STARTING:
        return None
    if state is RunPhase.RUNNING:
        return phase_of_pattern(pattern, elapsed)
    return _STATE_PHASES[state]
