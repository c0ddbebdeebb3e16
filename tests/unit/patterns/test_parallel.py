"""ParallelPattern: several scenarios' own patterns side by side, their targets added up."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.patterns import ITERATIONS_PER_SECOND, ConstantPattern, RampPattern, constant, ramp
from loadforge.patterns.parallel import ParallelPattern

BROWSE = ramp(0, 20, "10s") >> constant(20, "20s")


def test_the_target_is_the_parts_added_up() -> None:
    pattern = ParallelPattern((("Browse", BROWSE), ("Admin", ConstantPattern(1))))

    assert [pattern.users_at(t) for t in (0.0, 5.0, 10.0, 29.0)] == [1, 11, 21, 21]
    assert pattern.patterns == (BROWSE, ConstantPattern(1))
    assert pattern.describe() == f"Browse: {BROWSE.describe()}; Admin: constant 1 user"


def test_the_length_is_the_longest_part_that_has_one() -> None:
    with_one = ParallelPattern((("Browse", BROWSE), ("Admin", ConstantPattern(1))))
    with_none = ParallelPattern((("A", ConstantPattern(2)), ("B", ConstantPattern(1))))

    assert with_one.natural_duration == 30.0
    assert with_none.natural_duration is None


def test_the_peak_is_the_parts_peaks_added_up() -> None:
    # The parts peak at different times: the bound adds their peaks.
    rising = RampPattern(0, 10, 10.0)
    falling = RampPattern(10, 0, 10.0)
    pattern = ParallelPattern((("Up", rising), ("Down", falling)))

    assert max(pattern.users_at(t / 10) for t in range(101)) <= 11
    assert pattern.peak_users(10.0) == 20


def test_its_config_names_each_part() -> None:
    pattern = ParallelPattern((("A", ConstantPattern(2)), ("B", ConstantPattern(1))))

    assert pattern.to_config() == {
        "type": "parallel",
        "parts": {"A": {"type": "constant", "users": 2}, "B": {"type": "constant", "users": 1}},
    }


def test_users_beside_a_rate_make_a_mixed_run_that_counts_the_rate() -> None:
    rate = ConstantPattern(5, ITERATIONS_PER_SECOND)
    mixed = ParallelPattern((("Browse", ConstantPattern(3)), ("Buy", rate)))
    users_only = ParallelPattern((("A", ConstantPattern(2)), ("B", ConstantPattern(1))))

    assert mixed.mixed
    assert mixed.quantity == ITERATIONS_PER_SECOND
    assert mixed.describe() == "Browse: constant 3 users; Buy: constant 5 iterations/s"
    assert not users_only.mixed
    assert not users_only.quantity.is_rate


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((("A", ConstantPattern(1)),), "at least two parts"),
        ((("A", ConstantPattern(1)), ("A", ConstantPattern(2))), "distinct names"),
    ],
)
def test_bad_parts_are_refused(
    parts: tuple[tuple[str, ConstantPattern], ...], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        ParallelPattern(parts)
