"""LoadSettings: the open model's rate asked for over an interval and over a run, lanes included."""

from __future__ import annotations

import pytest

from loadforge.engine.settings import LoadSettings
from loadforge.patterns import ITERATIONS_PER_SECOND, ConstantPattern, RampPattern, iterations_at
from loadforge.patterns.parallel import ParallelPattern


def test_the_rate_asked_for_is_the_patterns_mean_over_the_interval() -> None:
    # A ramp of whole rates 0 -> 100/s, read at ten ticks a second: each
    # tick's rate is rounded to a whole one, so the mean is within 0.5 of the line's.
    ramp = LoadSettings(pattern=RampPattern(0, 100, 10.0, ITERATIONS_PER_SECOND), duration=10.0)
    assert ramp.target_rate_over(0.0, 1.0) == pytest.approx(5.0, abs=0.5)
    assert ramp.target_rate_over(4.0, 5.0) == pytest.approx(45.0, abs=0.5)
    assert ramp.run_target_rate(14.0) == pytest.approx(50.0, abs=0.5)  # the drain asks for none


def test_none_is_asked_for_after_the_planned_end_nor_by_users() -> None:
    constant = LoadSettings(pattern=ConstantPattern(20, ITERATIONS_PER_SECOND), duration=10.0)
    assert constant.target_rate_over(9.0, 10.0) == pytest.approx(20.0)
    assert constant.target_rate_over(9.5, 11.5) == pytest.approx(5.0)  # half a second of 2
    assert constant.target_rate_over(10.0, 14.0) == 0.0
    assert constant.run_target_rate(3.0) == pytest.approx(20.0)
    half = LoadSettings(pattern=ConstantPattern(500, iterations_at(0.5)), duration=4.0)
    assert half.target_rate_over(0.0, 1.0) == pytest.approx(0.5)
    users = LoadSettings(pattern=ConstantPattern(10), duration=10.0)
    assert users.target_rate_over(0.0, 1.0) == 0.0


def test_rate_lanes_of_different_units_add_up_each_in_its_own() -> None:
    # 20/s (per second) beside 0.5/s (500 per 1000 s) beside 3 users.
    parts = (
        ("Browse", ConstantPattern(20, ITERATIONS_PER_SECOND)),
        ("Buy", ConstantPattern(500, iterations_at(0.5))),
        ("Admin", ConstantPattern(3)),
    )
    mixed = LoadSettings(pattern=ParallelPattern(parts), duration=4.0)
    rates = LoadSettings(pattern=ParallelPattern(parts[:2]), duration=4.0)

    assert mixed.lanes_at(1.0) == (20.0, 0.5, 3.0)
    assert mixed.rate_at(1.0) == pytest.approx(20.5)
    assert mixed.target_rate_over(0.0, 1.0) == pytest.approx(20.5)
    assert rates.rate_at(1.0) == pytest.approx(20.5)
    assert not rates.mixed
    assert mixed.pool_bound() == rates.pool_bound() == 100
    assert mixed.closed_peak() == 3
    assert rates.lane_peaks(4.0) == ()
