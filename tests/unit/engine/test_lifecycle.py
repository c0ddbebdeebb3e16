"""Which stop reasons leave a run completed and which interrupted."""

from __future__ import annotations

import pytest

from loadforge.engine.lifecycle import StopReason


@pytest.mark.parametrize(
    ("reason", "completes"),
    [
        (StopReason.DURATION_REACHED, True),
        (StopReason.OPERATOR, True),
        (StopReason.SIGNAL, False),
        (StopReason.REQUESTED, False),
    ],
)
def test_only_the_planned_end_and_an_operator_stop_complete_a_run(
    reason: StopReason, completes: bool
) -> None:
    assert reason.completes_run is completes
