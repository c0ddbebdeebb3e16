"""The scale decision is pure: start the missing users, stop the surplus newest."""

from __future__ import annotations

import pytest

from loadforge.engine.scaling import ScaleStep, plan_scale


@pytest.mark.parametrize(
    ("running", "target", "expected"),
    [
        (0, 10, ScaleStep(start=10, stop=0)),
        (10, 10, ScaleStep(start=0, stop=0)),
        (10, 3, ScaleStep(start=0, stop=7)),
        (5, 0, ScaleStep(start=0, stop=5)),
    ],
)
def test_plan_scale(running: int, target: int, expected: ScaleStep) -> None:
    assert plan_scale(running, target) == expected


def test_negative_target_is_rejected() -> None:
    with pytest.raises(ValueError, match="target users"):
        plan_scale(3, -1)
