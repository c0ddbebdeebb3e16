"""A scenario's own pattern: `pattern=` on `@scenario`, or a module-level `pattern`."""

from __future__ import annotations

import pytest

from loadforge.dsl import load_scenarios
from loadforge.errors import ScenarioError
from loadforge.patterns import CompositePattern, CustomPattern, constant, ramp

from .conftest import WriteScenario

TASK = """
            @task
            async def get(self, client):
                await client.get("/")
"""


def test_the_decorator_carries_a_chained_pattern(write_scenario: WriteScenario) -> None:
    path = write_scenario(
        """
        from loadforge import constant, ramp, scenario, task

        @scenario(base_url="http://127.0.0.1:1", pattern=ramp(0, 5, "2s") >> constant(5, "3s"))
        class Api:
        """
        + TASK
    )
    (definition,) = load_scenarios(path)
    assert definition.pattern == ramp(0, 5, 2) >> constant(5, 3)


def test_a_module_level_pattern_is_every_scenarios_unless_it_has_its_own(
    write_scenario: WriteScenario,
) -> None:
    path = write_scenario(
        """
        from loadforge import constant, scenario, task

        pattern = constant(3, "4s")

        @scenario(base_url="http://127.0.0.1:1")
        class Plain:
        """
        + TASK
        + """
        @scenario(base_url="http://127.0.0.1:1", pattern=constant(7, "1s"))
        class Own:
        """
        + TASK
    )
    plain, own = load_scenarios(path)
    assert plain.pattern == constant(3, 4)
    assert own.pattern == constant(7, 1)
    assert isinstance(own.pattern, CompositePattern)


def test_a_user_written_shape_is_checked_at_import(write_scenario: WriteScenario) -> None:
    path = write_scenario(
        """
        from loadforge import scenario, task

        class Sawtooth:
            duration = "10s"

            def users_at(self, t):
                return int(t) % 5

        @scenario(base_url="http://127.0.0.1:1", pattern=Sawtooth())
        class Api:
        """
        + TASK
    )
    (definition,) = load_scenarios(path)
    assert isinstance(definition.pattern, CustomPattern)
    assert definition.pattern.peak_users(10) == 4


def test_a_broken_shape_fails_the_import_naming_the_scenario(
    write_scenario: WriteScenario,
) -> None:
    path = write_scenario(
        """
        from loadforge import scenario, task

        class Broken:
            duration = 5

            def users_at(self, t):
                return -1

        @scenario(base_url="http://127.0.0.1:1", pattern=Broken)
        class Api:
        """
        + TASK
    )
    with pytest.raises(ScenarioError, match=r"Scenario 'Api': pattern Broken.users_at\(0\)"):
        load_scenarios(path)


def test_a_module_level_pattern_that_is_no_pattern_is_named(
    write_scenario: WriteScenario,
) -> None:
    path = write_scenario(
        """
        from loadforge import scenario, task

        pattern = "ramp"

        @scenario(base_url="http://127.0.0.1:1")
        class Api:
        """
        + TASK
    )
    with pytest.raises(ScenarioError, match=r"scenario_file\.py: pattern: a pattern must be"):
        load_scenarios(path)


def test_a_scenario_without_a_pattern_has_none(write_scenario: WriteScenario) -> None:
    path = write_scenario(
        """
        from loadforge import scenario, task

        @scenario(base_url="http://127.0.0.1:1")
        class Api:
        """
        + TASK
    )
    (definition,) = load_scenarios(path)
    assert definition.pattern is None
    assert ramp(0, 1, 1) != definition.pattern
