"""Lifecycle states of a run and of a virtual user, as enums shown to users."""

from __future__ import annotations

import enum


class RunPhase(enum.Enum):
    """The phase an engine run is in, from starting to its ending; the live view shows it."""

    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


class UserState(enum.IntEnum):
    """Where one virtual user is in its life."""

    NEW = 0
    SETUP = 1
    RUNNING = 2
    THINKING = 3
    TEARDOWN = 4
    DONE = 5


class StopReason(enum.Enum):
    """Why a run stopped before or at its planned end."""

    DURATION_REACHED = "duration_reached"
    SIGNAL = "signal"
    REQUESTED = "requested"
    # Someone ended the run on purpose (the dashboard's Stop, POST /api/stop):
    # the run is complete as its operator wanted, unlike a signal or a failure.
    OPERATOR = "operator"
    # A feeder in `stop` mode ran out of rows: the run did all it had data for.
    DATA_EXHAUSTED = "data_exhausted"

    @property
    def completes_run(self) -> bool:
        """Whether a run that stopped for this reason counts as completed, not interrupted."""
        return self in (StopReason.DURATION_REACHED, StopReason.OPERATOR, StopReason.DATA_EXHAUSTED)
